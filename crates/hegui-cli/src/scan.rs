//! `hegui scan`.

use std::io::Write;

use anyhow::Result;
use clap::{Args, ValueEnum};
use hegui_core::{Report, Severity};
use serde_json::{json, Value};

use crate::{batch, input, packs, render, sarif, FailOn, Outcome};

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Files to scan, each one message; none or `-` reads stdin.
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Batch mode: input is JSON Lines `{"id": …, "text": "…", "channel": …}`, output one
    /// JSON line per input line, in order (other input fields except `text` are passed
    /// through). Runs on all cores.
    #[arg(long, conflicts_with = "lines")]
    jsonl: bool,
    /// Batch mode: each input line is one message; output as `--jsonl` with `"line": n`.
    #[arg(long)]
    lines: bool,
    /// With `--jsonl`/`--lines`: print only totals (messages, verdicts, findings per
    /// category and rule, MB/s); `--format json` prints them as JSON.
    #[arg(long)]
    summary: bool,
    /// Channel profile to apply (`sms`, `wechat_mass`, `mp_article`, `moments`); batch
    /// records may name their own `channel`.
    #[arg(long, value_name = "NAME")]
    channel: Option<String>,
    /// Worker threads for `--jsonl`/`--lines` (default: all cores).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Never show a progress bar (it is only shown on a terminal, for inputs over 4 MB).
    #[arg(long)]
    no_progress: bool,
    #[command(flatten)]
    packs: packs::PackArgs,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Block)]
    fail_on: FailOn,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    lossy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable diagnostics with the line and a marker under the span.
    Text,
    /// One JSON report (an array of reports for several files).
    Json,
    /// One JSON report per line.
    Jsonl,
    /// SARIF 2.1.0 log (one result per finding) for code-scanning tools.
    Sarif,
}

pub(crate) fn run(args: &ScanArgs) -> Result<Outcome> {
    let scanner = args.packs.scanner()?;
    let threshold = Severity::from(args.fail_on);
    if args.summary && !(args.jsonl || args.lines) {
        anyhow::bail!("--summary needs --jsonl or --lines");
    }
    if args.jsonl || args.lines {
        let options = batch::Options {
            channel: args.channel.as_deref(),
            mode: if args.lines {
                batch::Mode::Lines
            } else {
                batch::Mode::Jsonl
            },
            threshold,
            summary: args.summary,
            summary_json: args.format == Format::Json,
            lossy: args.lossy,
            progress: !args.no_progress,
        };
        let threads = match args.threads {
            Some(n) if n > 0 => n,
            _ => std::thread::available_parallelism().map_or(1, usize::from),
        };
        return batch::run(&scanner, threads, &args.paths, options);
    }
    let inputs = input::read_inputs(&args.paths, args.lossy)?;
    let reports: Vec<(input::Input, Report)> = inputs
        .into_iter()
        .map(|input| {
            let report = scanner
                .scan_in(&input.text, args.channel.as_deref())
                .map_err(|e| anyhow::anyhow!("{}: {e}", input.name))?;
            Ok((input, report))
        })
        .collect::<Result<_>>()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Text => {
            for (input, report) in &reports {
                render::text(&mut out, &input.name, &input.text, report)?;
            }
        }
        Format::Json => {
            let mut values: Vec<Value> = reports
                .iter()
                .map(|(input, report)| with_path(&input.name, report))
                .collect();
            let value = if values.len() == 1 {
                values.remove(0)
            } else {
                Value::Array(values)
            };
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut out, &sarif::log(&scanner, &reports))?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for (input, report) in &reports {
                serde_json::to_writer(&mut out, &with_path(&input.name, report))?;
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    let failed = reports.iter().any(|(_, r)| r.verdict.reaches(threshold));
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The report as JSON with the input's name first.
fn with_path(name: &str, report: &Report) -> Value {
    json!({
        "path": name,
        "verdict": report.verdict,
        "findings": report.findings,
        "packs": report.packs,
    })
}
