//! Loading rule packs from files and directories.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use hegui_core::{RulePack, Scanner};

/// Where the rules come from: `--packs` and `--filed-domains`.
#[derive(Debug, Default, Args)]
pub(crate) struct PackArgs {
    /// Rule packs (file or directory) to use instead of the default packs; repeatable.
    #[arg(id = "packs", long = "packs", value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// ICP-filed registrable domains, one per line (`#` starts a comment): links to
    /// any other domain get `external-link.unfiled-domain` (review).
    #[arg(long, value_name = "FILE")]
    pub(crate) filed_domains: Option<PathBuf>,
}

impl PackArgs {
    /// The scanner these arguments ask for.
    pub(crate) fn scanner(&self) -> Result<Scanner> {
        let Some(file) = &self.filed_domains else {
            return scanner(&self.paths);
        };
        let domains = filed_domains(file)?;
        let packs = if self.paths.is_empty() {
            hegui_core::default_packs()
        } else {
            load(&self.paths)?
        };
        Ok(Scanner::builder()
            .packs(packs)
            .filed_domains(domains)
            .build()?)
    }
}

/// Reads a list of filed domains: one per line, blank lines and `#` comments
/// skipped; an entry that is not a domain name is an error naming its line.
pub(crate) fn filed_domains(path: &Path) -> Result<Vec<String>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
    let text = crate::input::decode(&name, bytes, false)?;
    let mut domains = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let entry = line.split('#').next().unwrap_or_default().trim();
        if entry.is_empty() {
            continue;
        }
        let column = line
            .find(entry)
            .map_or(1, |at| line[..at].chars().count() + 1);
        let valid = !entry.contains(['/', ':', ' ', '@'])
            && entry.contains('.')
            && hegui_core::hegui_url::normalize_host(entry).is_some();
        if !valid {
            bail!(
                "{name}:{}:{column}: `{entry}` is not a domain name (write one registrable domain per line, e.g. example.com)",
                index + 1
            );
        }
        domains.push(entry.to_owned());
    }
    Ok(domains)
}

/// Pack files under `path`: the file itself, or every `.toml`/`.json` file of a
/// directory (sorted, not recursive).
fn pack_files(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read directory {}", path.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.extension().is_some_and(|e| {
                        e.eq_ignore_ascii_case("toml") || e.eq_ignore_ascii_case("json")
                    })
            })
            .collect();
        files.sort();
        if files.is_empty() {
            bail!(
                "{}: no .toml or .json rule packs in this directory",
                path.display()
            );
        }
        Ok(files)
    } else {
        Ok(vec![path.to_path_buf()])
    }
}

/// Loads the packs at `paths` (files or directories).
pub(crate) fn load(paths: &[PathBuf]) -> Result<Vec<RulePack>> {
    let mut packs = Vec::new();
    for path in paths {
        for file in pack_files(path)? {
            let name = file.display().to_string();
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {name}"))?;
            let text = crate::input::decode(&name, bytes, false)?;
            packs.push(RulePack::from_str_guess(&name, &text)?);
        }
    }
    Ok(packs)
}

/// A scanner from `paths`, or from the default packs when there are none.
pub(crate) fn scanner(paths: &[PathBuf]) -> Result<Scanner> {
    if paths.is_empty() {
        return Ok(Scanner::with_default_packs());
    }
    Ok(Scanner::builder().packs(load(paths)?).build()?)
}
