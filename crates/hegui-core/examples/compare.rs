//! The Rust side of `bench/compare`: the plain Aho-Corasick ceiling over the default packs'
//! terms, jieba-rs `cut` alone, and the full hegui scan with the default packs, measured
//! in one process over the same messages, passes interleaved so that machine load hits
//! every row alike; then the full scan's ratio to the ceiling once more, the two taking
//! turns every 2,000 lines.
//!
//! ```sh
//! target/release/hegui rules terms > /tmp/terms.txt
//! cargo run --release -p hegui-core --example compare -- ../shared/data/corpus/zh-mixed.txt /tmp/terms.txt 5
//! ```
//!
//! Arguments: CORPUS (one message per line), TERMS (one term per line, as printed by
//! `hegui rules terms`), PASSES (default 5). Prints one JSON object per line (one per
//! measurement) on stdout; `bench/compare` turns them into the Markdown table. Every
//! figure is the median over the passes. Exits 1 when a pass counts other matches,
//! tokens or findings than the first (a measurement that changes its answer is void).
//!
//! `compare --serve-chunks CORPUS` is the hegui side of the Python rows' turns (see
//! `bench/compare.d/python.py`): it scans every message once, prints `ready MESSAGES`,
//! then answers each line
//! `START END` on stdin with `SECONDS FINDINGS`, the time of the full scan of messages
//! `START..END` and their findings, until stdin ends.

use std::hint::black_box;
use std::time::Instant;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use hegui_core::Scanner;
use jieba_rs::Jieba;

/// How many lines the ceiling and the full scan take at a turn for the second form of
/// their ratio.
const TURN_LINES: usize = 2_000;

/// Median time of the first scanner build of a process, over `passes` fresh processes
/// (this program run again with `--build-once`): what a command that scans pays.
fn cold_build_ms(passes: usize) -> f64 {
    let exe = std::env::current_exe().unwrap_or_else(|e| {
        eprintln!("cannot find this program to run it again: {e}");
        std::process::exit(2);
    });
    let times = (0..passes)
        .map(|_| {
            let out = std::process::Command::new(&exe)
                .arg("--build-once")
                .output()
                .ok()
                .filter(|out| out.status.success());
            let ms = out.and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse().ok());
            ms.unwrap_or_else(|| {
                eprintln!("{} --build-once failed", exe.display());
                std::process::exit(2);
            })
        })
        .collect();
    median(times)
}

/// The text of the file at `path`; exits 2 with the error if it cannot be read.
fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    })
}

/// The non-empty lines of `text`: the corpus's messages, or the terms.
fn messages(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.is_empty()).collect()
}

/// The scans of chunks of `corpus` that another process asks for on stdin, timed (see
/// the module's documentation): the process taking turns with it waits while it scans.
fn serve_chunks(corpus: &str) {
    use std::io::{BufRead, Write};
    let text = read(corpus);
    let lines = messages(&text);
    let scanner = Scanner::with_default_packs();
    // Every message once first, as the other rows' earlier passes did: the patterns'
    // first compiles are not timed.
    for line in &lines {
        black_box(scanner.scan(line));
    }
    let mut out = std::io::stdout().lock();
    let reply = |out: &mut std::io::StdoutLock, line: String| {
        if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
            std::process::exit(0);
        }
    };
    reply(&mut out, format!("ready {}", lines.len()));
    for request in std::io::stdin().lock().lines() {
        let Ok(request) = request else { break };
        let range: Option<Vec<usize>> =
            request.split_whitespace().map(|n| n.parse().ok()).collect();
        let chunk = match range.as_deref() {
            Some(&[start, end]) if start <= end && end <= lines.len() => &lines[start..end],
            _ => {
                let count = lines.len();
                eprintln!("compare --serve-chunks: {request:?} is not START END within {count}");
                std::process::exit(2);
            }
        };
        let (secs, findings) = timed(chunk, |l| scanner.scan(l).findings.len());
        reply(&mut out, format!("{secs} {findings}"));
    }
}

/// The seconds `f` takes over `lines`, one call a line, and the sum of what it counts.
fn timed(lines: &[&str], mut f: impl FnMut(&str) -> usize) -> (f64, usize) {
    let start = Instant::now();
    let count = lines.iter().map(|line| f(black_box(line))).sum();
    (start.elapsed().as_secs_f64(), count)
}

/// Characters per message of the fixed-size set (200 Han characters ≈ 600 bytes).
const CHUNK_CHARS: usize = 200;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--build-once") {
        // One cold build in a fresh process (see `cold_build_ms`).
        let start = Instant::now();
        black_box(Scanner::with_default_packs());
        println!("{}", start.elapsed().as_secs_f64() * 1e3);
        return;
    }
    if let (Some("--serve-chunks"), Some(corpus)) = (args.first().map(String::as_str), args.get(1))
    {
        serve_chunks(corpus);
        return;
    }
    let (Some(corpus), Some(terms)) = (args.first(), args.get(1)) else {
        eprintln!("usage: compare CORPUS TERMS [PASSES]");
        std::process::exit(2);
    };
    let passes: usize = args
        .get(2)
        .and_then(|p| p.parse().ok())
        .filter(|&p| p > 0)
        .unwrap_or(5);
    let text = read(corpus);
    let terms_text = read(terms);
    let terms = messages(&terms_text);
    let lines = messages(&text);
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    let chunks = fixed_size_messages(&lines, CHUNK_CHARS);
    let chunk_bytes: usize = chunks.iter().map(String::len).sum();

    // Builds.
    let cold_build = cold_build_ms(passes);
    let scanner_build = median_ms(passes, Scanner::with_default_packs);
    let jieba_build = median_ms(passes, Jieba::new);
    let build_ac = |kind: AhoCorasickKind, match_kind: MatchKind| {
        AhoCorasick::builder()
            .kind(Some(kind))
            .match_kind(match_kind)
            .build(&terms)
            .expect("the terms build an automaton")
    };
    let ceiling_build = median_ms(passes, || {
        build_ac(AhoCorasickKind::DFA, MatchKind::LeftmostLongest)
    });
    let scanner = Scanner::with_default_packs();
    let jieba = Jieba::new();
    let ceiling = build_ac(AhoCorasickKind::DFA, MatchKind::LeftmostLongest);
    let overlapping = build_ac(AhoCorasickKind::DFA, MatchKind::Standard);

    emit(&[
        ("kind", s("input")),
        ("messages", lines.len().to_string()),
        ("bytes", bytes.to_string()),
        ("terms", terms.len().to_string()),
        ("chunk_messages", chunks.len().to_string()),
        ("chunk_bytes", chunk_bytes.to_string()),
        ("passes", passes.to_string()),
    ]);
    for (id, ms, what) in [
        (
            "build.scanner.cold",
            cold_build,
            "Scanner::with_default_packs(), first in a fresh process (reads the dictionary)",
        ),
        (
            "build.scanner",
            scanner_build,
            "Scanner::with_default_packs() again in the same process (dictionary read once per process)",
        ),
        ("build.jieba", jieba_build, "jieba_rs::Jieba::new()"),
        (
            "build.ceiling",
            ceiling_build,
            "AhoCorasick DFA LeftmostLongest over the terms",
        ),
    ] {
        emit(&[
            ("kind", s("build")),
            ("id", s(id)),
            ("what", s(what)),
            ("ms", format!("{ms:.2}")),
        ]);
    }

    // Per-line passes, interleaved.
    let mut rows: Vec<Row> = vec![
        Row::new("a", "aho-corasick DFA, LeftmostLongest, find_iter"),
        Row::new("a2", "aho-corasick DFA, Standard, find_overlapping_iter"),
        Row::new("b", "jieba-rs cut (no HMM)"),
        Row::new("c", "hegui Scanner::scan, default packs"),
    ];
    // What rows (a) and (c) count in a line, also taken in turns below.
    let ceiling_matches = |l: &str| ceiling.find_iter(l).count();
    let scan_findings = |l: &str| scanner.scan(l).findings.len();
    for _ in 0..passes {
        rows[0].pass(&lines, ceiling_matches);
        rows[1].pass(&lines, |l| overlapping.find_overlapping_iter(l).count());
        rows[2].pass(&lines, |l| jieba.cut(l, false).len());
        rows[3].pass(&lines, scan_findings);
    }
    // The same run's ratio of the full scan to the ceiling, pass by pass.
    let ratios: Vec<f64> = rows[3]
        .secs
        .iter()
        .zip(&rows[0].secs)
        .map(|(scan, ceiling)| ceiling / scan)
        .collect();
    let mut consistent = true;
    for row in &rows {
        consistent &= row.emit(bytes, lines.len());
    }
    emit(&[
        ("kind", s("ratio")),
        ("id", s("c/a")),
        ("median", format!("{:.4}", median(ratios))),
    ]);

    // The same ratio with the two taking turns every `TURN_LINES` lines (the order
    // flipped from one chunk to the next), so that a change of the host's speed within
    // a pass hits both alike: an aid to reading the ratio above, not a replacement.
    let mut turns = Vec::new();
    for _ in 0..passes {
        let (mut ceiling_secs, mut scan_secs) = (0.0, 0.0);
        let (mut ceiling_count, mut scan_count) = (0usize, 0usize);
        for (k, chunk) in lines.chunks(TURN_LINES).enumerate() {
            for turn in 0..2 {
                if (k + turn) % 2 == 0 {
                    let (secs, count) = timed(chunk, ceiling_matches);
                    ceiling_secs += secs;
                    ceiling_count += count;
                } else {
                    let (secs, count) = timed(chunk, scan_findings);
                    scan_secs += secs;
                    scan_count += count;
                }
            }
        }
        consistent &= ceiling_count == rows[0].counts[0] && scan_count == rows[3].counts[0];
        turns.push(ceiling_secs / scan_secs);
    }
    emit(&[
        ("kind", s("ratio")),
        ("id", s("c/a.turns")),
        ("lines", TURN_LINES.to_string()),
        ("median", format!("{:.4}", median(turns.clone()))),
        ("runs", json_list(turns.iter().map(|r| format!("{r:.4}")))),
    ]);

    // Fixed-size messages, each timed alone: the per-message latency target.
    let mut medians = Vec::new();
    let mut p90s = Vec::new();
    let mut totals = Vec::new();
    let mut findings = None;
    let mut times = Vec::with_capacity(chunks.len());
    for _ in 0..passes {
        times.clear();
        let mut found = 0usize;
        let start = Instant::now();
        for chunk in &chunks {
            let t = Instant::now();
            let report = scanner.scan(black_box(chunk));
            times.push(t.elapsed().as_nanos() as f64);
            found += report.findings.len();
        }
        totals.push(start.elapsed().as_secs_f64());
        times.sort_by(f64::total_cmp);
        medians.push(times[times.len() / 2]);
        p90s.push(times[times.len() * 9 / 10]);
        consistent &= *findings.get_or_insert(found) == found;
    }
    emit(&[
        ("kind", s("latency")),
        ("id", s("c600")),
        (
            "what",
            s(&format!(
                "hegui Scanner::scan, corpus cut into {CHUNK_CHARS}-character messages"
            )),
        ),
        ("messages", chunks.len().to_string()),
        ("bytes", chunk_bytes.to_string()),
        ("median_ns", format!("{:.0}", median(medians))),
        ("p90_ns", format!("{:.0}", median(p90s))),
        (
            "mbps",
            format!("{:.2}", chunk_bytes as f64 / 1e6 / median(totals)),
        ),
        ("count", findings.unwrap_or(0).to_string()),
    ]);
    if !consistent {
        eprintln!("compare: a pass counted differently from the first");
        std::process::exit(1);
    }
}

/// One measured row: seconds of every pass and the count of the first.
struct Row {
    id: &'static str,
    what: &'static str,
    secs: Vec<f64>,
    counts: Vec<usize>,
}

impl Row {
    fn new(id: &'static str, what: &'static str) -> Row {
        Row {
            id,
            what,
            secs: Vec::new(),
            counts: Vec::new(),
        }
    }

    fn pass(&mut self, lines: &[&str], f: impl FnMut(&str) -> usize) {
        let (secs, count) = timed(lines, f);
        self.secs.push(secs);
        self.counts.push(count);
    }

    /// Prints the row; false when a pass counted differently.
    fn emit(&self, bytes: usize, messages: usize) -> bool {
        let secs = median(self.secs.clone());
        let runs = json_list(
            self.secs
                .iter()
                .map(|t| format!("{:.2}", bytes as f64 / 1e6 / t)),
        );
        emit(&[
            ("kind", s("row")),
            ("id", s(self.id)),
            ("what", s(self.what)),
            ("mbps", format!("{:.2}", bytes as f64 / 1e6 / secs)),
            ("ns_per_msg", format!("{:.0}", secs * 1e9 / messages as f64)),
            ("runs_mbps", runs),
            ("count", self.counts[0].to_string()),
        ]);
        self.counts.iter().all(|&c| c == self.counts[0])
    }
}

/// The lines joined with `\n` and cut into messages of `chars` characters.
fn fixed_size_messages(lines: &[&str], chars: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut n = 0;
    for c in lines.iter().flat_map(|l| l.chars().chain(['\n'])) {
        current.push(c);
        n += 1;
        if n == chars {
            out.push(std::mem::take(&mut current));
            n = 0;
        }
    }
    out
}

fn median_ms<T>(passes: usize, mut f: impl FnMut() -> T) -> f64 {
    let times = (0..passes)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    median(times)
}

/// A JSON array of the given JSON values.
fn json_list(values: impl Iterator<Item = String>) -> String {
    format!("[{}]", values.collect::<Vec<_>>().join(", "))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn s(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One JSON object per line; values are already JSON.
fn emit(fields: &[(&str, String)]) {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("\"{k}\": {v}"))
        .collect();
    println!("{{{}}}", body.join(", "));
}
