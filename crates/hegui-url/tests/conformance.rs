//! WHATWG URL and Public Suffix List conformance, over the test vectors in
//! `shared/data/urls` (skipped when that folder is absent).

mod common;

use hegui_url::{check, extract, parse, registrable_domain, ExtractedLink, Policy};
use serde_json::Value;

const SPECIAL: &[&str] = &["http:", "https:", "ftp:", "ws:", "wss:"];

fn field<'a>(case: &'a Value, name: &str) -> Option<&'a str> {
    case.get(name).and_then(Value::as_str)
}

fn synthetic(input: &str) -> ExtractedLink {
    ExtractedLink {
        span: 0..input.len(),
        text: input.to_owned(),
        normalized: input.to_owned(),
        obfuscation: Vec::new(),
        has_scheme: true,
    }
}

#[test]
fn whatwg_hosts() {
    let Some(dir) = common::data_dir("whatwg_hosts") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("urls/urltestdata.json")).expect("readable");
    let cases: Vec<Value> = serde_json::from_str(&text).expect("valid JSON");
    let policy = Policy::default();
    let (mut hosts, mut failures) = (0, 0);
    for case in cases.iter().filter(|c| c.is_object()) {
        let Some(input) = field(case, "input") else {
            continue;
        };
        // Never panic, whatever the input.
        for link in extract(input) {
            let _ = check(&link, &policy);
        }
        if case.get("base").is_some_and(|b| !b.is_null()) {
            continue;
        }
        if case.get("failure").is_some() {
            if !matches!(
                url::Url::parse(input),
                Err(url::ParseError::RelativeUrlWithoutBase)
            ) {
                assert!(parse(input).is_none(), "{input:?} should fail");
                let report = check(&synthetic(input), &policy);
                assert!(
                    report.host.is_none() && report.issues.is_empty(),
                    "{input:?}: {report:?}"
                );
                failures += 1;
            }
            continue;
        }
        let protocol = field(case, "protocol").unwrap_or_default();
        let expected = field(case, "hostname").unwrap_or_default();
        if !SPECIAL.contains(&protocol) || expected.is_empty() {
            continue;
        }
        let parsed = parse(input).unwrap_or_else(|| panic!("{input:?} should parse"));
        assert_eq!(
            parsed.host.as_deref(),
            Some(expected.trim_end_matches('.')),
            "{input:?}"
        );
        hosts += 1;
    }
    eprintln!("WHATWG: {hosts} hosts matched, {failures} failures rejected");
    assert!(hosts > 100 && failures > 100, "{hosts} {failures}");
}

#[test]
fn psl_vectors() {
    let Some(dir) = common::data_dir("psl_vectors") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("urls/psl-tests.txt")).expect("readable");
    let mut count = 0;
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
    {
        let Some((input, expected)) = line.split_once(' ') else {
            continue;
        };
        if input == "null" {
            continue;
        }
        let expected =
            (expected != "null").then(|| hegui_url::normalize_host(expected).expect("valid"));
        assert_eq!(registrable_domain(input), expected, "{input}");
        count += 1;
    }
    eprintln!("PSL: {count} vectors passed");
    assert!(count > 50, "{count}");
}
