//! The dictionary matcher: every literal of every loaded rule (terms, exceptions, groups,
//! triggers, context words) in one Aho-Corasick automaton, searched once per message.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// What a literal means to the rule that listed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    /// A term that fires (`terms`).
    Term,
    /// An exception phrase (`unless`).
    Unless,
    /// A term of group N (`near`).
    Group(u16),
    /// A trigger (`requires`).
    Trigger,
    /// A context word (`context`).
    Context,
    /// A required literal of the rule's regex number N (see `rules::anchors`).
    Anchor(u16),
    /// A key of the normaliser's variant table (no rule: `rule` is [`NO_RULE`]).
    Variant,
}

/// The `rule` of hits that belong to no rule ([`Role::Variant`]); sorts last.
pub(crate) const NO_RULE: u32 = u32::MAX;

impl Role {
    /// Whether the literal is a word of its rule (added to the segmenter's dictionary);
    /// anchors and variant keys are search strings only.
    fn is_word(self) -> bool {
        !matches!(self, Role::Anchor(_) | Role::Variant)
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    rule: u32,
    role: Role,
}

/// One occurrence of a literal, for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RoleHit {
    pub(crate) rule: u32,
    pub(crate) role: Role,
    /// Which literal matched (distinct triggers are counted by it).
    pub(crate) pattern: u32,
    /// Byte range in the normalised text.
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl RoleHit {
    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Collects literals while rules compile.
#[derive(Debug, Default)]
pub(crate) struct DictionaryBuilder {
    index: HashMap<String, usize>,
    patterns: Vec<String>,
    entries: Vec<Vec<Entry>>,
}

impl DictionaryBuilder {
    /// Registers `literal` (already normalised, non-empty) for `rule` in `role`.
    pub(crate) fn add(&mut self, literal: String, rule: usize, role: Role) {
        let next = self.patterns.len();
        let id = *self.index.entry(literal.clone()).or_insert(next);
        if id == next {
            self.patterns.push(literal);
            self.entries.push(Vec::new());
        }
        let entry = Entry {
            rule: rule as u32,
            role,
        };
        self.entries[id].push(entry);
    }

    /// Registers the normaliser's variant keys (never empty), so that one search tells
    /// whether a folded text needs the variant pass at all.
    pub(crate) fn add_variant_keys(&mut self, keys: &[String]) {
        for key in keys {
            self.add(key.clone(), NO_RULE as usize, Role::Variant);
        }
    }

    /// The automaton over every literal, and the literals that are words of a rule (not
    /// only regex anchors or variant keys), for the segmenter.
    pub(crate) fn build(self) -> Result<(Option<Dictionary>, Vec<String>), String> {
        if self.patterns.is_empty() {
            return Ok((None, Vec::new()));
        }
        // A DFA pays off for small dictionaries and costs too much memory for large ones
        // (measured in the performance notes: fastest up to a few thousand terms). In
        // WebAssembly its build is a fifth of a cold start (20 ms of `new Scanner()`
        // under Node) for 4-8 % of scan speed: an editor's first verdict comes first.
        let kind = if self.patterns.len() <= 5_000 && !cfg!(target_arch = "wasm32") {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&self.patterns)
            .map_err(|e| format!("cannot build the term automaton: {e}"))?;
        let words = self
            .patterns
            .into_iter()
            .zip(&self.entries)
            .filter(|(_, entries)| entries.iter().any(|e| e.role.is_word()))
            .map(|(pattern, _)| pattern)
            .collect();
        let dictionary = Dictionary {
            automaton,
            entries: self.entries,
        };
        Ok((Some(dictionary), words))
    }
}

/// The compiled dictionary.
#[derive(Debug, Clone)]
pub(crate) struct Dictionary {
    automaton: AhoCorasick,
    entries: Vec<Vec<Entry>>,
}

impl Dictionary {
    /// Appends every occurrence of every literal, for every rule that uses it, sorted by
    /// rule, then start, then longest first.
    pub(crate) fn find(&self, text: &str, out: &mut Vec<RoleHit>) {
        for m in self.automaton.find_overlapping_iter(text) {
            let pattern = m.pattern().as_usize();
            for entry in &self.entries[pattern] {
                out.push(RoleHit {
                    rule: entry.rule,
                    role: entry.role,
                    pattern: pattern as u32,
                    start: m.start() as u32,
                    end: m.end() as u32,
                });
            }
        }
        out.sort_unstable_by_key(|h| (h.rule, h.start, std::cmp::Reverse(h.end), h.role));
    }

    /// Number of distinct literals.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_overlapping_literals_for_every_rule() {
        let mut builder = DictionaryBuilder::default();
        builder.add("最".into(), 0, Role::Term);
        builder.add("最近".into(), 0, Role::Unless);
        builder.add("最".into(), 1, Role::Term);
        let dictionary = builder.build().expect("builds").0.expect("non-empty");
        assert_eq!(dictionary.len(), 2);
        let mut hits = Vec::new();
        dictionary.find("我最近", &mut hits);
        let summary: Vec<_> = hits
            .iter()
            .map(|h| (h.rule, h.role, h.start, h.end))
            .collect();
        assert_eq!(
            summary,
            vec![
                (0, Role::Unless, 3, 9),
                (0, Role::Term, 3, 6),
                (1, Role::Term, 3, 6)
            ]
        );
    }
}
