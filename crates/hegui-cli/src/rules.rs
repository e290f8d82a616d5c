//! `hegui rules …`: commands for people who maintain rule packs.

use std::path::PathBuf;

use std::io::Write;

use anyhow::{Context, Result};
use clap::Subcommand;

use crate::{packs, ruledoc, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// Run every `fires` / `passes` example of the packs (default: the built-in packs).
    Test {
        /// Pack files or directories.
        paths: Vec<PathBuf>,
    },
    /// Print every dictionary term of the packs, normalised, one per line.
    Terms {
        /// Pack files or directories.
        paths: Vec<PathBuf>,
    },
    /// Check packs for problems: duplicate ids and terms, terms or regexes that can never
    /// match, single-character terms in `any` mode, `unless` phrases without a term of
    /// their rule, rules without examples, conflicting severities. Exit 1 on errors.
    Lint {
        /// Pack files or directories.
        paths: Vec<PathBuf>,
    },
    /// List the rules: id, category, severity, kind, example counts.
    List {
        /// Pack files or directories.
        paths: Vec<PathBuf>,
        /// Print one JSON object per rule instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one rule's documentation: what it flags, why, examples, suggested rewrite.
    Explain {
        /// The rule id, e.g. `induce-share.reward-for-share`.
        rule_id: String,
        /// Rule packs instead of the defaults; repeatable.
        #[arg(long = "packs", value_name = "PATH")]
        packs: Vec<PathBuf>,
    },
    /// Disguise every example the way marketers do (separators, emoji, full-width,
    /// traditional, zero-width, line breaks, case, homophones, circled digits) and check
    /// that `fires` examples still fire and `passes` examples still pass. Exit 1 below
    /// `--min-robustness` or when a pass breaks.
    Fuzz(crate::rules_fuzz::FuzzArgs),
    /// Write one Markdown page per rule (and an index) to a directory.
    Docs {
        /// Pack files or directories.
        paths: Vec<PathBuf>,
        /// Output directory.
        #[arg(long, value_name = "DIR", default_value = "docs/rules")]
        out: PathBuf,
        /// Write nothing; exit 1 when a page in DIR differs from what would be written.
        #[arg(long)]
        check: bool,
    },
}

pub(crate) fn run(command: &RulesCommand) -> Result<Outcome> {
    match command {
        RulesCommand::Test { paths } => test(paths),
        RulesCommand::Terms { paths } => terms(paths),
        RulesCommand::Lint { paths } => crate::lint::run(paths),
        RulesCommand::List { paths, json } => list(paths, *json),
        RulesCommand::Explain { rule_id, packs } => explain(rule_id, packs),
        RulesCommand::Docs { paths, out, check } => docs(paths, out, *check),
        RulesCommand::Fuzz(args) => crate::rules_fuzz::run(args),
    }
}

fn list(paths: &[PathBuf], json: bool) -> Result<Outcome> {
    let scanner = packs::scanner(paths)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let entries = ruledoc::entries(&scanner);
    if json {
        for entry in &entries {
            serde_json::to_writer(&mut out, entry)?;
            writeln!(out)?;
        }
    } else {
        let width = entries.iter().map(|e| e.id.len()).max().unwrap_or(0);
        writeln!(
            out,
            "{:<width$}  {:<14} {:<8} {:<9} fires passes",
            "rule", "category", "severity", "kind"
        )?;
        for e in &entries {
            writeln!(
                out,
                "{:<width$}  {:<14} {:<8} {:<9} {:>5} {:>6}",
                e.id, e.category, e.severity, e.kind, e.fires, e.passes
            )?;
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

fn explain(rule_id: &str, paths: &[PathBuf]) -> Result<Outcome> {
    let scanner = packs::scanner(paths)?;
    match ruledoc::page(&scanner, rule_id) {
        Some(page) => {
            print!("{page}");
            Ok(Outcome::Clean)
        }
        None => {
            let ids: Vec<String> = ruledoc::entries(&scanner)
                .into_iter()
                .map(|e| e.id)
                .collect();
            let close: Vec<&String> = ids
                .iter()
                .filter(|id| id.contains(rule_id) || rule_id.contains(id.as_str()))
                .collect();
            let hint = if close.is_empty() {
                "`hegui rules list` shows every rule id".to_owned()
            } else {
                format!(
                    "did you mean {}?",
                    close
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            anyhow::bail!("no rule with id `{rule_id}`; {hint}")
        }
    }
}

fn docs(paths: &[PathBuf], dir: &std::path::Path, check: bool) -> Result<Outcome> {
    let scanner = packs::scanner(paths)?;
    let pages = ruledoc::pages(&scanner);
    if check {
        let mut stale = Vec::new();
        for (name, page) in &pages {
            let path = dir.join(name);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
                stale.push(path.display().to_string());
            }
        }
        let wanted: std::collections::HashSet<&str> =
            pages.iter().map(|(n, _)| n.as_str()).collect();
        if let Ok(read) = std::fs::read_dir(dir) {
            for entry in read.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".md") && !wanted.contains(name.as_str()) {
                    stale.push(format!(
                        "{} (no such rule any more)",
                        entry.path().display()
                    ));
                }
            }
        }
        for path in &stale {
            println!("stale: {path}");
        }
        if stale.is_empty() {
            println!("{} pages up to date in {}", pages.len(), dir.display());
            return Ok(Outcome::Clean);
        }
        println!(
            "run `hegui rules docs --out {}` to regenerate",
            dir.display()
        );
        return Ok(Outcome::Findings);
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    if let Ok(read) = std::fs::read_dir(dir) {
        for entry in read.flatten() {
            if entry.path().extension().is_some_and(|e| e == "md") {
                std::fs::remove_file(entry.path())
                    .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            }
        }
    }
    for (name, page) in &pages {
        let path = dir.join(name);
        std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!("wrote {} pages to {}", pages.len(), dir.display());
    Ok(Outcome::Clean)
}

/// Terms, group terms, triggers and context words (what the dictionary matches; not the
/// `unless` exceptions), normalised as the scanner sees them, first occurrence order.
fn terms(paths: &[PathBuf]) -> Result<Outcome> {
    let scanner = packs::scanner(paths)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for rule in scanner.rules() {
        let d = &rule.def;
        let all = d
            .terms
            .iter()
            .chain(d.all_of.iter().flatten())
            .chain(&d.triggers)
            .chain(&d.context);
        for term in all {
            let normalized = scanner.normalizer().normalize(term);
            if seen.insert(normalized.as_str().to_string()) {
                writeln!(out, "{}", normalized.as_str())?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

fn test(paths: &[PathBuf]) -> Result<Outcome> {
    let scanner = packs::scanner(paths)?;
    let run = scanner.check_examples();
    for failure in &run.failures {
        println!("FAIL {failure}");
    }
    let failed = run.failures.len();
    println!(
        "{} rules, {} examples: {} passed, {} failed",
        scanner.rules().len(),
        run.checked,
        run.checked - failed,
        failed
    );
    Ok(if failed == 0 {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
