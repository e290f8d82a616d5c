//! `hegui schema`: JSON Schemas of rule packs and reports (the files in `docs/`).

use anyhow::Result;
use clap::{Args, ValueEnum};
use hegui_core::{PackDef, Report};

use crate::Outcome;

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Which schema.
    #[arg(value_enum)]
    which: Which,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Which {
    /// A rule pack (TOML or JSON).
    Pack,
    /// A scan report and its findings.
    Report,
}

/// The schema as pretty JSON text with a trailing newline.
pub(crate) fn schema_text(pack: bool) -> Result<String> {
    let schema = if pack {
        schemars::schema_for!(PackDef)
    } else {
        schemars::schema_for!(Report)
    };
    Ok(serde_json::to_string_pretty(&schema)? + "\n")
}

pub(crate) fn run(args: &SchemaArgs) -> Result<Outcome> {
    print!("{}", schema_text(args.which == Which::Pack)?);
    Ok(Outcome::Clean)
}
