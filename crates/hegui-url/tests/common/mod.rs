//! Shared helpers: locating the optional evaluation data outside the repo.

use std::path::PathBuf;

/// `shared/data` next to the repository (`CARGO_MANIFEST_DIR/../../../shared/data`),
/// or `None` (with a note on stderr) when this checkout has no such folder.
pub(crate) fn data_dir(test: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {test} skipped: {} not found", dir.display());
        None
    }
}

/// The URLs of an OpenPhish dump (`first_seen<TAB>url`, with a header line).
#[allow(dead_code)] // reason: not every test file uses it
pub(crate) fn openphish_urls(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .skip(1)
        .filter_map(|line| line.split_once('\t').map(|(_, url)| url.trim()))
        .filter(|url| !url.is_empty())
}
