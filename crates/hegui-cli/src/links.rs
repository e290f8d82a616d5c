//! `hegui links`: every link of the input with its host, registrable domain and the
//! `external-link` checks that fired.

use std::io::Write;

use anyhow::Result;
use clap::{Args, ValueEnum};
use hegui_core::{CheckedLink, Severity};
use serde_json::{json, Value};

use crate::{input, packs, FailOn, Outcome};

#[derive(Debug, Args)]
pub(crate) struct LinksArgs {
    /// Files to read, each one message; none or `-` reads stdin.
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
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
    /// One block per link: place, link, host, registrable domain, findings.
    Text,
    /// One JSON object per line and link:
    /// `{"url", "span", "host", "registrable_domain", "findings"}`
    /// (plus `"path"` when several inputs are given).
    Json,
}

pub(crate) fn run(args: &LinksArgs) -> Result<Outcome> {
    let scanner = args.packs.scanner()?;
    let threshold = Severity::from(args.fail_on);
    let inputs = input::read_inputs(&args.paths, args.lossy)?;
    let several = inputs.len() > 1;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for input in &inputs {
        let links = scanner.links(&input.text);
        failed |= links
            .iter()
            .flat_map(|l| &l.findings)
            .any(|f| f.severity >= threshold);
        match args.format {
            Format::Json => {
                for link in &links {
                    let path = several.then_some(input.name.as_str());
                    serde_json::to_writer(&mut out, &link_json(link, path))?;
                    writeln!(out)?;
                }
            }
            Format::Text => text(&mut out, &input.name, &input.text, &links)?,
        }
    }
    out.flush()?;
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The JSON object of one link, in the documented field order.
fn link_json(link: &CheckedLink, path: Option<&str>) -> Value {
    let mut value = json!({
        "url": link.url,
        "span": link.span,
        "host": link.host,
        "registrable_domain": link.registrable_domain,
        "findings": link.findings,
    });
    if let (Some(path), Some(object)) = (path, value.as_object_mut()) {
        object.insert("path".to_owned(), Value::from(path));
    }
    value
}

fn text(out: &mut impl Write, name: &str, text: &str, links: &[CheckedLink]) -> Result<()> {
    for link in links {
        let start = link.span.byte[0];
        let line = text[..start].matches('\n').count() + 1;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count() + 1;
        writeln!(out, "{name}:{line}:{column}: {}", link.url)?;
        let host = link.host.as_deref().unwrap_or("(does not parse)");
        let domain = link.registrable_domain.as_deref().unwrap_or("-");
        writeln!(out, "    host {host}, registrable domain {domain}")?;
        for finding in &link.findings {
            writeln!(
                out,
                "    {}[{}]: {}",
                finding.severity, finding.rule_id, finding.message
            )?;
        }
        if link.findings.is_empty() {
            writeln!(out, "    ok")?;
        }
    }
    let count = links.len();
    let noun = if count == 1 { "link" } else { "links" };
    let flagged = links.iter().filter(|l| !l.findings.is_empty()).count();
    writeln!(out, "{name}: {count} {noun}, {flagged} with findings")?;
    Ok(())
}
