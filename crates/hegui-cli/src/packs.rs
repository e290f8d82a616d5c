//! Loading rule packs from files and directories.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use hegui_core::{RulePack, Scanner};

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
