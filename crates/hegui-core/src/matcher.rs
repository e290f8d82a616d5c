//! The dictionary matcher: every literal of every loaded rule (terms, exceptions, groups,
//! triggers, context words) in one dictionary, searched once per message.

use rustc_hash::FxHashMap;

use crate::chars::{bit, char_start, set_bit};
use crate::normalize::{holds_kept_ascii, unchanged_chars, FoldObserver, RunChars, UnchangedRun};

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
    /// A literal of anchor set S of the rule's regex number N, as `Anchor(N, S)` (see
    /// `rules::anchors`).
    Anchor(u16, u8),
    /// A key of the normaliser's variant table (no rule: `rule` is [`NO_RULE`]).
    Variant,
}

/// The `rule` of hits that belong to no rule ([`Role::Variant`]); sorts last.
pub(crate) const NO_RULE: u32 = u32::MAX;

impl Role {
    /// Whether the literal is a word of its rule (added to the segmenter's dictionary);
    /// anchors and variant keys are search strings only.
    fn is_word(self) -> bool {
        !matches!(self, Role::Anchor(..) | Role::Variant)
    }

    /// Whether a message with a hit of this role may have to be looked at by its rule
    /// (when none of its hits can, no rule is). Context words and exceptions only
    /// decide about the hits of the others (a rule with context words needs one of
    /// them, an exception overlaps a hit), and variant keys belong to no rule. A
    /// `near` rule needs a hit of each of its groups and a pattern an anchor of each of
    /// its sets: without one of the first group or set, the further ones' hits cannot
    /// make it fire either (a further set's words, such as `不过` or `打开`, occur in
    /// messages that hold none of the first's).
    pub(crate) fn can_fire(self) -> bool {
        matches!(
            self,
            Role::Term | Role::Trigger | Role::Group(0) | Role::Anchor(_, 0)
        )
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
    /// Literal → its number (FxHash: the build's hashing of every literal with the
    /// standard SipHash was a sixth of `new Scanner()` in WebAssembly).
    index: FxHashMap<String, usize>,
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

    /// Whether texts may be searched in the scan form, which keeps plain full-width
    /// punctuation (see [`Normalizer::with_scan_form`](crate::Normalizer)): when no
    /// literal holds the ASCII character of a kept one, which a literal compared byte
    /// for byte would not find in its full-width form.
    pub(crate) fn allows_kept_punctuation(&self) -> bool {
        !self
            .patterns
            .iter()
            .any(|literal| holds_kept_ascii(literal))
    }

    /// The dictionary of every literal, and the literals that are words of a rule (not
    /// only regex anchors or variant keys), for the segmenter; texts are folded into
    /// the scan form (see [`allows_kept_punctuation`](Self::allows_kept_punctuation))
    /// when `keeps_punctuation`.
    pub(crate) fn build(
        self,
        keeps_punctuation: bool,
    ) -> Result<(Option<Dictionary>, Vec<String>), String> {
        if self.patterns.is_empty() {
            return Ok((None, Vec::new()));
        }
        let first_chars = FirstChars::of(&self.patterns, keeps_punctuation);
        let prefixes = Prefixes::of(&self.patterns);
        let words = self
            .patterns
            .into_iter()
            .zip(&self.entries)
            .filter(|(_, entries)| entries.iter().any(|e| e.role.is_word()))
            .map(|(pattern, _)| pattern)
            .collect();
        let dictionary = Dictionary {
            prefixes,
            first_chars,
            entries: self.entries,
        };
        Ok((Some(dictionary), words))
    }
}

/// The compiled dictionary.
///
/// Only at the characters where a literal may start ([`FirstChars`]: 331,036 of the
/// corpus's 7,844,403 characters, 4.2 %, once folded;
/// `scanner::tests::start_filter_passes_few_characters_of_the_corpus` prints the
/// figure) are the literals compared with the text, and only those that begin with the
/// characters there ([`Prefixes`]). Every occurrence of every literal is found, as an
/// unanchored overlapping Aho-Corasick search finds them (a property test compares the
/// two). That search, over a DFA of 3.9 MB for the default packs, spent most of its
/// time waiting for the DFA's rows: it was 40 % of the scan time (perf); the filter's
/// two tables take 24 KB. An anchored walk of an Aho-Corasick automaton (a contiguous
/// NFA) from the filtered positions came next; comparing the few literals of a prefix
/// instead searched the corpus's folded text at 485–500 MB/s alone against 380–449
/// (alternating runs of a timing test not kept in the repository) and spares the build
/// the automaton.
///
/// A scan does not read the folded text for the filter: the fold pass gives each
/// character it produces to a [`StartCollector`], and [`find_at`](Self::find_at)
/// compares literals at the starts collected.
#[derive(Debug, Clone)]
pub(crate) struct Dictionary {
    prefixes: Prefixes,
    first_chars: FirstChars,
    entries: Vec<Vec<Entry>>,
}

/// Where a literal may start: at a character that is a one-character literal, or at
/// a pair of characters that starts a longer one.
#[derive(Debug, Clone)]
struct FirstChars {
    /// One bit per Basic Multilingual Plane character: the one-character literals.
    singles: Box<[u64; 1024]>,
    /// Those beyond it, sorted, as code points.
    astral: Vec<u32>,
    /// A Bloom filter of the first two characters of the longer literals: 2^17 bits,
    /// one per pair; about 1,300 pairs set few of them.
    pairs: Box<[u64; PAIR_WORDS]>,
    /// The characters the fold's unchanged runs may take: all but the one-character
    /// literals, which come one at a time, so that no character of a run is one and
    /// only the pair filter is asked there.
    run_chars: Box<RunChars>,
}

impl FirstChars {
    /// The filter of `literals`, for texts folded in the scan form if
    /// `keeps_punctuation`.
    fn of(literals: &[String], keeps_punctuation: bool) -> FirstChars {
        let mut singles = Box::new([0u64; 1024]);
        let mut astral = Vec::new();
        let mut pairs = Box::new([0u64; PAIR_WORDS]);
        for literal in literals {
            let mut chars = literal.chars();
            let Some(first) = chars.next() else { continue };
            match chars.next() {
                Some(second) => set_bit(&mut pairs[..], pair_bit(first.into(), second.into())),
                None if (first as usize) < 0x10000 => set_bit(&mut singles[..], first as usize),
                None => astral.push(first.into()),
            }
        }
        astral.sort_unstable();
        astral.dedup();
        let mut run_chars = Box::new(*unchanged_chars(keeps_punctuation));
        for (word, singles) in run_chars.iter_mut().zip(singles.iter()) {
            *word &= !singles;
        }
        FirstChars {
            singles,
            astral,
            pairs,
            run_chars,
        }
    }

    /// Whether a literal may start with the character of code point `first` followed
    /// by that of `second`.
    #[inline]
    fn may_start(&self, first: u32, second: Option<u32>) -> bool {
        self.is_single(first)
            || second.is_some_and(|second| bit(&self.pairs[..], pair_bit(first, second)))
    }

    /// Whether the character of code point `first` is a one-character literal.
    #[inline]
    fn is_single(&self, first: u32) -> bool {
        if first < 0x10000 {
            bit(&self.singles[..], first as usize)
        } else {
            self.astral.binary_search(&first).is_ok()
        }
    }
}

/// A position where a literal may start: its byte offset, the character there and the
/// next one, as code points (see [`FoldObserver`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Start {
    at: u32,
    first: u32,
    second: Option<u32>,
}

/// Collects the [`Start`]s of a text from its characters, given in order while the
/// text is produced (by the fold pass), into a buffer.
pub(crate) struct StartCollector<'d, 'b> {
    filter: &'d FirstChars,
    /// The last character given (its code point), with its offset.
    last: Option<(u32, u32)>,
    starts: &'b mut Vec<Start>,
}

impl<'d> FoldObserver<'d> for StartCollector<'d, '_> {
    /// The character of code point `code` at byte `at` of the text.
    #[inline]
    fn push(&mut self, at: usize, code: u32) {
        self.collect(std::iter::once((at, code)));
    }

    /// The characters of an unchanged run. None of them is a one-character literal
    /// ([`run_chars`](Self::run_chars)): past the run's first pair, whose first
    /// character came before it, only the pair filter is asked, with the table in a
    /// local and the last character held in locals while the run lasts (in fields, they
    /// were loaded again for every character); the last character's offset is worked
    /// out only for a start, from the bytes that were left before it.
    #[inline]
    fn push_run(&mut self, run: &mut UnchangedRun<'_>) {
        let Some(mut last) = run.next_code() else {
            return;
        };
        if let Some((at, first)) = self.last {
            self.consider(at, first, Some(last.1));
        }
        let pairs = &*self.filter.pairs;
        while let Some((left, code)) = run.next_code() {
            let (last_left, first) = last;
            if bit(pairs, pair_bit(first, code)) {
                self.starts.push(Start {
                    at: run.offset_of(last_left) as u32,
                    first,
                    second: Some(code),
                });
            }
            last = (left, code);
        }
        self.last = Some((run.offset_of(last.0) as u32, last.1));
    }

    /// Every character but the one-character literals.
    fn run_chars(&self) -> Option<&'d RunChars> {
        Some(&self.filter.run_chars)
    }
}

impl StartCollector<'_, '_> {
    /// The characters given, in order.
    #[inline]
    fn collect(&mut self, chars: impl Iterator<Item = (usize, u32)>) {
        for (at, code) in chars {
            if let Some((last_at, first)) = self.last {
                self.consider(last_at, first, Some(code));
            }
            self.last = Some((at as u32, code));
        }
    }

    /// Records a start at byte `at` if a literal may start with `first` followed by
    /// `second` there.
    #[inline]
    fn consider(&mut self, at: u32, first: u32, second: Option<u32>) {
        if self.filter.may_start(first, second) {
            self.starts.push(Start { at, first, second });
        }
    }
}

impl StartCollector<'_, '_> {
    /// The end of the text.
    fn finish(mut self) {
        if let Some((at, last)) = self.last.take() {
            self.consider(at, last, None);
        }
    }
}

/// Size of the pair filter: 2^17 bits (16 KB). Smaller ones set a larger share of their
/// bits (2^13 bits: one in six for 1,300 pairs) and let more positions through. Scan
/// speed over the corpus (`examples/throughput`, four runs each, medians of runs, a
/// noisy host): 2^13 bits 98 MB/s, 2^14 101, 2^15 102, 2^16 109; a second round with five
/// runs each, 2^14 / 2^15 / 2^16: 113.5 / 115.5 / 114.6, equal within the noise. Later,
/// with a cheaper fold around it, 2^17 bits against 2^16: 331,036 positions through
/// instead of 390,571 (the false ones are frequent pairs of the text whose bit a literal
/// set), and medians of 12 alternating rounds' ratios of 1.013, 1.029 and 1.018.
const PAIR_FILTER_BITS: u32 = 17;
const PAIR_WORDS: usize = (1 << PAIR_FILTER_BITS) / 64;

/// The filter bit of a pair of characters (their code points): the top bits of a
/// multiplicative hash.
#[inline]
fn pair_bit(first: u32, second: u32) -> usize {
    let hash = first.wrapping_mul(0x9E37_79B1) ^ second.wrapping_mul(0x85EB_CA6B);
    (hash >> (32 - PAIR_FILTER_BITS)) as usize
}

/// The literals by their first character (one-character literals) or first two
/// characters (the longer ones): where the start filter lets a position through, the
/// few literals under its prefix are compared with the text there.
#[derive(Debug, Clone)]
struct Prefixes {
    /// [`prefix_key`] → range of `members`.
    ranges: FxHashMap<u64, (u32, u32)>,
    /// The literals, grouped by prefix: each literal's number, and the part of it
    /// after its prefix, in `rests`.
    members: Vec<Member>,
    /// What the longer literals hold after their first two characters, one after the
    /// other in the order of `members`: a few kilobytes that stay in the caches, where
    /// a string each was a pointer to follow to memory of its own.
    rests: Box<[u8]>,
}

/// A literal under its prefix: its number, and its bytes after the prefix
/// (`rests[start..end]`), the first eight of them also as one word to compare with the
/// text's next eight bytes at once (most rests are a Chinese character or two).
#[derive(Debug, Clone, Copy)]
struct Member {
    id: u32,
    start: u32,
    end: u32,
    /// The rest's first eight bytes (fewer: zeros after them), little-endian.
    head: u64,
    /// Ones over the bytes of `head` that the rest has.
    mask: u64,
}

impl Member {
    fn new(id: u32, start: usize, rest: &[u8]) -> Member {
        let (head, mask) = word_of(rest);
        Member {
            id,
            start: start as u32,
            end: (start + rest.len()) as u32,
            head,
            mask,
        }
    }
}

/// The first eight bytes of `bytes` as a little-endian word (zeros after fewer), with
/// a mask of ones over the bytes it took.
#[inline]
fn word_of(bytes: &[u8]) -> (u64, u64) {
    if let Some(first) = bytes.first_chunk::<8>() {
        return (u64::from_le_bytes(*first), u64::MAX);
    }
    let mut word = [0u8; 8];
    word[..bytes.len()].copy_from_slice(bytes);
    let mask = (1u64 << (8 * bytes.len())) - 1;
    (u64::from_le_bytes(word), mask)
}

/// The length in UTF-8 of the character whose code point is `code`.
#[inline]
fn utf8_len(code: u32) -> usize {
    1 + usize::from(code >= 0x80) + usize::from(code >= 0x800) + usize::from(code >= 0x1_0000)
}

/// The key of a prefix: a character's code point and the one after it (`None` for the
/// prefix of a one-character literal).
#[inline]
fn prefix_key(first: u32, second: Option<u32>) -> u64 {
    (u64::from(first) << 32) | u64::from(second.unwrap_or(u32::MAX))
}

impl Prefixes {
    fn of(literals: &[String]) -> Prefixes {
        let mut grouped: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        for (id, literal) in literals.iter().enumerate() {
            let mut chars = literal.chars();
            let Some(first) = chars.next() else { continue };
            grouped
                .entry(prefix_key(first.into(), chars.next().map(u32::from)))
                .or_default()
                .push(id as u32);
        }
        let mut ranges = FxHashMap::default();
        let mut members = Vec::with_capacity(literals.len());
        let mut rests = Vec::new();
        for (key, group) in grouped {
            ranges.insert(
                key,
                (members.len() as u32, (members.len() + group.len()) as u32),
            );
            for id in group {
                let literal = &literals[id as usize];
                let prefix = char_start(literal, 2).unwrap_or(literal.len());
                let rest = &literal.as_bytes()[prefix..];
                members.push(Member::new(id, rests.len(), rest));
                rests.extend_from_slice(rest);
            }
        }
        Prefixes {
            ranges,
            members,
            rests: rests.into(),
        }
    }

    /// Calls `found(literal, length)` for every literal that starts `haystack`, whose
    /// first characters are `first` and `second`; `single` tells whether `first` is a
    /// literal of its own (without it, most positions would look for one in vain).
    #[inline]
    fn starting(
        &self,
        first: u32,
        second: Option<u32>,
        single: bool,
        haystack: &str,
        mut found: impl FnMut(usize, usize),
    ) {
        // The literals of a one-character prefix are that character: each starts
        // `haystack`, which begins with it.
        if let Some(&(from, to)) = single
            .then(|| self.ranges.get(&prefix_key(first, None)))
            .flatten()
        {
            for member in &self.members[from as usize..to as usize] {
                found(member.id as usize, utf8_len(first));
            }
        }
        let Some(second) = second else { return };
        let Some(&(from, to)) = self.ranges.get(&prefix_key(first, Some(second))) else {
            return;
        };
        // The others begin with `first` and `second`, as `haystack` does: only the rest
        // is compared, its first eight bytes as one word with the text's next eight
        // (a byte at a time, the comparisons were a third of the search's instructions;
        // a call to `memcmp` for each cost more than that).
        let known = utf8_len(first) + utf8_len(second);
        let haystack = haystack.as_bytes().get(known..).unwrap_or_default();
        let (next, _) = word_of(haystack);
        for member in &self.members[from as usize..to as usize] {
            let len = (member.end - member.start) as usize;
            if len <= haystack.len()
                && next & member.mask == member.head
                && (len <= 8
                    || haystack[8..len]
                        == self.rests[member.start as usize + 8..member.end as usize])
            {
                found(member.id as usize, known + len);
            }
        }
    }
}

impl Dictionary {
    /// Appends every occurrence of every literal, for every rule that uses it, sorted by
    /// rule, then start, then longest first.
    pub(crate) fn find(&self, text: &str, out: &mut Vec<RoleHit>) {
        let mut starts = Vec::new();
        self.collect_starts(&mut starts, |collector| {
            collector.collect(text.char_indices().map(|(at, c)| (at, u32::from(c))));
        });
        self.find_at(text, &starts, out);
    }

    /// Appends the hits of the literals that start at byte `start` of `text` with the
    /// characters `first` and `second`.
    #[inline]
    fn literals_at(
        &self,
        text: &str,
        start: usize,
        first: u32,
        second: Option<u32>,
        out: &mut Vec<RoleHit>,
    ) {
        let rest = text.get(start..).unwrap_or_default();
        let single = self.first_chars.is_single(first);
        self.prefixes
            .starting(first, second, single, rest, |pattern, len| {
                for entry in &self.entries[pattern] {
                    out.push(RoleHit {
                        rule: entry.rule,
                        role: entry.role,
                        pattern: pattern as u32,
                        start: start as u32,
                        end: (start + len) as u32,
                    });
                }
            });
    }

    /// Collects into `starts` (cleared first), for [`find_at`](Self::find_at), the
    /// starts of the text whose characters `produce` gives the collector in order.
    pub(crate) fn collect_starts(
        &self,
        starts: &mut Vec<Start>,
        produce: impl FnOnce(&mut StartCollector<'_, '_>),
    ) {
        starts.clear();
        let mut collector = StartCollector {
            filter: &self.first_chars,
            last: None,
            starts,
        };
        produce(&mut collector);
        collector.finish();
    }

    /// [`find`](Self::find), from the `starts` of `text` collected while it was made
    /// (see [`collect_starts`](Self::collect_starts)): the same hits, without reading
    /// the text again for them.
    pub(crate) fn find_at(&self, text: &str, starts: &[Start], out: &mut Vec<RoleHit>) {
        debug_assert_eq!(starts, self.starts_of(text), "collected starts of {text:?}");
        for start in starts {
            self.literals_at(text, start.at as usize, start.first, start.second, out);
        }
        out.sort_unstable_by_key(|h| (h.rule, h.start, std::cmp::Reverse(h.end), h.role));
    }

    /// The starts of `text`, found character by character with the next one at hand: what
    /// a collector must give (debug builds check it on every search).
    pub(crate) fn starts_of(&self, text: &str) -> Vec<Start> {
        let mut starts = Vec::new();
        let mut chars = text
            .char_indices()
            .map(|(at, c)| (at, u32::from(c)))
            .peekable();
        while let Some((at, first)) = chars.next() {
            let second = chars.peek().map(|&(_, next)| next);
            if self.first_chars.may_start(first, second) {
                starts.push(Start {
                    at: at as u32,
                    first,
                    second,
                });
            }
        }
        starts
    }

    /// How many characters of `text` there are, and at how many of them a literal may
    /// start (the positions where the search compares literals).
    #[cfg(test)]
    pub(crate) fn walks(&self, text: &str) -> (usize, usize) {
        (text.chars().count(), self.starts_of(text).len())
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
        let dictionary = builder.build(false).expect("builds").0.expect("non-empty");
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

    /// Every occurrence of every literal, as (literal, start, end), sorted.
    fn occurrences(
        dictionary: &Dictionary,
        literals: &[String],
        text: &str,
    ) -> Vec<(String, u32, u32)> {
        let mut hits = Vec::new();
        dictionary.find(text, &mut hits);
        let mut found: Vec<_> = hits
            .iter()
            .map(|h| (literals[h.rule as usize].clone(), h.start, h.end))
            .collect();
        found.sort();
        found
    }

    /// The same, from an unanchored overlapping Aho-Corasick search.
    fn reference(literals: &[String], text: &str) -> Vec<(String, u32, u32)> {
        let automaton = aho_corasick::AhoCorasick::new(literals).expect("builds");
        let mut found: Vec<_> = automaton
            .find_overlapping_iter(text)
            .map(|m| {
                (
                    literals[m.pattern()].clone(),
                    m.start() as u32,
                    m.end() as u32,
                )
            })
            .collect();
        found.sort();
        found
    }

    fn dictionary_of(literals: &[String]) -> Dictionary {
        let mut builder = DictionaryBuilder::default();
        for (rule, literal) in literals.iter().enumerate() {
            builder.add(literal.clone(), rule, Role::Term);
        }
        builder.build(false).expect("builds").0.expect("non-empty")
    }

    #[test]
    fn finds_literals_at_the_edges_and_inside_others() {
        let literals: Vec<String> = [
            "最",
            "最近",
            "近",
            "第一次",
            "一次",
            "次",
            "a",
            "ab",
            "b",
            "🧧",
            "🧧红包",
            "红包",
        ]
        .map(String::from)
        .to_vec();
        let dictionary = dictionary_of(&literals);
        for text in [
            "最",
            "我最近第一次",
            "最近近",
            "abab",
            "🧧🧧红包",
            "第一",
            "次第一次最",
        ] {
            assert_eq!(
                occurrences(&dictionary, &literals, text),
                reference(&literals, text),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]

        /// The filtered search finds exactly what one overlapping search finds:
        /// literals of one to seven characters (one-character ones, shared prefixes,
        /// literals inside literals, four-byte characters, parts after the first two
        /// characters longer and shorter than the eight bytes compared as one word) in
        /// texts of the same characters.
        #[test]
        fn finds_what_an_overlapping_search_finds(
            literals in proptest::collection::btree_set("[最近第一次好a-c1.🧧é]{1,7}", 1..24),
            text in "[最近第一次好a-c1.🧧é ]{0,64}",
        ) {
            let literals: Vec<String> = literals.into_iter().collect();
            let dictionary = dictionary_of(&literals);
            proptest::prop_assert_eq!(occurrences(&dictionary, &literals, &text), reference(&literals, &text));
        }

        /// Long literals where they occur and where all but one character of them
        /// does: texts made of the literals themselves, each whole or with one of its
        /// characters changed, and single characters between them.
        #[test]
        fn finds_long_literals_and_not_their_near_misses(
            literals in proptest::collection::btree_set("[最近第一次好a-c1🧧é]{3,9}", 1..12),
            pieces in proptest::collection::vec((0usize..64, 0usize..10, "[最近第一次好a-c1🧧é ]"), 0..12),
        ) {
            let literals: Vec<String> = literals.into_iter().collect();
            let dictionary = dictionary_of(&literals);
            let mut text = String::new();
            for (pick, changed, other) in pieces {
                let literal: Vec<char> = literals[pick % literals.len()].chars().collect();
                for (i, c) in literal.iter().enumerate() {
                    // `changed` past the literal's end keeps it whole.
                    text.push_str(&if i == changed { other.clone() } else { c.to_string() });
                }
                text.push_str(&other);
            }
            proptest::prop_assert_eq!(occurrences(&dictionary, &literals, &text), reference(&literals, &text));
        }
    }
}
