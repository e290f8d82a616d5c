//! `hegui rules fuzz`: disguise every example of the packs the way marketers do and check
//! that the rules still fire (and still pass).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;
use hegui_core::evasion::{EvasionOptions, EvasionRun};
use hegui_core::Expectation;
use serde_json::json;

use crate::{packs, Outcome};

#[derive(Debug, Args)]
pub(crate) struct FuzzArgs {
    /// Pack files or directories (default: the built-in packs).
    paths: Vec<PathBuf>,
    /// Seed of the mutations; the same seed gives the same variants.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Disguised variants per example.
    #[arg(long, default_value_t = 20, value_name = "K")]
    variants: usize,
    /// Lowest share of disguised `fires` examples that must still fire (0 to 1).
    #[arg(long, default_value_t = 0.95, value_name = "RATIO")]
    min_robustness: f64,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &FuzzArgs) -> Result<Outcome> {
    if !(0.0..=1.0).contains(&args.min_robustness) {
        bail!(
            "--min-robustness must be between 0 and 1, not {}",
            args.min_robustness
        );
    }
    let scanner = packs::scanner(&args.paths)?;
    let run = scanner.check_evasions(&EvasionOptions {
        seed: args.seed,
        variants: args.variants,
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &to_json(&run, args.min_robustness))?;
        writeln!(out)?;
    } else {
        table(&mut out, &run, args)?;
    }
    out.flush()?;
    Ok(if passed(&run, args.min_robustness) {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn passed(run: &EvasionRun, min_robustness: f64) -> bool {
    run.robustness() >= min_robustness && run.passes_broken == 0
}

fn expected(e: Expectation) -> &'static str {
    match e {
        Expectation::Fires => "fires",
        Expectation::Passes => "passes",
    }
}

fn to_json(run: &EvasionRun, min_robustness: f64) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = run
        .rules
        .iter()
        .map(|r| {
            json!({
                "rule_id": r.rule_id,
                "variants": r.variants,
                "still_fire": r.still_fire,
                "robustness": r.robustness(),
                "pass_variants": r.pass_variants,
                "passes_broken": r.passes_broken,
            })
        })
        .collect();
    let failures: Vec<serde_json::Value> = run
        .failures
        .iter()
        .map(|f| {
            json!({
                "rule_id": f.rule_id,
                "expected": expected(f.expected),
                "location": f.location.to_string(),
                "example": f.example,
                "variant": f.variant,
                "mutations": f.mutations,
                "reason": f.reason,
            })
        })
        .collect();
    json!({
        "variants": run.variants,
        "still_fire": run.still_fire,
        "robustness": run.robustness(),
        "pass_variants": run.pass_variants,
        "passes_broken": run.passes_broken,
        "failures": failures,
        "seed": run.seed,
        "min_robustness": min_robustness,
        "passed": passed(run, min_robustness),
        "skipped_examples": run.skipped,
        "rules": rules,
    })
}

fn table(out: &mut impl Write, run: &EvasionRun, args: &FuzzArgs) -> Result<()> {
    let width = run
        .rules
        .iter()
        .map(|r| r.rule_id.len())
        .chain([4])
        .max()
        .unwrap_or(4);
    writeln!(
        out,
        "{:<width$}  {:>11} {:>8}  {:>13}",
        "rule", "still fire", "", "passes broken"
    )?;
    for r in &run.rules {
        writeln!(
            out,
            "{:<width$}  {:>11} {:>7.1}%  {:>13}",
            r.rule_id,
            format!("{}/{}", r.still_fire, r.variants),
            100.0 * r.robustness(),
            format!("{}/{}", r.passes_broken, r.pass_variants),
        )?;
    }
    for failure in &run.failures {
        writeln!(out, "FAIL {failure}")?;
    }
    if run.skipped > 0 {
        writeln!(
            out,
            "note: {} example(s) fail undisguised and were skipped; run `hegui rules test`",
            run.skipped
        )?;
    }
    writeln!(
        out,
        "{} of {} disguised fires variants still fire ({:.1}%, minimum {:.1}%); {} of {} disguised passes variants broken (seed {}, {} variants per example)",
        run.still_fire,
        run.variants,
        100.0 * run.robustness(),
        100.0 * args.min_robustness,
        run.passes_broken,
        run.pass_variants,
        run.seed,
        args.variants,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hegui_core::evasion::{EvasionFailure, Mutation};
    use hegui_core::Location;

    fn run(still_fire: usize, passes_broken: usize) -> EvasionRun {
        EvasionRun {
            seed: 3,
            variants: 100,
            still_fire,
            pass_variants: 50,
            passes_broken,
            failures: vec![EvasionFailure {
                rule_id: "exaggeration.x".into(),
                expected: Expectation::Fires,
                location: Location {
                    path: "p.toml".into(),
                    line: 3,
                    column: 4,
                },
                example: "最好".into(),
                variant: "蕞好".into(),
                mutations: vec![Mutation::Homophone],
                reason: "did not fire".into(),
            }],
            ..EvasionRun::default()
        }
    }

    #[test]
    fn threshold_and_broken_passes_decide_the_outcome() {
        assert!(passed(&run(95, 0), 0.95));
        assert!(!passed(&run(94, 0), 0.95));
        assert!(!passed(&run(100, 1), 0.95));
        assert!(passed(&run(0, 0), 0.0));
    }

    #[test]
    fn json_has_the_documented_keys() {
        let value = to_json(&run(99, 1), 0.95);
        for key in [
            "variants",
            "still_fire",
            "robustness",
            "pass_variants",
            "passes_broken",
            "failures",
        ] {
            assert!(value.get(key).is_some(), "{key} missing: {value}");
        }
        assert_eq!(value["robustness"], 0.99);
        assert_eq!(value["passed"], false);
        let failure = &value["failures"][0];
        assert_eq!(failure["location"], "p.toml:3:4");
        assert_eq!(failure["mutations"], json!(["homophone"]));
        assert_eq!(failure["expected"], "fires");
    }
}
