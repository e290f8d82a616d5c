//! `hegui rules …`: commands for people who maintain rule packs.

use std::path::PathBuf;

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
}

pub(crate) fn run(command: &RulesCommand) -> Result<Outcome> {
    match command {
        RulesCommand::Test { paths } => test(paths),
    }
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
