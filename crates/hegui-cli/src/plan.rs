//! `hegui plan check PLAN`: can this campaign go out as planned? Platform limits,
//! schedule, media review time, a compliant split when over a limit, and the content of
//! every message.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use hegui_core::{Message, Scanner, Severity, Verdict};
use hegui_plan::{Plan, Platform};
use serde_json::{json, Map, Value};

use crate::{packs, FailOn, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum PlanCommand {
    /// Check a send plan (TOML or JSON): limits, schedule, media review, content.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The plan file (`.toml` or `.json`); `-` reads JSON from stdin.
    plan: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Directory of platform profiles instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    platforms: Option<PathBuf>,
    #[command(flatten)]
    packs: packs::PackArgs,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Block)]
    fail_on: FailOn,
    /// Add timing advice (e.g. promotional sends outside 19:00–22:00).
    #[arg(long)]
    advice: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Findings and the proposed schedule, readable.
    Text,
    /// `{"verdict", "findings", "proposal"}`.
    Json,
}

pub(crate) fn run(command: &PlanCommand) -> Result<Outcome> {
    let PlanCommand::Check(args) = command;
    let text = crate::input::decode(
        &crate::input::display_name(&args.plan),
        crate::input::read_bytes(&args.plan)?,
        false,
    )?;
    let plan = parse(&args.plan, &text)?;
    let platforms = match &args.platforms {
        Some(dir) => load_platforms(dir)?,
        None => hegui_plan::default_platforms(),
    };
    let scanner = args.packs.scanner()?;
    let value = check(&scanner, &platforms, &plan, args.advice)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&value)?;
            writeln!(out, "{text}")?;
        }
        Format::Text => text_report(&mut out, &value)?,
    }
    let threshold = Severity::from(args.fail_on);
    let failed = value["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| serde_json::from_value::<Severity>(f["severity"].clone()).ok())
        .any(|s| s >= threshold);
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Parses a plan; errors name the file, line and column.
pub(crate) fn parse(name: &str, text: &str) -> Result<Plan> {
    if name.to_ascii_lowercase().ends_with(".toml") {
        return toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(String::new(), |s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(":{line}:{column}")
            });
            anyhow::anyhow!("{name}{at}: {}", e.message())
        });
    }
    serde_json::from_str(text)
        .map_err(|e| anyhow::anyhow!("{name}:{}:{}: {e}", e.line(), e.column()))
}

fn load_platforms(dir: &Path) -> Result<Vec<Platform>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{}: no .toml platform profiles", dir.display());
    }
    files
        .iter()
        .map(|path| {
            let name = path.display().to_string();
            let text =
                std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
            Ok(Platform::from_toml(&name, &text)?)
        })
        .collect()
}

const CONTENT: &[&str] = &[
    "type", "title", "digest", "text", "html", "url", "appid", "path",
];

/// The plan report as JSON: `{"verdict", "platform", "findings", "proposal"}`; content
/// findings carry `"message"` (the message id or index).
pub(crate) fn check(
    scanner: &Scanner,
    platforms: &[Platform],
    plan: &Plan,
    advice: bool,
) -> Result<Value> {
    let report = hegui_plan::check(plan, platforms, advice)?;
    let mut findings: Vec<Value> = Vec::new();
    let mut highest: Option<Severity> = None;
    for finding in &report.findings {
        let severity = match finding.severity {
            hegui_plan::Severity::Notice => Severity::Notice,
            hegui_plan::Severity::Review => Severity::Review,
            hegui_plan::Severity::Block => Severity::Block,
        };
        highest = highest.max(Some(severity));
        findings.push(serde_json::to_value(finding)?);
    }
    for (i, planned) in plan.messages.iter().enumerate() {
        let id = planned.id.clone().map_or_else(|| json!(i), Value::from);
        let fields: Map<String, Value> = planned
            .content
            .iter()
            .filter(|(k, _)| CONTENT.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut message: Message = serde_json::from_value(Value::Object(fields))
            .with_context(|| format!("message {id}"))?;
        message.channel = plan.channel.clone();
        let content = scanner
            .scan_message(&message)
            .with_context(|| format!("message {id}"))?;
        for finding in content.findings {
            highest = highest.max(Some(finding.severity));
            let mut value = serde_json::to_value(&finding)?;
            if let Some(object) = value.as_object_mut() {
                object.insert("message_id".to_owned(), id.clone());
            }
            findings.push(value);
        }
    }
    Ok(json!({
        "verdict": Verdict::from_highest(highest),
        "platform": report.platform,
        "findings": findings,
        "proposal": report.proposal,
    }))
}

fn text_report(out: &mut impl Write, value: &Value) -> Result<()> {
    let findings = value["findings"].as_array().cloned().unwrap_or_default();
    for f in &findings {
        let place = match (&f["message_id"], &f["send"], &f["field"]) {
            (Value::Null, Value::Null, _) => String::new(),
            (Value::Null, send, _) => format!(" (send #{})", send.as_u64().unwrap_or(0) + 1),
            (id, _, Value::Null) => format!(" (message {id})"),
            (id, _, field) => format!(" (message {id}, {})", field.as_str().unwrap_or_default()),
        };
        writeln!(
            out,
            "{}[{}]{place}: {}",
            f["severity"].as_str().unwrap_or_default(),
            f["rule_id"].as_str().unwrap_or_default(),
            f["message"].as_str().unwrap_or_default()
        )?;
        if let Some(text) = f["text"].as_str().filter(|t| !t.is_empty()) {
            writeln!(out, "  = 文本: {text}")?;
        }
        if let Some(suggestion) = f["suggestion"].as_str() {
            writeln!(out, "  = 建议: {suggestion}")?;
        }
    }
    let proposal = value["proposal"].as_array().cloned().unwrap_or_default();
    if !proposal.is_empty() {
        writeln!(out, "proposed schedule ({} sends):", proposal.len())?;
        for batch in &proposal {
            writeln!(
                out,
                "  {}  {:>6} recipients",
                batch["send_at"].as_str().unwrap_or_default(),
                batch["recipients"]
            )?;
        }
    }
    writeln!(
        out,
        "plan on {}: {} ({} findings)",
        value["platform"].as_str().unwrap_or_default(),
        value["verdict"].as_str().unwrap_or_default(),
        findings.len()
    )?;
    Ok(())
}
