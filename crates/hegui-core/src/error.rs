//! Errors of rule packs and scanner building. Every error names the place: `path:line:column`.

use std::fmt;
use std::sync::Arc;

/// A place in a rule-pack file. Lines and columns start at 1; columns count characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The pack's path as given when loading it.
    pub path: Arc<str>,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `source`.
    pub fn at(path: &Arc<str>, source: &str, offset: usize) -> Location {
        Location::in_lines(path, source, &line_starts(source), offset)
    }

    /// [`Location::at`] with the [`line_starts`] of `source` found once beforehand.
    pub(crate) fn in_lines(
        path: &Arc<str>,
        source: &str,
        line_starts: &[usize],
        offset: usize,
    ) -> Location {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = line_starts.partition_point(|&start| start <= offset).max(1);
        let line_start = line_starts.get(line - 1).copied().unwrap_or(0);
        let column = source[line_start..offset].chars().count() + 1;
        Location {
            path: Arc::clone(path),
            line,
            column,
        }
    }
}

/// The byte offset where each line of `source` starts (the first at 0).
pub(crate) fn line_starts(source: &str) -> Vec<usize> {
    // A byte loop: `match_indices('\n')` made a `memchr` call per line, which in
    // WebAssembly, on code not yet optimised, cost milliseconds per scanner build.
    let newlines = source.bytes().enumerate().filter(|&(_, b)| b == b'\n');
    std::iter::once(0)
        .chain(newlines.map(|(i, _)| i + 1))
        .collect()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// An error in a rule pack: syntax, schema or a rule that cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PackError {
    /// The file is not valid TOML/JSON or does not fit the pack schema.
    #[error("{location}: {message}")]
    Invalid {
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// One rule is wrong (bad regex, missing field, unknown category, duplicate id…).
    #[error("{location}: rule `{rule_id}`: {message}")]
    Rule {
        /// Where the rule (or the offending value) is.
        location: Location,
        /// The rule's id.
        rule_id: String,
        /// What is wrong.
        message: String,
    },
    /// A scanner was built without any pack.
    #[error("no rule packs were given")]
    NoPacks,
    /// An ICP filing list was given but no pack has a `[links]` section to apply it to.
    #[error("a list of filed domains was given, but no rule pack has a [links] section")]
    NoLinkPolicy,
}

impl PackError {
    /// The location of the error, if it has one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            PackError::Invalid { location, .. } | PackError::Rule { location, .. } => {
                Some(location)
            }
            PackError::NoPacks | PackError::NoLinkPolicy => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_chars() {
        let path: Arc<str> = Arc::from("a.toml");
        let source = "一\n二三x";
        let at = source.find('x').expect("x");
        let location = Location::at(&path, source, at);
        assert_eq!(location.to_string(), "a.toml:2:3");
        assert_eq!(Location::at(&path, source, 999).line, 2);
    }
}
