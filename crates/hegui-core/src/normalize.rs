//! The normaliser: folds disguised text into a canonical form and keeps a map back to
//! the original, so that every finding is reported at its exact original position.
//!
//! One pass over the characters does width folding, NFKC for compatibility characters
//! only, case folding, traditional → simplified, homoglyph folding, removal of invisible
//! characters and removal of separators between Chinese characters. A second pass applies
//! the packs' variant table (`薇信` → `微信`) when any variant occurs. A scanner's own
//! passes may keep plain full-width punctuation (`，`) as it is: the *scan form* (see
//! [`Normalizer::with_scan_form`]).

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Match, MatchKind};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::chars::{bit, char_count, is_emoji, is_han, is_invisible, is_separator, set_bit};
use crate::finding::{Step, Steps};
use crate::pack::RulePack;
use crate::t2s_table::T2S;

/// At most this many separator characters between two Chinese characters are removed;
/// longer runs are layout, not evasion.
const MAX_SEPARATOR_RUN: usize = 4;

/// At most this many passes of the variant table (see [`Normalizer::normalize`]).
const MAX_VARIANT_PASSES: usize = 4;

/// Builds [`Normalized`] views of text. Built once (with the packs' variants) and shared.
///
/// ```
/// use hegui_core::Normalizer;
/// let normalizer = Normalizer::new(&[("薇信".to_string(), "微信".to_string())]);
/// let n = normalizer.normalize("加我薇 信，轉*發有獎");
/// assert_eq!(n.as_str(), "加我微信,转发有奖");
/// // "转发" in the normalised text comes from "轉*發" in the original.
/// let at = n.as_str().find("转发").unwrap();
/// assert_eq!(n.source_range(at..at + "转发".len()), 16..23);
/// ```
#[derive(Debug, Clone)]
pub struct Normalizer {
    variants: Option<VariantTable>,
    /// Whether a scan's fold keeps plain full-width punctuation as it is (the *scan
    /// form*, see [`is_kept_full_width`]); [`normalize`](Normalizer::normalize) always
    /// folds it.
    scan_keeps_punctuation: bool,
}

impl Default for Normalizer {
    /// A normaliser without variants.
    fn default() -> Self {
        Normalizer {
            variants: None,
            scan_keeps_punctuation: false,
        }
    }
}

#[derive(Debug, Clone)]
struct VariantTable {
    automaton: AhoCorasick,
    keys: Vec<String>,
    targets: Vec<String>,
    /// Separator characters that a variant gives a meaning (`"🧧" = "红包"`): they are
    /// not removed between Chinese characters. Sorted.
    meaningful: Vec<char>,
}

/// One character of the normalised text and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CharMap {
    /// Byte offset in the normalised text.
    norm: u32,
    /// Byte range in the original text.
    src: u32,
    src_end: u32,
    /// Steps that produced this character.
    own: Steps,
    /// Steps that removed characters just before this one.
    gap: Steps,
}

/// A character of a [`Normalized`] text with its origin, as returned by [`Normalized::chars`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedChar {
    /// Byte range in the normalised text.
    pub norm: Range<usize>,
    /// Byte range in the original text this character was produced from.
    pub source: Range<usize>,
    /// Steps that produced it.
    pub steps: Vec<Step>,
}

/// A normalised text with an offset map back to the original.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    text: String,
    map: Vec<CharMap>,
}

impl Normalizer {
    /// A normaliser with the given variant table (`(variant, canonical)` pairs).
    ///
    /// Variants are themselves normalised first, so `V信` and `ｖ信` are the same key.
    /// A variant starting or ending with an ASCII letter or digit only applies at an
    /// ASCII word edge (`vx` does not fire inside `vxyz`).
    pub fn new(variants: &[(String, String)]) -> Self {
        let plain = Normalizer::default();
        let mut keys = Vec::new();
        let mut targets = Vec::new();
        for (key, target) in variants {
            let key = plain.normalize(key).text;
            let target = plain.normalize(target).text;
            // A variant that normalisation already folds (`穩賺` → `稳赚`) is a no-op.
            if key.is_empty() || key == target {
                continue;
            }
            keys.push(key);
            targets.push(target);
        }
        if keys.is_empty() {
            return plain;
        }
        // A key made only of separators (an emoji standing for a word) must survive the
        // separator removal of the fold pass to be matched at all (`领🧧啦`).
        let mut meaningful: Vec<char> = keys
            .iter()
            .filter(|k| k.chars().all(is_separator))
            .flat_map(|k| k.chars())
            .collect();
        meaningful.sort_unstable();
        meaningful.dedup();
        // A DFA without prefilter: the keys start with common characters (`v`, `加`),
        // so a prefilter's candidates are mostly false and verifying them costs more
        // than walking the DFA (perf: Teddy was 12 % of scan time).
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&keys);
        match automaton {
            Ok(automaton) => Normalizer {
                variants: Some(VariantTable {
                    automaton,
                    keys,
                    targets,
                    meaningful,
                }),
                scan_keeps_punctuation: false,
            },
            // Only reachable for absurdly large tables; variants are then ignored.
            Err(_) => plain,
        }
    }

    /// The normaliser of a set of packs: their variant tables, together.
    ///
    /// ```
    /// let packs = hegui_core::default_packs();
    /// let normalizer = hegui_core::Normalizer::for_packs(&packs);
    /// assert_eq!(normalizer.normalize("全网醉低价").as_str(), "全网最低价");
    /// ```
    pub fn for_packs(packs: &[RulePack]) -> Self {
        let variants: Vec<(String, String)> = packs
            .iter()
            .flat_map(|p| p.def().variants.iter().map(|(k, v)| (k.clone(), v.clone())))
            .collect();
        Normalizer::new(&variants)
    }

    /// The variant table as `(variant, canonical)` pairs, both normalised.
    pub(crate) fn variant_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.variants.iter().flat_map(|table| {
            table
                .keys
                .iter()
                .zip(&table.targets)
                .map(|(k, t)| (k.as_str(), t.as_str()))
        })
    }

    /// Normalises `text`.
    pub fn normalize(&self, text: &str) -> Normalized {
        self.apply_variants(self.fold_as(text, usize::MAX, false))
    }

    /// This normaliser, its scans keeping plain full-width punctuation as it is (if
    /// `keeps_punctuation`) or folding it as [`normalize`](Self::normalize) does.
    ///
    /// A scan's fold (the *scan form*: [`fold`](Self::fold),
    /// [`fold_text_observed`](Self::fold_text_observed) and the others of the crate)
    /// is the normal form but for the plain full-width punctuation of
    /// [`is_kept_full_width`] (`，：；（）！？`…), kept instead of folded to its ASCII
    /// character. Chinese prose has a `，` every dozen characters: kept, it no longer
    /// ends the fold's run of characters that stay as they are, which cost about 220
    /// instructions at each. The scanner keeps it when no literal or negation cue of
    /// its packs holds the ASCII character (those are compared byte for byte); its
    /// patterns match the kept character where they match the ASCII one (see
    /// `rules::regex::scan_form`).
    pub(crate) fn with_scan_form(mut self, keeps_punctuation: bool) -> Self {
        self.scan_keeps_punctuation = keeps_punctuation;
        self
    }

    /// Whether scans keep plain full-width punctuation (see
    /// [`with_scan_form`](Self::with_scan_form)).
    #[cfg(test)]
    pub(crate) fn scan_keeps_punctuation(&self) -> bool {
        self.scan_keeps_punctuation
    }

    /// [`normalize`](Self::normalize) in the scan form (see
    /// [`with_scan_form`](Self::with_scan_form)).
    pub(crate) fn normalize_scan(&self, text: &str) -> Normalized {
        self.apply_variants(self.fold(text))
    }

    /// The character pass alone, in the scan form: folding, invisible characters and
    /// separators, but not the variant table.
    pub(crate) fn fold(&self, text: &str) -> Normalized {
        self.fold_past(text, usize::MAX)
    }

    /// [`fold`](Self::fold), stopped once the normalised text is longer than `past`
    /// bytes, where it reaches a character that folds to itself (so that nothing after
    /// the stop changes what came before it: no mark joins the last character, no
    /// separator is held back). The offset map then covers every normalised byte up
    /// to `past` and a little more: what findings that end by `past` need (over the
    /// corpus, this fold of the messages with findings costs 29 M instructions a pass
    /// instead of 44 M for the whole of each).
    pub(crate) fn fold_past(&self, text: &str, past: usize) -> Normalized {
        self.fold_as(text, past, self.scan_keeps_punctuation)
    }

    /// [`fold_past`](Self::fold_past), keeping plain full-width punctuation or not.
    fn fold_as(&self, text: &str, past: usize, keeps_punctuation: bool) -> Normalized {
        // Most characters map to one: reserve one map entry per character (counted
        // as the bytes that start a UTF-8 sequence), so the map rarely grows.
        let chars = char_count(text);
        let out = Normalized::with_capacity(text.len(), chars);
        let runs = unchanged_chars(keeps_punctuation);
        self.fold_into(text, out, past, runs, keeps_punctuation).0
    }

    /// The text of [`fold`](Self::fold), without the offset map: what a scan needs to
    /// find out whether a message has findings at all (most have none), at a fraction
    /// of the cost. Always equal to `fold(text).as_str()`.
    #[cfg(test)]
    pub(crate) fn fold_text(&self, text: &str) -> String {
        let mut out = String::new();
        self.fold_text_observed(text, &mut out, &mut ());
        out
    }

    /// The text of [`fold`](Self::fold), without the offset map, into `out` (cleared
    /// first, its buffer reused), giving `observer` every character of the folded text
    /// with its byte offset there, in order, as it is produced: what the dictionary's
    /// start filter needs, without a second pass over the text.
    ///
    /// Returns whether `text` is link-inert: made only of characters that take no part
    /// in a link ([`hegui_url::is_link_inert`]), so that the link checks can be
    /// skipped. `false` does not mean that it has a link.
    pub(crate) fn fold_text_observed<'t>(
        &self,
        text: &str,
        out: &mut String,
        observer: &mut impl FoldObserver<'t>,
    ) -> bool {
        out.clear();
        out.reserve(text.len());
        let keeps = self.scan_keeps_punctuation;
        let runs = observer
            .run_chars()
            .unwrap_or_else(|| unchanged_chars(keeps));
        let output = TextOnly {
            text: out,
            last: None,
            observer,
        };
        self.fold_into(text, output, usize::MAX, runs, keeps).1
    }

    /// The fold of `text` into `out`, and whether `text` is link-inert (see
    /// [`fold_text_observed`](Self::fold_text_observed)): learnt from the path each
    /// character takes where that is cheapest — the fast path's wide characters are
    /// all inert, its ASCII and full-width ones are looked up in tables made at compile
    /// time from `hegui-url`'s definition for ASCII — and asked of the few characters
    /// of the slow path.
    ///
    /// The pass stops early, before a character that folds to itself with nothing held
    /// back, once the output is longer than `past` bytes (see
    /// [`fold_past`](Self::fold_past)).
    ///
    /// Unchanged runs take the characters of `runs` (see [`FoldObserver::run_chars`]);
    /// `keeps_punctuation` tells whether the pass makes the scan form (see
    /// [`with_scan_form`](Self::with_scan_form)).
    fn fold_into<O: FoldOutput>(
        &self,
        text: &str,
        out: O,
        past: usize,
        runs: &RunChars,
        keeps_punctuation: bool,
    ) -> (O, bool) {
        let meaningful = self.variants.as_ref().map_or(&[][..], |t| &t.meaningful);
        let mut pass = FoldPass {
            out,
            meaningful,
            keeps_punctuation,
            pending: Vec::new(),
            gap: Steps::NONE,
            last_han: false,
        };
        let mut at = 0;
        let mut inert = true;
        while at < text.len() {
            // Fast path for most of most texts: a run of characters that fold to
            // themselves and are no separator, with nothing pending, is copied whole.
            if pass.pending.is_empty() {
                let base = pass.out.len();
                if base > past && text[at..].chars().next().is_some_and(is_unchanged) {
                    break;
                }
                let mut chars = UnchangedRun::new(&text[at..], base, runs);
                pass.out.observe_run(&mut chars);
                let run = &text[at..at + (chars.at() - base)];
                inert &= !chars.link_ascii;
                let taken = run.char_indices().next_back();
                if let Some(last) = taken {
                    pass.emit_unchanged(run, at, last);
                    at += run.len();
                }
                // Next most common, and what ends most runs: full-width punctuation
                // (`，！？：`), one ASCII character each, no separator. Taken here, a run
                // that it ends is not followed by an empty one. (Going on to the slow
                // path here too, instead of back to the top, took 3 % more instructions.)
                // In the scan form, runs take the kept ones, and this one is `［`.
                if let Some((ascii, len)) = plain_full_width_prefix(&text[at..])
                    .filter(|&(ascii, _)| !(keeps_punctuation && is_kept_full_width(ascii as u8)))
                {
                    // A plain full-width character is link-inert exactly when its ASCII
                    // one is (punctuation: all but `［`), checked by a test.
                    inert &= LINK_INERT_ASCII[ascii as usize];
                    pass.emit(ascii, at as u32, (at + len) as u32, Steps::NONE);
                    at += len;
                    continue;
                }
                if taken.is_some() {
                    continue;
                }
            }
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            inert &= hegui_url::is_link_inert(c);
            pass.push_source(at, c);
            at += c.len_utf8();
        }
        (pass.finish(), inert)
    }

    /// Applies the variant table to a [`fold`](Self::fold)ed text.
    pub(crate) fn apply_variants(&self, folded: Normalized) -> Normalized {
        let Some(table) = &self.variants else {
            return folded;
        };
        // A replacement can complete another variant (`v信用咔` → `微信用咔` → `微信用卡`):
        // apply the table until nothing changes, so that normalising twice changes
        // nothing. Tables whose targets keep producing keys stop after a few passes.
        let mut text = folded;
        for _ in 0..MAX_VARIANT_PASSES {
            match table.apply(text) {
                Ok(changed) => text = changed,
                Err(unchanged) => return unchanged,
            }
        }
        text
    }

    /// The variant table's keys (normalised): a folded text in which none of them
    /// occurs where it [fits](variant_fits) is already normalised.
    pub(crate) fn variant_keys(&self) -> &[String] {
        self.variants.as_ref().map_or(&[], |t| &t.keys)
    }
}

impl VariantTable {
    /// The keys that occur in `text` where they [fit](variant_fits), leftmost-longest
    /// and without overlap. A key that does not fit is passed over a character at a
    /// time, not skipped whole: in `fv信用咔`, `v信` does not fit (a letter before it),
    /// and `信用咔`, which begins inside it, does.
    fn fitting_matches<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Match> + 't {
        let mut at = 0;
        std::iter::from_fn(move || loop {
            let m = self
                .automaton
                .find(aho_corasick::Input::new(text).span(at..text.len()))?;
            if variant_fits(text, m.start(), m.end()) {
                at = m.end();
                return Some(m);
            }
            at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        })
    }

    /// Replaces the variants in `input`; `Err(input)` when there is none.
    fn apply(&self, input: Normalized) -> Result<Normalized, Normalized> {
        let text = input.text.as_str();
        let mut matches = self.fitting_matches(text).peekable();
        if matches.peek().is_none() {
            drop(matches);
            return Err(input);
        }
        let mut out = Normalized::with_capacity(text.len(), input.map.len());
        let mut next = 0; // index into input.map
        for m in matches {
            while next < input.map.len() && (input.map[next].norm as usize) < m.start() {
                out.push_mapped(input.char_at(next), input.map[next]);
                next += 1;
            }
            let first = next;
            while next < input.map.len() && (input.map[next].norm as usize) < m.end() {
                next += 1;
            }
            let (src, src_end) = (input.map[first].src, input.map[next - 1].src_end);
            let mut own = Steps::of(Step::Variant);
            for (i, cm) in input.map[first..next].iter().enumerate() {
                own |= cm.own;
                if i > 0 {
                    own |= cm.gap;
                }
            }
            let gap = input.map[first].gap;
            let target = &self.targets[m.pattern().as_usize()];
            for (i, c) in target.chars().enumerate() {
                let gap = if i == 0 { gap } else { Steps::NONE };
                out.push_char(c, src, src_end, own, gap);
            }
            debug_assert!(!self.keys[m.pattern().as_usize()].is_empty());
        }
        while next < input.map.len() {
            out.push_mapped(input.char_at(next), input.map[next]);
            next += 1;
        }
        // A replacement can put a Chinese character where there was none (`转发 v信` →
        // `转发 微信`); separators between Chinese characters go, as in the fold pass, so
        // that normalising twice changes nothing.
        Ok(out.drop_separators_between_han(&self.meaningful))
    }
}

/// Whether a variant key found at `start..end` of a folded text applies there: an
/// ASCII-alphanumeric edge of the match must not continue an ASCII word.
pub(crate) fn variant_fits(text: &str, start: usize, end: usize) -> bool {
    let matched = &text[start..end];
    let first_ascii = matched
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let last_ascii = matched
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !(first_ascii && before.is_some_and(|c| c.is_ascii_alphanumeric())
        || last_ascii && after.is_some_and(|c| c.is_ascii_alphanumeric()))
}

/// Where the character pass writes: a [`Normalized`] text with its offset map, or the
/// text alone ([`TextOnly`]). Both see the same calls, so their texts are equal.
trait FoldOutput {
    /// Appends a normalised character made from `src..src_end` of the original.
    fn push_char(&mut self, c: char, src: u32, src_end: u32, own: Steps, gap: Steps);
    /// The last character appended and its original range.
    fn last(&self) -> Option<(char, u32, u32)>;
    /// Extends the characters made from the original character at `start` (the last
    /// ones appended) to `src_end`, adding `steps`: a mark joins its base character.
    fn extend_last(&mut self, start: u32, src_end: u32, steps: Steps);
    /// Appends `run`, characters that fold to themselves, found at byte `src` of the
    /// original, whose last character is `last` (with its offset in the run); `gap`
    /// goes to its first character. Its characters were given to
    /// [`observe_run`](Self::observe_run) already.
    fn push_unchanged(&mut self, run: &str, src: u32, gap: Steps, last: (usize, char));
    /// The length in bytes of the text so far.
    fn len(&self) -> usize;
    /// Characters of the text with their byte offsets there (see
    /// [`Normalizer::fold_text_observed`]): the fast path of the pass gives it the
    /// characters of an unchanged run, each as it reads it, and appends as many as it
    /// took ([`push_char`](Self::push_char) observes its character itself).
    fn observe_run(&mut self, run: &mut UnchangedRun<'_>) {
        run.for_each(drop);
    }
}

/// Receives each character of a folded text, as its code point, with its byte offset
/// there, in order, as the fold pass produces it (see
/// [`Normalizer::fold_text_observed`]).
pub(crate) trait FoldObserver<'t> {
    /// The character of code point `code` at byte `at`.
    fn push(&mut self, at: usize, code: u32);

    /// The characters the fast path may take in an unchanged run, given to
    /// [`push_run`](Self::push_run): those of the pass ([`UNCHANGED_BMP`], or
    /// [`KEPT_BMP`] in the scan form) when `None`, or a part of them. The others
    /// take the slow path and come one at a time to [`push`](Self::push).
    fn run_chars(&self) -> Option<&'t RunChars> {
        None
    }

    /// The characters of a run, in order: by default, [`push`](Self::push) on each; an
    /// observer that overrides it keeps its state in locals while the run lasts.
    #[inline]
    fn push_run(&mut self, run: &mut UnchangedRun<'_>) {
        for (at, c) in run {
            self.push(at, c);
        }
    }
}

/// No observer.
impl FoldObserver<'_> for () {
    #[inline]
    fn push(&mut self, _: usize, _: u32) {}
}

impl FoldOutput for Normalized {
    fn len(&self) -> usize {
        self.text.len()
    }

    fn push_char(&mut self, c: char, src: u32, src_end: u32, own: Steps, gap: Steps) {
        Normalized::push_char(self, c, src, src_end, own, gap);
    }

    fn last(&self) -> Option<(char, u32, u32)> {
        let cm = self.map.last()?;
        Some((self.char_at(self.map.len() - 1), cm.src, cm.src_end))
    }

    fn extend_last(&mut self, start: u32, src_end: u32, steps: Steps) {
        for cm in self.map.iter_mut().rev().take_while(|cm| cm.src == start) {
            cm.src_end = src_end;
            cm.own |= steps;
        }
    }

    fn push_unchanged(&mut self, run: &str, src: u32, gap: Steps, _: (usize, char)) {
        let norm = self.text.len() as u32;
        let mut gap = gap;
        self.map.extend(run.char_indices().map(|(i, c)| {
            let i = i as u32;
            CharMap {
                norm: norm + i,
                src: src + i,
                src_end: src + i + c.len_utf8() as u32,
                own: Steps::NONE,
                gap: std::mem::take(&mut gap),
            }
        }));
        self.text.push_str(run);
    }
}

/// The normalised text without its map, see [`Normalizer::fold_text_observed`].
struct TextOnly<'o, O> {
    text: &'o mut String,
    last: Option<(char, u32, u32)>,
    observer: &'o mut O,
}

impl<'t, O: FoldObserver<'t>> FoldOutput for TextOnly<'_, O> {
    fn len(&self) -> usize {
        self.text.len()
    }

    #[inline]
    fn observe_run(&mut self, run: &mut UnchangedRun<'_>) {
        self.observer.push_run(run);
    }

    fn push_char(&mut self, c: char, src: u32, src_end: u32, _: Steps, _: Steps) {
        self.observer.push(self.text.len(), u32::from(c));
        self.text.push(c);
        self.last = Some((c, src, src_end));
    }

    fn last(&self) -> Option<(char, u32, u32)> {
        self.last
    }

    fn extend_last(&mut self, start: u32, src_end: u32, _: Steps) {
        if let Some(last) = &mut self.last {
            if last.1 == start {
                last.2 = src_end;
            }
        }
    }

    fn push_unchanged(&mut self, run: &str, src: u32, _: Steps, (last_at, last): (usize, char)) {
        let start = src + last_at as u32;
        self.last = Some((last, start, start + last.len_utf8() as u32));
        self.text.push_str(run);
    }
}

/// State of the character pass.
struct FoldPass<'a, O> {
    out: O,
    /// Separators that carry a meaning (see [`VariantTable::meaningful`]).
    meaningful: &'a [char],
    /// Whether plain full-width punctuation is kept (the scan form).
    keeps_punctuation: bool,
    /// Separators seen right after a Chinese character, kept until we know whether
    /// another Chinese character follows (then they are dropped).
    pending: Vec<(char, u32, u32, Steps)>,
    gap: Steps,
    last_han: bool,
}

impl<O: FoldOutput> FoldPass<'_, O> {
    /// Appends a run of characters that fold to themselves and are no separator (see
    /// [`is_unchanged`]), at byte `at` of the original, with nothing pending: exactly
    /// what emitting them one by one does. `last` is the run's last character with its
    /// offset in the run, as the run was read (not decoded again).
    fn emit_unchanged(&mut self, run: &str, at: usize, last: (usize, char)) {
        debug_assert!(self.pending.is_empty());
        debug_assert!(run
            .chars()
            .all(|c| is_unchanged(c) || self.keeps_punctuation && is_kept(c)));
        debug_assert_eq!(run.char_indices().next_back(), Some(last));
        let gap = std::mem::take(&mut self.gap);
        self.out.push_unchanged(run, at as u32, gap, last);
        // The unchanged characters from U+4E00 to U+9FFF are the main Han block's, and
        // none other is Han (kept full-width punctuation lies beyond): two comparisons
        // where `is_han` tests its ranges.
        self.last_han = ('\u{4E00}'..='\u{9FFF}').contains(&last.1);
        debug_assert_eq!(self.last_han, is_han(last.1));
    }

    fn push_source(&mut self, at: usize, c: char) {
        let (src, src_end) = (at as u32, (at + c.len_utf8()) as u32);
        if is_invisible(c) {
            self.push_invisible(c, src, src_end);
            return;
        }
        if self.keeps_punctuation && is_kept(c) {
            self.push(c, src, src_end, Steps::NONE);
            return;
        }
        fold_char(c, |folded, steps| self.push(folded, src, src_end, steps));
    }

    /// Combining marks, and joiners or variation selectors inside emoji, belong to the
    /// character before them; other invisible characters are removed as evasion.
    ///
    /// When that character expanded into several normalised ones (`¼` → `1⁄4`), the
    /// mark joins all of them, so no span can end between a character and its mark.
    fn push_invisible(&mut self, c: char, src: u32, src_end: u32) {
        let attaches = unicode_normalization::char::is_combining_mark(c)
            || matches!(c, '\u{200D}' | '\u{FE0E}' | '\u{FE0F}');
        let is_mark = unicode_normalization::char::is_combining_mark(c);
        let last = match self.pending.last() {
            Some(&(ch, start, end, _)) => Some((ch, start, end)),
            None => self.out.last(),
        };
        let Some((prev, start, end)) = last else {
            self.gap |= Steps::of(Step::Invisible);
            return;
        };
        if !(attaches && end == src && (is_mark || is_emoji(prev))) {
            self.gap |= Steps::of(Step::Invisible);
            return;
        }
        let steps = if is_mark {
            Steps::of(Step::Invisible)
        } else {
            Steps::NONE
        };
        let mut whole = true;
        for p in self.pending.iter_mut().rev() {
            if p.1 != start {
                whole = false;
                break;
            }
            p.2 = src_end;
            p.3 |= steps;
        }
        if whole {
            self.out.extend_last(start, src_end, steps);
        }
    }

    fn push(&mut self, c: char, src: u32, src_end: u32, own: Steps) {
        // NFKC can produce combining marks (U+09DC → U+09A1 U+09BC); they are dropped
        // here as they would be in the original, so normalising twice changes nothing.
        if is_invisible(c) {
            return;
        }
        let separator = is_separator(c) && self.meaningful.binary_search(&c).is_err();
        if separator && (self.last_han || !self.pending.is_empty()) {
            if self.pending.len() < MAX_SEPARATOR_RUN {
                self.pending.push((c, src, src_end, own));
                return;
            }
            self.flush_pending();
        } else if !self.pending.is_empty() {
            if is_han(c) {
                self.pending.clear();
                self.gap |= Steps::of(Step::Separator);
            } else {
                self.flush_pending();
            }
        }
        self.emit(c, src, src_end, own);
    }

    fn flush_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for &(c, src, src_end, own) in &pending {
            self.emit(c, src, src_end, own);
        }
        self.pending = pending;
        self.pending.clear();
    }

    fn emit(&mut self, c: char, src: u32, src_end: u32, own: Steps) {
        let gap = std::mem::take(&mut self.gap);
        self.out.push_char(c, src, src_end, own, gap);
        self.last_han = is_han(c);
    }

    fn finish(mut self) -> O {
        self.flush_pending();
        self.out
    }
}

/// Whether the fold pass keeps `c` as it is and never treats it as a separator:
/// lower-case ASCII letters and digits, the ASCII punctuation that separates nothing
/// (`,!?:;()` …), simplified characters of the main Han block, and the common Chinese
/// punctuation (、。 quotes, 《》「」【】 brackets).
fn is_unchanged(c: char) -> bool {
    (c as u32) < 0x10000 && bit(&UNCHANGED_BMP, c as usize)
}

/// [`is_unchanged`] for an ASCII character.
const fn is_unchanged_ascii(byte: u8) -> bool {
    matches!(
        byte,
        b'a'..=b'z'
            | b'0'..=b'9'
            | b'!'
            | b'"'
            | b'$'
            | b'%'
            | b'\''
            | b'('
            | b')'
            | b','
            | b':'
            | b';'
            | b'<'
            | b'>'
            | b'?'
            | b'['
            | b']'
            | b'{'
            | b'}'
    )
}

/// The full-width character that starts `text` and the ASCII character it folds to,
/// when that is all the fold does with it — no step, and a character that stays as it
/// is ([`is_unchanged`]: no separator) — with its length: `，` → `,`.
#[inline]
fn plain_full_width_prefix(text: &str) -> Option<(char, usize)> {
    // Full-width forms (U+FF01..=U+FF5E) are EF BC 81..=EF BD 9E in UTF-8: bytes
    // compared and one lookup in a table made at compile time.
    let &[0xEF, b1 @ (0xBC | 0xBD), b2, ..] = text.as_bytes() else {
        return None;
    };
    let code = (u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F)) + 0xF000;
    let ascii = PLAIN_FULL_WIDTH.get(code.checked_sub(0xFF01)? as usize)?;
    (*ascii != 0).then_some((char::from(*ascii), 3))
}

/// The ASCII character of each full-width form (U+FF01..=U+FF5E) that
/// [`plain_full_width_prefix`] takes, 0 for the others.
static PLAIN_FULL_WIDTH: [u8; 0x5E] = {
    let mut table = [0; 0x5E];
    let mut i = 0;
    while i < 0x5E {
        let ascii = (i + 0x21) as u8;
        if is_unchanged_ascii(ascii) && !is_width_disguise(ascii) {
            table[i] = ascii;
        }
        i += 1;
    }
    table
};

/// What folding a full-width character into `ascii` counts as: a width disguise for
/// letters, digits and the symbols of handles and prices; nothing for punctuation,
/// which is ordinary Chinese typography.
fn full_width_steps(ascii: char) -> Steps {
    if u8::try_from(ascii).is_ok_and(is_width_disguise) {
        Steps::of(Step::Width)
    } else {
        Steps::NONE
    }
}

/// Whether the full-width form of the ASCII character `ascii` is a width disguise (see
/// [`full_width_steps`]).
const fn is_width_disguise(ascii: u8) -> bool {
    ascii.is_ascii_alphanumeric()
        || matches!(
            ascii,
            b'%' | b'@' | b'#' | b'&' | b'*' | b'+' | b'-' | b'=' | b'~'
        )
}

/// A set of Basic Multilingual Plane characters, one bit each: the characters an
/// [`UnchangedRun`] may take.
pub(crate) type RunChars = [u64; 1024];

/// The characters an unchanged run of a fold pass takes: [`UNCHANGED_BMP`], and the
/// kept full-width punctuation in the scan form ([`KEPT_BMP`]).
pub(crate) fn unchanged_chars(keeps_punctuation: bool) -> &'static RunChars {
    if keeps_punctuation {
        &KEPT_BMP
    } else {
        &UNCHANGED_BMP
    }
}

/// Whether the plain full-width form of `ascii` is kept in the scan form (see
/// [`Normalizer::with_scan_form`]): punctuation that folds to an ASCII character and
/// nothing else (`，` `：` `；` `（` `）` `！` `？`…; see [`plain_full_width_prefix`]),
/// but for `［`, which can begin a link's host (`[::1]`) and so is not link-inert.
pub(crate) const fn is_kept_full_width(ascii: u8) -> bool {
    // Printable ASCII only, as `is_unchanged_ascii` is.
    is_unchanged_ascii(ascii) && !is_width_disguise(ascii) && hegui_url::is_link_inert_ascii(ascii)
}

/// Whether `text` holds the ASCII character of punctuation that the scan form keeps
/// full-width ([`is_kept_full_width`]): a literal compared with the scanned text byte
/// for byte would not find its full-width form.
pub(crate) fn holds_kept_ascii(text: &str) -> bool {
    text.bytes().any(is_kept_full_width)
}

/// The ASCII characters whose full-width forms the scan form keeps
/// ([`is_kept_full_width`]), in order: `!"$'(),:;<>?]{}`.
pub(crate) fn kept_ascii() -> impl Iterator<Item = u8> {
    (0..0x80).filter(|&ascii| is_kept_full_width(ascii))
}

/// The full-width form of the printable ASCII character `ascii` (`,` → `，`; see
/// [`full_width_to_ascii`]).
pub(crate) const fn full_width(ascii: u8) -> char {
    match char::from_u32(ascii as u32 + FULL_WIDTH_OFFSET) {
        Some(c) => c,
        None => char::REPLACEMENT_CHARACTER,
    }
}

/// Whether `c` is plain full-width punctuation kept in the scan form. (Asked of every
/// character of the slow path: through [`full_width_to_ascii`], which builds a `char`
/// again, a pass over 20,000 corpus lines took 0.9 M instructions more.)
fn is_kept(c: char) -> bool {
    (0xFF01..=0xFF5E).contains(&u32::from(c))
        && is_kept_full_width((u32::from(c) - FULL_WIDTH_OFFSET) as u8)
}

/// [`UNCHANGED_BMP`] and the kept full-width punctuation: what an unchanged run takes
/// in the scan form.
pub(crate) static KEPT_BMP: RunChars = {
    let mut bits = UNCHANGED_BMP;
    let mut ascii = 0;
    while ascii < 0x80 {
        if is_kept_full_width(ascii) {
            set_bit(&mut bits, full_width(ascii) as usize);
        }
        ascii += 1;
    }
    bits
};

/// Every [`is_unchanged`] character, one bit each: the ASCII ones, and the wide ones
/// (all three bytes long in UTF-8): the main Han block without its traditional
/// characters, and 、。〈〉《》「」『』【】 and curly quotes. What an unchanged run takes
/// unless its observer wants some of them one at a time ([`FoldObserver::run_chars`]).
pub(crate) static UNCHANGED_BMP: RunChars = {
    let mut bits = unchanged_wide_bits();
    let mut byte = 0;
    while byte < 128 {
        if is_unchanged_ascii(byte) {
            set_bit(&mut bits, byte as usize);
        }
        byte += 1;
    }
    bits
};

const fn unchanged_wide_bits() -> [u64; 1024] {
    let mut bits = [0u64; 1024];
    let mut code = 0;
    while code < 0x10000 {
        let unchanged = match code {
            0x3001 | 0x3002 | 0x3008..=0x3011 | 0x2018..=0x201D => true,
            0x4E00..=0x9FFF => !is_traditional(code),
            _ => false,
        };
        if unchanged {
            set_bit(&mut bits, code as usize);
        }
        code += 1;
    }
    bits
}

/// The characters of the longest prefix of a text made of [`is_unchanged`]
/// characters (those of a [`RunChars`] set), as byte offsets and code points, read
/// byte by byte: only one- and three-byte characters can be unchanged, and in a `str`
/// a three-byte lead is always followed by its two continuation bytes. After the
/// iteration, [`at`](Self::at) is the offset where the prefix taken ends.
///
/// The bytes are matched as slice patterns that bind what follows, so no read is
/// checked against the end twice, and characters are given as code points, which the
/// start filter hashes: a `char` would be checked for surrogates at every character.
pub(crate) struct UnchangedRun<'t> {
    /// The bytes not read yet.
    rest: &'t [u8],
    /// The length of the text the run begins, plus `base`: the offset of the next
    /// character is `end - rest.len()`, one subtraction where a counter of its own was
    /// one more value to keep in a register while the run lasts.
    end: usize,
    /// Whether an ASCII character that can be part of a link was taken (one not
    /// [`hegui_url::is_link_inert_ascii`]: a letter or `[`).
    link_ascii: bool,
    /// The characters the run may take: [`UNCHANGED_BMP`] or a part of it.
    takes: &'t RunChars,
}

impl<'t> UnchangedRun<'t> {
    /// The run that begins `text`, its characters' offsets counted from `base`, made
    /// of characters of `takes`.
    fn new(text: &'t str, base: usize, takes: &'t RunChars) -> Self {
        UnchangedRun {
            rest: text.as_bytes(),
            end: base + text.len(),
            link_ascii: false,
            takes,
        }
    }

    /// The offset of the next character, counted from `base`.
    fn at(&self) -> usize {
        self.offset_of(self.rest.len())
    }

    /// The next character's code point, with the number of bytes left before it: an
    /// observer that needs the offsets of a few of the characters takes them from that
    /// number ([`offset_of`](Self::offset_of)) instead of keeping each character's.
    #[inline]
    pub(crate) fn next_code(&mut self) -> Option<(usize, u32)> {
        let left = self.rest.len();
        match *self.rest {
            [lead @ 0x00..=0x7F, ref rest @ ..] => {
                if !bit(self.takes, usize::from(lead)) {
                    return None;
                }
                self.link_ascii |= !LINK_INERT_ASCII[usize::from(lead)];
                self.rest = rest;
                Some((left, u32::from(lead)))
            }
            [lead @ 0xE0..=0xEF, b1, b2, ref rest @ ..] => {
                let code = (u32::from(lead & 0x0F) << 12)
                    | (u32::from(b1 & 0x3F) << 6)
                    | u32::from(b2 & 0x3F);
                if !bit(self.takes, code as usize) {
                    return None;
                }
                self.rest = rest;
                Some((left, code))
            }
            _ => None,
        }
    }

    /// The offset, counted from `base`, of the character read with `left` bytes left
    /// (see [`next_code`](Self::next_code)).
    #[inline]
    pub(crate) fn offset_of(&self, left: usize) -> usize {
        self.end - left
    }
}

impl Iterator for UnchangedRun<'_> {
    type Item = (usize, u32);

    #[inline]
    fn next(&mut self) -> Option<(usize, u32)> {
        let (left, code) = self.next_code()?;
        Some((self.offset_of(left), code))
    }
}

/// [`hegui_url::is_link_inert_ascii`] of each ASCII character, made at compile time:
/// one load for a character of the fast paths (the function itself, called there,
/// took 82.44 M instructions a pass over 20,000 lines against 81.47; a shift of a
/// 128-bit constant took 17 instructions a character).
static LINK_INERT_ASCII: [bool; 128] = {
    let mut table = [false; 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = hegui_url::is_link_inert_ascii(byte as u8);
        byte += 1;
    }
    table
};

/// Length in bytes of the longest prefix of `text` made of [`is_unchanged`] characters.
#[cfg(test)]
fn unchanged_prefix_len(text: &str) -> usize {
    let mut run = UnchangedRun::new(text, 0, &UNCHANGED_BMP);
    run.by_ref().for_each(drop);
    run.at()
}

/// Folds one original character into zero or more normalised characters.
fn fold_char(c: char, mut emit: impl FnMut(char, Steps)) {
    if c.is_ascii() {
        if c.is_ascii_uppercase() {
            emit(c.to_ascii_lowercase(), Steps::of(Step::Case));
        } else {
            emit(c, Steps::NONE);
        }
        return;
    }
    if let Some(ascii) = full_width_to_ascii(c) {
        finish_char(ascii, full_width_steps(ascii), &mut emit);
        return;
    }
    if let Some(n) = styled_digit(c) {
        for d in n.to_string().chars() {
            emit(d, Steps::of(Step::Compat));
        }
        return;
    }
    let needs_nfkc = !is_han(c)
        && !('\u{2010}'..='\u{206F}').contains(&c)
        && is_nfkc_quick(std::iter::once(c)) != IsNormalized::Yes;
    if needs_nfkc {
        for d in std::iter::once(c).nfkc() {
            finish_char(d, Steps::of(Step::Compat), &mut emit);
        }
        return;
    }
    finish_char(c, Steps::NONE, &mut emit);
}

/// Case, traditional → simplified and homoglyph folding of one character.
fn finish_char(c: char, steps: Steps, emit: &mut impl FnMut(char, Steps)) {
    if c.is_ascii() {
        if c.is_ascii_uppercase() {
            emit(c.to_ascii_lowercase(), steps | Steps::of(Step::Case));
        } else {
            emit(c, steps);
        }
        return;
    }
    if is_han(c) {
        match simplified(c) {
            Some(s) => emit(s, steps | Steps::of(Step::Traditional)),
            None => emit(c, steps),
        }
        return;
    }
    if c.is_uppercase() {
        for l in c.to_lowercase() {
            finish_lower(l, steps | Steps::of(Step::Case), emit);
        }
        return;
    }
    finish_lower(c, steps, emit);
}

fn finish_lower(c: char, steps: Steps, emit: &mut impl FnMut(char, Steps)) {
    match latin_homoglyph(c) {
        Some(l) => emit(l, steps | Steps::of(Step::Homoglyph)),
        None => emit(c, steps),
    }
}

/// How far the full-width forms (U+FF01..=U+FF5E) lie from their ASCII characters.
const FULL_WIDTH_OFFSET: u32 = 0xFEE0;

/// Full-width ASCII forms (U+FF01–U+FF5E) and the ideographic space.
pub(crate) fn full_width_to_ascii(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - FULL_WIDTH_OFFSET),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

/// Styled digits that NFKC leaves alone: ❶➀➊ dingbats and ⓵⓫ double-circled forms.
fn styled_digit(c: char) -> Option<u32> {
    let n = c as u32;
    match n {
        0x2776..=0x277F => Some(n - 0x2776 + 1),
        0x2780..=0x2789 => Some(n - 0x2780 + 1),
        0x278A..=0x2793 => Some(n - 0x278A + 1),
        0x24EB..=0x24F4 => Some(n - 0x24EB + 11),
        0x24F5..=0x24FE => Some(n - 0x24F5 + 1),
        0x24FF => Some(0),
        _ => None,
    }
}

/// One bit per Basic Multilingual Plane character: set for the traditional characters
/// of [`T2S`], so the common case (a character with no simplified form) is one lookup.
static TRADITIONAL: [u64; 1024] = traditional_bits();

/// Whether the Basic Multilingual Plane character `code` has a simplified form: exact,
/// as the bitmap is made from [`T2S`].
#[inline]
const fn is_traditional(code: u32) -> bool {
    bit(&TRADITIONAL, code as usize)
}

const fn traditional_bits() -> [u64; 1024] {
    let mut bits = [0u64; 1024];
    let mut i = 0;
    while i < T2S.len() {
        let c = T2S[i].0 as u32;
        if c < 0x10000 {
            set_bit(&mut bits, c as usize);
        }
        i += 1;
    }
    bits
}

/// The simplified form of a traditional character, if it differs.
#[inline]
pub(crate) fn simplified(c: char) -> Option<char> {
    let n = c as u32;
    if n < 0x10000 && !is_traditional(n) {
        return None;
    }
    T2S.binary_search_by(|&(t, _)| t.cmp(&c))
        .ok()
        .map(|i| T2S[i].1)
}

/// Cyrillic and Greek letters that look like Latin ones.
fn latin_homoglyph(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'с' | 'ϲ' => 'c',
        'е' => 'e',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ѕ' => 's',
        'у' => 'y',
        'х' | 'χ' => 'x',
        'ν' => 'v',
        _ => return None,
    })
}

impl Normalized {
    /// Room for `bytes` of text and `chars` characters of map.
    fn with_capacity(bytes: usize, chars: usize) -> Self {
        Normalized {
            text: String::with_capacity(bytes),
            map: Vec::with_capacity(chars),
        }
    }

    fn push_char(&mut self, c: char, src: u32, src_end: u32, own: Steps, gap: Steps) {
        self.map.push(CharMap {
            norm: self.text.len() as u32,
            src,
            src_end,
            own,
            gap,
        });
        self.text.push(c);
    }

    fn push_mapped(&mut self, c: char, mut cm: CharMap) {
        cm.norm = self.text.len() as u32;
        self.map.push(cm);
        self.text.push(c);
    }

    fn char_at(&self, index: usize) -> char {
        self.text[self.map[index].norm as usize..]
            .chars()
            .next()
            .unwrap_or('\u{FFFD}')
    }

    /// Removes runs of at most [`MAX_SEPARATOR_RUN`] separators between two Chinese
    /// characters (except `meaningful` ones and parts of a character that also produced
    /// something else), adding `separator` to the gap of the character after the run.
    fn drop_separators_between_han(self, meaningful: &[char]) -> Normalized {
        let chars: Vec<char> = self.text.chars().collect();
        let removable =
            |i: usize| is_separator(chars[i]) && meaningful.binary_search(&chars[i]).is_err();
        let mut drop = vec![false; chars.len()];
        let mut gaps = vec![Steps::NONE; chars.len()];
        let mut changed = false;
        let mut i = 1;
        while i < chars.len() {
            if !(removable(i) && is_han(chars[i - 1])) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < chars.len() && removable(j) {
                j += 1;
            }
            let whole =
                |k: usize| k == 0 || k >= chars.len() || self.map[k].src != self.map[k - 1].src;
            if j - i <= MAX_SEPARATOR_RUN
                && j < chars.len()
                && is_han(chars[j])
                && whole(i)
                && whole(j)
            {
                drop[i..j].fill(true);
                gaps[j] = self.map[i..j]
                    .iter()
                    .fold(Steps::of(Step::Separator), |gap, cm| gap | cm.gap);
                changed = true;
            }
            i = j;
        }
        if !changed {
            return self;
        }
        let mut out = Normalized::with_capacity(self.text.len(), chars.len());
        for (k, &c) in chars.iter().enumerate() {
            if !drop[k] {
                let mut cm = self.map[k];
                cm.gap |= gaps[k];
                out.push_mapped(c, cm);
            }
        }
        out
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Index in the map of the character that contains normalised byte `at`.
    fn index_of(&self, at: usize) -> usize {
        match self.map.binary_search_by(|cm| (cm.norm as usize).cmp(&at)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The original byte range that a normalised byte range was produced from.
    ///
    /// The range is widened to whole characters; an empty range maps to an empty range.
    pub fn source_range(&self, norm: Range<usize>) -> Range<usize> {
        if self.map.is_empty() {
            return 0..0;
        }
        if norm.start >= norm.end {
            let at = if norm.start >= self.text.len() {
                self.map.last().map_or(0, |cm| cm.src_end)
            } else {
                self.map[self.index_of(norm.start)].src
            };
            return at as usize..at as usize;
        }
        let first = self.index_of(norm.start);
        let last = self.index_of(norm.end - 1);
        self.map[first].src as usize..self.map[last].src_end as usize
    }

    /// The steps needed to produce the normalised byte range from the original.
    pub fn steps(&self, norm: Range<usize>) -> Steps {
        if self.map.is_empty() || norm.start >= norm.end {
            return Steps::NONE;
        }
        let first = self.index_of(norm.start);
        let last = self.index_of(norm.end - 1);
        let mut steps = Steps::NONE;
        for (i, cm) in self.map[first..=last].iter().enumerate() {
            steps |= cm.own;
            if i > 0 {
                steps |= cm.gap;
            }
        }
        steps
    }

    /// Every normalised character with its origin, in order.
    pub fn chars(&self) -> impl Iterator<Item = MappedChar> + '_ {
        self.map.iter().enumerate().map(|(i, cm)| {
            let end = self
                .map
                .get(i + 1)
                .map_or(self.text.len(), |next| next.norm as usize);
            MappedChar {
                norm: cm.norm as usize..end,
                source: cm.src as usize..cm.src_end as usize,
                steps: (cm.own | cm.gap).to_vec(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The text-only pass and the pass with the offset map make the same text,
        /// on texts full of what the fold changes: marks, joiners, separators between
        /// Chinese characters, full-width and traditional characters, case.
        #[test]
        fn fold_text_is_the_text_of_fold(
            text in "[a-zA-Z0-9 *._\\-~·•|/\u{300}\u{301}\u{200B}\u{200D}\u{FE0F}\u{202E}\u{3000}转發红包微信薇Ｖｖ１％，。！¼①👍🏻🧧]{0,40}"
        ) {
            let normalizer = Normalizer::new(&[
                ("薇信".to_string(), "微信".to_string()),
                ("🧧".to_string(), "红包".to_string()),
            ]);
            proptest::prop_assert_eq!(normalizer.fold_text(&text), normalizer.fold(&text).text);
        }

        /// A text the fold calls link-inert is made of link-inert characters only (and
        /// the scan then skips its link checks), on texts of inert characters with the
        /// few that are not among them: every character kind the fold's paths tell apart.
        #[test]
        fn link_inert_texts_are_made_of_inert_characters(
            text in "[转发红包微信最佳第一例子中国、。“”「」【】《》，！？（）；：［］％点點．｡ａ1a.:\\[\\]()%,?09 \u{3000}\u{200B}👍]{0,24}"
        ) {
            let normalizer = Normalizer::new(&[]);
            let inert = normalizer.fold_text_observed(&text, &mut String::new(), &mut ());
            proptest::prop_assert!(!inert || text.chars().all(hegui_url::is_link_inert), "{:?}", text);
        }
    }

    /// The characters of the fold's fast paths that keep a text link-inert are inert
    /// ([`hegui_url::is_link_inert`]): every unchanged wide character, and the plain
    /// full-width punctuation but `［`.
    #[test]
    fn fast_path_inert_characters_are_link_inert() {
        for code in 0x80..0x1_0000 {
            if bit(&UNCHANGED_BMP, code) {
                let c = char::from_u32(code as u32).expect("not a surrogate");
                assert!(hegui_url::is_link_inert(c), "{c:?}");
            }
        }
        for c in "！＂＄＇（），；：＜＞？］｛｝".chars() {
            assert!(hegui_url::is_link_inert(c), "{c:?}");
        }
        for c in "0123456789!\"$%'(),;<>?]{}".chars() {
            assert!(is_unchanged(c) && hegui_url::is_link_inert(c), "{c:?}");
        }
        let normalizer = Normalizer::new(&[]);
        let inert = |text: &str| normalizer.fold_text_observed(text, &mut String::new(), &mut ());
        assert!(inert("促销活动，欢迎参加。详情点击查看！"));
        assert!(inert("满100减20(限3天)，只要50%!"));
        assert!(inert(""));
        // The slow path's characters are asked: traditional characters, spaces, dashes,
        // colons and slashes of both widths are inert too.
        for text in [
            "转 发",
            "详情：／／",
            "點",
            "时间10:00—12:00",
            "轉發·紅包…",
            "25℃",
        ] {
            assert!(inert(text), "{text:?}");
        }
        for text in [
            "促销a",
            "网址.中国",
            "［",
            "ｗ",
            "1a",
            "1.2.3.4",
            "[::1]",
            "é",
            "Ⓐ",
        ] {
            assert!(!inert(text), "{text:?}");
        }
    }

    /// The second fast path emits what the character-by-character pass would: one
    /// character, no step, no separator (nothing to keep pending).
    #[test]
    fn plain_full_width_punctuation_folds_to_one_ascii_character() {
        let mut plain = String::new();
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let text = format!("{c}最");
            let Some((ascii, len)) = plain_full_width_prefix(&text) else {
                continue;
            };
            assert_eq!(len, c.len_utf8(), "{c:?}");
            assert!(!is_separator(ascii) && !is_invisible(ascii) && !is_han(ascii));
            let mut folded = Vec::new();
            fold_char(c, |f, steps| folded.push((f, steps)));
            assert_eq!(folded, vec![(ascii, Steps::NONE)], "{c:?}");
            // The fold reads its link-inertness off the ASCII character's.
            assert_eq!(
                hegui_url::is_link_inert(c),
                hegui_url::is_link_inert(ascii),
                "{c:?}"
            );
            plain.push(c);
        }
        assert_eq!(plain, "！＂＄＇（），：；＜＞？［］｛｝");
    }

    #[test]
    fn fast_path_characters_fold_to_themselves() {
        for c in (0..0x11_0000)
            .filter_map(char::from_u32)
            .filter(|&c| is_unchanged(c))
        {
            assert!(!is_invisible(c) && !is_separator(c), "{c:?}");
            // What the fast path tells Han characters by.
            assert_eq!(c >= '\u{4E00}', is_han(c), "{c:?}");
            let mut folded = Vec::new();
            fold_char(c, |f, steps| folded.push((f, steps)));
            assert_eq!(folded, vec![(c, Steps::NONE)], "{c:?}");
        }
    }

    /// The byte-level run of the fast path stops exactly where the characters stop
    /// being unchanged: every character alone, and after a run of unchanged ones.
    #[test]
    fn unchanged_prefix_len_agrees_with_is_unchanged() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let expected = if is_unchanged(c) { c.len_utf8() } else { 0 };
            assert_eq!(
                unchanged_prefix_len(c.encode_utf8(&mut [0; 4])),
                expected,
                "{c:?}"
            );
            let text = format!("a最。{c}z");
            let expected = "a最。".len() + expected + usize::from(expected > 0);
            assert_eq!(unchanged_prefix_len(&text), expected, "{c:?}");
        }
    }

    #[test]
    fn traditional_bitmap_agrees_with_the_table() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let expected = T2S
                .binary_search_by(|&(t, _)| t.cmp(&c))
                .ok()
                .map(|i| T2S[i].1);
            assert_eq!(simplified(c), expected, "{c:?}");
        }
    }

    fn norm(text: &str) -> String {
        Normalizer::default().normalize(text).as_str().to_string()
    }

    fn source_of(n: &Normalized, original: &str, needle: &str) -> String {
        let at = n.as_str().find(needle).expect("needle in normalised text");
        original[n.source_range(at..at + needle.len())].to_string()
    }

    #[test]
    fn folds_width_case_and_traditional() {
        assert_eq!(norm("ＶＸ１００％"), "vx100%");
        assert_eq!(norm("轉發紅包"), "转发红包");
        assert_eq!(norm("ABC"), "abc");
    }

    #[test]
    fn folds_styled_digits() {
        assert_eq!(norm("第①名"), "第1名");
        assert_eq!(norm("❶➋⓷"), "123");
        assert_eq!(norm("𝟏𝐯𝐱"), "1vx");
    }

    #[test]
    fn removes_invisibles_and_separators_between_han() {
        assert_eq!(norm("转\u{200B}发"), "转发");
        assert_eq!(norm("保\0本\u{7F}\u{9B}"), "保本");
        assert_eq!(norm("转*发"), "转发");
        assert_eq!(norm("全 网 最 低 价"), "全网最低价");
        assert_eq!(norm("稳|赚"), "稳赚");
        assert_eq!(norm("转🔥发"), "转发");
        assert_eq!(norm("最\n好"), "最好");
    }

    #[test]
    fn keeps_separators_that_are_not_between_han() {
        assert_eq!(norm("a b"), "a b");
        assert_eq!(norm("转 a"), "转 a");
        assert_eq!(norm("转，发"), "转,发");
        assert_eq!(norm("转     发"), "转     发");
    }

    #[test]
    fn keeps_emoji_sequences_whole() {
        let text = "👨\u{200D}👩 好";
        let n = Normalizer::default().normalize(text);
        let first = n.chars().next().expect("a char");
        assert_eq!(&text[first.source], "👨\u{200D}");
        assert!(first.steps.is_empty());
    }

    #[test]
    fn a_mark_joins_every_character_its_base_expanded_into() {
        let text = "¼\u{20D0}x";
        let n = Normalizer::default().normalize(text);
        assert_eq!(n.as_str(), "1\u{2044}4x");
        let sources: Vec<_> = n.chars().map(|c| c.source).collect();
        assert_eq!(sources, vec![0..5, 0..5, 0..5, 5..6]);
        // A span over the "1" alone still takes the whole "¼" and its mark.
        assert_eq!(n.source_range(0..1), 0..5);
    }

    #[test]
    fn separators_next_to_a_replaced_variant_go_too() {
        let normalizer = Normalizer::new(&[("v信".to_string(), "微信".to_string())]);
        let text = "转发 v信 好";
        let once = normalizer.normalize(text);
        assert_eq!(once.as_str(), "转发微信好");
        assert_eq!(normalizer.normalize(once.as_str()).as_str(), "转发微信好");
        let at = once.as_str().find("发微").expect("joined");
        assert_eq!(
            once.steps(at..at + "发微".len()).to_vec(),
            vec![Step::Separator, Step::Variant]
        );
        assert_eq!(source_of(&once, text, "发微信"), "发 v信");
    }

    #[test]
    fn a_replacement_that_completes_another_variant_is_replaced_too() {
        let normalizer = Normalizer::new(&[
            ("v信".to_string(), "微信".to_string()),
            ("信用咔".to_string(), "信用卡".to_string()),
        ]);
        let text = "v信用咔";
        let once = normalizer.normalize(text);
        assert_eq!(once.as_str(), "微信用卡");
        assert_eq!(normalizer.normalize(once.as_str()).as_str(), "微信用卡");
        // Every character of a replacement maps to all of what it replaced.
        assert_eq!(source_of(&once, text, "微"), "v信");
        assert_eq!(source_of(&once, text, "卡"), "v信用咔");
        // A second-pass variant that starts inside a first-pass replacement (found by the
        // normalize fuzz target): the map stays monotonic.
        let normalizer = Normalizer::new(&[
            ("加卫星".to_string(), "加微信".to_string()),
            ("信用咔".to_string(), "信用卡".to_string()),
        ]);
        let text = "加卫星\0\u{B}用咔";
        let n = normalizer.normalize(text);
        assert_eq!(n.as_str(), "加微信用卡");
        let sources: Vec<_> = n.chars().map(|c| c.source).collect();
        assert_eq!(sources, vec![0..9, 0..9, 0..17, 0..17, 0..17]);
        assert_eq!(normalizer.normalize(n.as_str()).as_str(), "加微信用卡");
        // A table that never settles stops.
        let runaway = Normalizer::new(&[("甲".to_string(), "甲甲".to_string())]);
        assert_eq!(runaway.normalize("甲").as_str(), "甲".repeat(16));
    }

    #[test]
    fn a_key_that_does_not_fit_hides_no_key_inside_it() {
        // `v信` has a letter before it and is no variant there; `信用咔`, which begins
        // inside it, is (found by the `disguises_normalise_back` property).
        let normalizer = Normalizer::new(&[
            ("v信".to_string(), "微信".to_string()),
            ("信用咔".to_string(), "信用卡".to_string()),
        ]);
        assert_eq!(normalizer.normalize("fv信用咔").as_str(), "fv信用卡");
        assert_eq!(normalizer.normalize("f v信用咔").as_str(), "f 微信用卡");
    }

    #[test]
    fn an_emoji_variant_is_not_a_separator() {
        let normalizer = Normalizer::new(&[("🧧".to_string(), "红包".to_string())]);
        assert_eq!(normalizer.normalize("领🧧啦").as_str(), "领红包啦");
        assert_eq!(normalizer.normalize("抢🧧🧧雨").as_str(), "抢红包红包雨");
        // Other emoji still split words.
        assert_eq!(normalizer.normalize("转🔥发").as_str(), "转发");
        // Without the variant, 🧧 is an ordinary separator.
        assert_eq!(norm("领🧧啦"), "领啦");
    }

    #[test]
    fn maps_spans_back_to_the_original() {
        let original = "全 网 最 低 价！";
        let n = Normalizer::default().normalize(original);
        assert_eq!(source_of(&n, original, "全网最低价"), "全 网 最 低 价");
        let at = n.as_str().find("网最").expect("present");
        assert_eq!(
            n.steps(at..at + "网最".len()).to_vec(),
            vec![Step::Separator]
        );
        assert!(n.steps(0.."全".len()).is_empty());
    }

    #[test]
    fn applies_variants_with_ascii_guard() {
        let normalizer = Normalizer::new(&[
            ("V信".to_string(), "微信".to_string()),
            ("薇信".to_string(), "微信".to_string()),
        ]);
        let original = "加ｖ信或薇 信，不是avx信";
        let n = normalizer.normalize(original);
        assert_eq!(n.as_str(), "加微信或微信,不是avx信");
        assert_eq!(source_of(&n, original, "加微信"), "加ｖ信");
        let at = n.as_str().find("或微信").expect("present") + "或".len();
        let steps = n.steps(at..at + "微信".len()).to_vec();
        assert_eq!(steps, vec![Step::Separator, Step::Variant]);
    }

    #[test]
    fn t2s_table_is_idempotent() {
        for &(_, s) in T2S {
            assert_eq!(simplified(s), None, "{s} maps again");
        }
    }

    #[test]
    fn normalising_twice_changes_nothing() {
        for text in ["转 * 發 ＶＸ①", "最\u{200B}好 的", "a  b\n\n转\n发", "⑴㈱℡"] {
            let once = norm(text);
            assert_eq!(norm(&once), once, "{text:?}");
        }
    }
}
