//! Measures link checks per second over every URL of both OpenPhish dumps.
//!
//! ```text
//! cargo run --release -p hegui-url --example checks_per_second [DATA_DIR]
//! ```
//!
//! `DATA_DIR` defaults to `shared/data` next to the repository.

use std::path::PathBuf;
use std::time::Instant;

use hegui_url::{check, extract, LinkChecker, Policy};

const FILES: &[&str] = &["urls/openphish-before-2026.tsv", "urls/openphish-2026.tsv"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let mut texts = Vec::new();
    for file in FILES {
        texts.push(std::fs::read_to_string(dir.join(file))?);
    }
    let urls: Vec<&str> = texts
        .iter()
        .flat_map(|t| t.lines().skip(1))
        .filter_map(|line| line.split_once('\t').map(|(_, url)| url.trim()))
        .collect();
    let policy = Policy::default();

    let checker = LinkChecker::new(&policy);
    let start = Instant::now();
    let issues: usize = urls.iter().map(|u| checker.check_url(u).issues.len()).sum();
    report("LinkChecker::check_url", urls.len(), start, issues);

    let links: Vec<_> = urls
        .iter()
        .flat_map(|u| extract(&format!("点击{u}，领取奖品")))
        .collect();
    let start = Instant::now();
    let issues: usize = links.iter().map(|l| checker.check(l).issues.len()).sum();
    report(
        "LinkChecker::check (extracted links)",
        links.len(),
        start,
        issues,
    );

    let start = Instant::now();
    let issues: usize = links.iter().map(|l| check(l, &policy).issues.len()).sum();
    report(
        "hegui_url::check (policy prepared per call)",
        links.len(),
        start,
        issues,
    );

    let start = Instant::now();
    let found: usize = urls
        .iter()
        .map(|u| extract(&format!("详情见：{u}（分享自微博）")).len())
        .sum();
    report("extract (one sentence per URL)", urls.len(), start, found);
    Ok(())
}

fn report(what: &str, n: usize, start: Instant, total: usize) {
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{what}: {n} in {secs:.2} s = {:.0} per second ({total} issues/links)",
        n as f64 / secs
    );
}
