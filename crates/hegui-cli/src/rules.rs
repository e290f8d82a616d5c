//! `hegui rules …`: commands for people who maintain rule packs.

use std::path::PathBuf;

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;

use crate::{packs, Outcome};

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
}

pub(crate) fn run(command: &RulesCommand) -> Result<Outcome> {
    match command {
        RulesCommand::Test { paths } => test(paths),
        RulesCommand::Terms { paths } => terms(paths),
    }
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
