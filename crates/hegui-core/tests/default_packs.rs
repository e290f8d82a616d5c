//! The default packs compile and every rule's examples behave as written — the same
//! check as `hegui rules test`.

use hegui_core::{Scanner, Verdict};

#[test]
fn every_example_of_the_default_packs_holds() {
    let scanner = Scanner::with_default_packs();
    let run = scanner.check_examples();
    let failures: Vec<String> = run.failures.iter().map(ToString::to_string).collect();
    assert!(
        failures.is_empty(),
        "failing examples:\n{}",
        failures.join("\n")
    );
    assert!(run.checked >= 6 * scanner.rules().len().min(1));
}

#[test]
fn every_default_rule_has_three_fires_and_three_passes() {
    for rule in Scanner::with_default_packs().rules() {
        assert!(rule.def.fires.len() >= 3, "{} has too few fires", rule.id());
        assert!(
            rule.def.passes.len() >= 3,
            "{} has too few passes",
            rule.id()
        );
    }
}

#[test]
fn starter_rules_cover_every_kind() {
    let scanner = Scanner::with_default_packs();
    let ids: Vec<&str> = scanner.rules().iter().map(|r| r.id()).collect();
    for id in [
        "exaggeration.absolute-term",
        "induce-share.reward-for-share",
        "finance.missing-risk-warning",
        "induce-share.threat",
    ] {
        assert!(ids.contains(&id), "missing {id}");
    }
}

#[test]
fn issue_examples() {
    let scanner = Scanner::with_default_packs();
    let text = "转发本文到朋友圈，即可领取红包";
    let report = scanner.scan(text);
    assert_eq!(report.verdict, Verdict::Block);
    let finding = &report.findings[0];
    assert_eq!(&*finding.category, "induce-share");
    assert_eq!(finding.text, text);
    assert_eq!(&text[finding.span.bytes()], text);

    assert_eq!(scanner.scan("我最近第一次来北京").verdict, Verdict::Pass);

    let spaced = "全 网 最 低 价";
    let report = scanner.scan(spaced);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].text, spaced);
    assert_eq!(report.findings[0].span.char, [0, 9]);
}

#[test]
fn findings_record_the_normalisation_they_needed() {
    let scanner = Scanner::with_default_packs();
    let report = scanner.scan("穩賺不賠，加我薇信");
    let finding = &report.findings[0];
    assert_eq!(finding.text, "穩賺不賠");
    assert_eq!(
        finding.normalized,
        vec![hegui_core::Step::Traditional],
        "{finding:?}"
    );
}

#[test]
fn the_same_scanner_serves_many_threads() {
    let scanner = Scanner::with_default_packs();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let scanner = scanner.clone();
            std::thread::spawn(move || {
                let text = format!("第{i}期：转发领红包");
                scanner.scan(&text).verdict
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().expect("no panic"), Verdict::Block);
    }
}
