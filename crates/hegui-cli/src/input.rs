//! Reading messages from files and stdin, with errors that name the place.

use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// One input: its display name and its text.
#[derive(Debug)]
pub(crate) struct Input {
    pub(crate) name: String,
    pub(crate) text: String,
}

/// Display name of a path argument (`-` is stdin).
pub(crate) fn display_name(path: &str) -> String {
    if path == "-" {
        "stdin".to_string()
    } else {
        path.to_string()
    }
}

/// Reads all bytes of a path, or of stdin for `-`.
pub(crate) fn read_bytes(path: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read stdin")?;
    } else {
        bytes = std::fs::read(Path::new(path)).with_context(|| format!("cannot read {path}"))?;
    }
    Ok(bytes)
}

/// Decodes UTF-8, naming the input and the byte offset of the first invalid byte;
/// with `lossy`, invalid sequences become U+FFFD instead.
pub(crate) fn decode(name: &str, bytes: Vec<u8>, lossy: bool) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            bail!("{name}: invalid UTF-8 at byte {at} (use --lossy to replace invalid bytes)")
        }
    }
}

/// Reads every path (stdin when none) as one message each.
pub(crate) fn read_inputs(paths: &[String], lossy: bool) -> Result<Vec<Input>> {
    let paths: Vec<&str> = if paths.is_empty() {
        vec!["-"]
    } else {
        paths.iter().map(String::as_str).collect()
    };
    paths
        .into_iter()
        .map(|path| {
            let name = display_name(path);
            let text = decode(&name, read_bytes(path)?, lossy)?;
            Ok(Input { name, text })
        })
        .collect()
}
