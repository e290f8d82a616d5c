//! Evasion fuzzing of the default packs (the check `hegui rules fuzz` runs), with a fixed
//! seed, and properties of the mutator itself.

use hegui_core::evasion::{EvasionOptions, Mutation, Mutator};
use hegui_core::{RulePack, Scanner};

/// The seed `cargo test` uses; `hegui rules fuzz --seed 20261111` reproduces the run.
const SEED: u64 = 2026_1111;

#[test]
fn default_packs_resist_disguised_examples() {
    let scanner = Scanner::with_default_packs();
    let run = scanner.check_evasions(&EvasionOptions {
        seed: SEED,
        variants: 24,
    });
    let failures: Vec<String> = run.failures.iter().map(ToString::to_string).collect();
    eprintln!(
        "evasion (seed {SEED}): {}/{} fire variants still fire ({:.1}%), {} of {} pass variants broken",
        run.still_fire,
        run.variants,
        100.0 * run.robustness(),
        run.passes_broken,
        run.pass_variants
    );
    for rule in &run.rules {
        eprintln!(
            "  {:<45} {:>4}/{:<4} {:>6.1}%  broken {}/{}",
            rule.rule_id,
            rule.still_fire,
            rule.variants,
            100.0 * rule.robustness(),
            rule.passes_broken,
            rule.pass_variants
        );
    }
    assert!(run.variants >= 10 * scanner.rules().len(), "{run:?}");
    assert!(
        run.robustness() >= 0.95 && run.passes_broken == 0,
        "robustness {:.3}, {} passes broken:\n{}",
        run.robustness(),
        run.passes_broken,
        failures.join("\n")
    );
}

#[test]
fn evasion_runs_are_deterministic_for_a_seed() {
    let scanner = Scanner::with_default_packs();
    let options = EvasionOptions {
        seed: 5,
        variants: 6,
    };
    let a = scanner.check_evasions(&options);
    let b = scanner.check_evasions(&options);
    assert_eq!(a, b);
    let mutator = Mutator::for_scanner(&scanner);
    let text = "转发本文到朋友圈，即可领取红包，加微信";
    assert_eq!(mutator.variants(text, 1, 10), mutator.variants(text, 1, 10));
    assert_ne!(mutator.variants(text, 1, 10), mutator.variants(text, 2, 10));
}

const PACK: &str = r#"
id = "demo"
version = "1"
title = "演示"
[categories.exaggeration]
name = "虚假宣传"
consequence = "限制消息传播范围"
[[rule]]
id = "exaggeration.absolute-term"
kind = "terms"
severity = "review"
message = "绝对化用语"
basis = "《广告法》第九条"
terms = ["最低价", "最好"]
fires = ["全网最低价", "品质最好"]
passes = ["品质很好", "价格实惠"]
"#;

/// A homophone the pack does not know (`醉低价`): the check must notice that the rule
/// misses it, name the variant and its mutations, and say the normaliser did not undo it.
#[test]
fn disguises_the_normaliser_does_not_undo_are_reported() {
    let pack = RulePack::from_toml_str("demo.toml", PACK).expect("loads");
    let scanner = Scanner::builder().pack(pack).build().expect("builds");
    let options = EvasionOptions {
        seed: 3,
        variants: 12,
    };
    assert_eq!(scanner.check_evasions(&options).robustness(), 1.0);
    let unknown = Mutator::new(&[("醉低价".to_string(), "最低价".to_string())]);
    let run = scanner.check_evasions_with(&unknown, &options);
    assert!(run.robustness() < 1.0, "{run:?}");
    let failure = run
        .failures
        .iter()
        .find(|f| f.variant.contains("醉低价"))
        .expect("the homophone variant fails");
    assert_eq!(failure.rule_id, "exaggeration.absolute-term");
    assert!(failure.mutations.contains(&Mutation::Homophone));
    let shown = failure.to_string();
    assert!(shown.starts_with("demo.toml:15:"), "{shown}");
    assert!(shown.contains("did not fire"), "{shown}");
    assert!(shown.contains("normalised"), "{shown}");
    assert_eq!(
        run.rules[0].still_fire + run.failures.len(),
        run.rules[0].variants
    );
}

/// A "homophone" that changes the meaning (`很` → `最`) turns a passing example into a
/// violation: the check counts it as a broken pass.
#[test]
fn passes_that_start_firing_are_reported() {
    let pack = RulePack::from_toml_str("demo.toml", PACK).expect("loads");
    let scanner = Scanner::builder().pack(pack).build().expect("builds");
    let unfair = Mutator::new(&[("最".to_string(), "很".to_string())]);
    let run = scanner.check_evasions_with(
        &unfair,
        &EvasionOptions {
            seed: 3,
            variants: 12,
        },
    );
    assert!(run.passes_broken > 0, "{run:?}");
    let failure = run
        .failures
        .iter()
        .find(|f| f.expected == hegui_core::Expectation::Passes)
        .expect("a broken pass");
    assert_eq!(failure.example, "品质很好");
    let normalized = scanner.normalizer().normalize(&failure.variant);
    assert_eq!(normalized.as_str(), "品质最好", "{failure}");
    assert!(failure.reason.starts_with("fired on "), "{failure}");
}

#[test]
fn mutations_cover_every_kind_on_a_rich_text() {
    let scanner = Scanner::with_default_packs();
    let mutator = Mutator::for_scanner(&scanner);
    let text = "加微信领红包，品质NO.1，100%有效，稳赚不赔";
    let mut seen: Vec<Mutation> = mutator
        .variants(text, 11, 40)
        .into_iter()
        .flat_map(|v| v.mutations)
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, Mutation::ALL.to_vec());
}
