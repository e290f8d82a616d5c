//! Measures scanner build time and scan throughput over a text file, one message per line.
//!
//! ```sh
//! cargo run --release -p hegui-core --example throughput -- ../shared/data/corpus/zh-mixed.txt
//! ```
//!
//! Prints the median of five build times, then for five passes over all lines the MB/s
//! and mean time per message, and the total findings (which must be equal every pass).

use std::time::Instant;

use hegui_core::Scanner;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: throughput FILE [PASSES]");
        std::process::exit(2);
    };
    let passes: usize = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(5);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let bytes: usize = lines.iter().map(|l| l.len()).sum();

    let mut builds = Vec::new();
    let mut scanner = None;
    for _ in 0..5 {
        let start = Instant::now();
        scanner = Some(Scanner::with_default_packs());
        builds.push(start.elapsed().as_secs_f64() * 1e3);
    }
    builds.sort_by(f64::total_cmp);
    let scanner = scanner.expect("built");
    println!("scanner build (default packs): median {:.1} ms", builds[2]);
    println!(
        "input: {} messages, {:.1} MB",
        lines.len(),
        bytes as f64 / 1e6
    );

    let mut rates = Vec::new();
    for pass in 0..passes {
        let start = Instant::now();
        let mut findings = 0usize;
        let mut flagged = 0usize;
        for line in &lines {
            let report = scanner.scan(line);
            findings += report.findings.len();
            flagged += usize::from(!report.findings.is_empty());
        }
        let secs = start.elapsed().as_secs_f64();
        let mbps = bytes as f64 / 1e6 / secs;
        rates.push(mbps);
        println!(
            "pass {pass}: {mbps:.1} MB/s, {:.2} µs/message, {findings} findings in {flagged} messages",
            secs * 1e6 / lines.len() as f64
        );
    }
    rates.sort_by(f64::total_cmp);
    println!("median: {:.1} MB/s", rates[rates.len() / 2]);
}
