//! jieba's segmentation without its HMM, over a sorted word list searched in place.
//!
//! The engine only asks where jieba's `cut(text, false)` starts its tokens in a small
//! window around a candidate. jieba answers with the path through the window's
//! dictionary words that maximises the product of `freq / total`; this module computes
//! the same path with the same floating-point operations in the same order, so the
//! boundaries are the same (the tests of `segment` compare the two on the packs'
//! examples, on every window of them and on generated texts). What it leaves out is
//! what the engine never uses: the HMM and its tables (half a megabyte of a
//! WebAssembly module), part-of-speech tags, the other cutting modes, and a trie whose
//! build was most of a scanner's build time (jieba-rs's `Jieba::new`, 75–95 ms here).
//!
//! The dictionary is not loaded into a map either: its lines are sorted by word, and a
//! lookup is a search in the lines that begin with the word's first character, where
//! they lie in the text (in a long run of them, first in a list of their second
//! characters, made at its first use). Reading a dictionary is one pass that notes
//! where each first character's lines begin (see [`BaseWords::read`]). A dictionary is
//! read once into [`BaseWords`] and shared by the scanners built from it; each
//! scanner's [`Lexicon`] holds the pack terms it adds beside it.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHasher;

use super::lookups::{Lookups, Narrowed};
use crate::chars::{bit, char_count, char_start, set_bit};

type FxBuild = BuildHasherDefault<FxHasher>;

/// A run of more lines than this is narrowed to a first character and a second through
/// an index of its lines by their second character (see [`BaseWords::narrow_indexed`]).
const INDEXED_RUN: u32 = 64;

/// Added words up to this many characters are looked up whatever follows them; a
/// longer one only where its first `SHORT` characters start a longer added word.
const SHORT: usize = 4;

/// The longest of a set of words, for the lookups to skip.
#[derive(Debug, Default)]
struct Lengths {
    /// Length in characters of the longest word.
    max_chars: usize,
    /// The first [`SHORT`] characters of every word longer than that.
    long_starts: HashSet<Box<str>, FxBuild>,
}

impl Lengths {
    fn add(&mut self, word: &str) {
        self.max_chars = self.max_chars.max(char_count(word));
        if let Some(at) = char_start(word, SHORT) {
            self.long_starts.insert(word[..at].into());
        }
    }
}

/// Whether `word` holds white space. Its bytes answer for most words: white space is
/// ASCII or begins with one of four lead bytes (U+0085, U+00A0, U+1680, U+2000–U+205F,
/// U+3000); only a word with such a byte is decoded.
fn has_white_space(word: &str) -> bool {
    word.bytes()
        .any(|b| b <= b' ' || matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3))
        && word.contains(char::is_whitespace)
}

/// How much of a dictionary text [`BaseWords::read`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// Every line: its form, its frequency, and that the words are in order. For a
    /// dictionary given at run time.
    Lines,
    /// Only the header; the lines are indexed as they are. For the dictionaries whose
    /// every line a test checks: those the library embeds, and the reduced one given
    /// at run time (recognised by its fingerprint, see `segment::base_words`).
    Header,
}

/// The lines of a dictionary whose word begins with one character, and the frequency
/// of the character alone if it is a word: read with the run, so that the lookup every
/// position of a segmentation starts with reads no line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Run {
    /// The number of its first line.
    first: u32,
    /// The number of the line after its last.
    end: u32,
    /// The frequency of the character alone, if it is a word.
    single: Option<usize>,
    /// Its slot in [`BaseWords::seconds`], if it has more than [`INDEXED_RUN`] lines.
    seconds: Option<u32>,
}

/// The [`Run`] of each first character.
type Runs = HashMap<char, Run, FxBuild>;

/// A run's lines by their second character: for each second character (its code
/// point), in order, the number of the first line whose word has it. The line of the
/// first character alone, which comes first, is not one of them.
type SecondChars = Box<[(u32, u32)]>;

/// Lines of a dictionary narrowed to a prefix a character at a time: at first all the
/// lines of a first character, with their run's slot of [`BaseWords::seconds`] if it
/// has one, which the first narrowing takes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Narrowing {
    lines: Range<usize>,
    seconds: Option<u32>,
}

/// A dictionary's words with their frequencies: its word lines, searched in place.
#[derive(Debug)]
pub(crate) struct BaseWords {
    /// This dictionary's number among those read by the process, from 1 (0: no words),
    /// for the per-thread [`Lookups`].
    id: u32,
    /// The word lines: `word frequency`, sorted by word (as bytes, which is the order of
    /// characters), one word per line.
    lines: &'static str,
    /// Where each line starts in `lines`, and `lines.len()` last: line `i` is
    /// `starts[i]..starts[i + 1]`.
    starts: Vec<u32>,
    /// The lines whose word begins with each character.
    runs: Runs,
    /// For each run of more than [`INDEXED_RUN`] lines (see [`Run::seconds`]), its lines
    /// by their second character, made at the first search that needs it (see
    /// [`narrow_indexed`](Self::narrow_indexed)).
    seconds: Box<[OnceLock<SecondChars>]>,
    /// The sum of all frequencies, including those of words not held (see
    /// [`BaseWords::read`]).
    total: usize,
}

impl Default for BaseWords {
    /// No words.
    fn default() -> Self {
        BaseWords {
            id: 0,
            lines: "",
            starts: vec![0],
            runs: Runs::default(),
            seconds: Box::default(),
            total: 0,
        }
    }
}

/// A line of `lines` that does not read: its number (from 1) and what is wrong.
type LineError = (usize, String);

impl BaseWords {
    /// The dictionary format of `data/jieba-dict.txt` and `data/boundary-dict.txt`: `#`
    /// comment lines at the top, one of them `# total N`, then one `word frequency` line
    /// per word, sorted by word (byte order, which is the order of characters).
    ///
    /// Word probabilities are `freq / total`. `total` is the sum of all frequencies,
    /// including those of the entries a reduced dictionary leaves out, so the score of
    /// every path made of kept words stays as with the full dictionary (jieba-rs, which
    /// has no such total, is given the difference as the frequency of a word that never
    /// occurs in a segmented run). Without `# total` it is the sum of the lines'
    /// frequencies ([`Check::Lines`]; [`Check::Header`] needs the line).
    ///
    /// With [`Check::Lines`], a line that is not `word frequency`, a word with white
    /// space, a word out of order or repeated, or a total below the sum is an error
    /// naming the line (from 1). With [`Check::Header`] only the header is read; the
    /// lines are taken as they are (see [`Check::Header`]).
    pub(crate) fn read(dict: &'static str, check: Check) -> Result<BaseWords, LineError> {
        let mut total = None;
        let mut line_number = 0;
        let mut body = 0;
        // The header: comment lines, and empty ones.
        for line in dict.split_inclusive('\n') {
            let text = line.trim_end_matches(['\n', '\r']);
            let Some(comment) = text.strip_prefix('#').or(text.is_empty().then_some("")) else {
                break;
            };
            line_number += 1;
            if let Some(n) = comment.trim().strip_prefix("total ") {
                let n = n.trim();
                let parsed = n.parse::<usize>();
                let value = parsed.map_err(|e| (line_number, format!("`{n}`: {e}")))?;
                total = Some((value, line_number));
            }
            body += line.len();
        }
        let rest = &dict[body..];
        if u32::try_from(rest.len()).is_err() {
            return Err((line_number + 1, "a dictionary over 4 GiB".into()));
        }
        let mut index = Index::of(rest);
        let sum = match check {
            Check::Lines => Some(index.add_checked(line_number)?),
            Check::Header => {
                index.add();
                None
            }
        };
        let (starts, runs, indexed) = index.finish();
        let total = match (total, sum) {
            (Some((total, line)), Some(sum)) if total < sum => {
                return Err((
                    line,
                    format!("`# total {total}` is below the sum of the frequencies, {sum}"),
                ))
            }
            (Some((total, _)), _) => total,
            (None, Some(sum)) => sum,
            (None, None) => return Err((1, "no `# total N` line".into())),
        };
        static READ: AtomicU32 = AtomicU32::new(1);
        Ok(BaseWords {
            id: READ.fetch_add(1, Ordering::Relaxed),
            lines: rest,
            starts,
            runs,
            seconds: (0..indexed).map(|_| OnceLock::new()).collect(),
            total,
        })
    }

    /// The total and the runs, in order (what two readings of a text are compared by).
    #[cfg(test)]
    pub(crate) fn summary(&self) -> (usize, Vec<(char, Run)>) {
        let mut runs: Vec<_> = self.runs.iter().map(|(&c, &run)| (c, run)).collect();
        runs.sort_unstable();
        (self.total, runs)
    }

    /// The lines whose word begins with `c`, to narrow, and the frequency of `c` alone
    /// if it is a word.
    fn run(&self, c: char) -> Option<(Narrowing, Option<usize>)> {
        let run = self.runs.get(&c)?;
        let lines = Narrowing {
            lines: run.first as usize..run.end as usize,
            seconds: run.seconds,
        };
        Some((lines, run.single))
    }

    /// Line `i`, with its line end if it has one.
    ///
    /// A line compares with a key as its word does: the key has no white space, and the
    /// space after the word is below every byte a key can hold.
    fn line(&self, i: usize) -> &[u8] {
        &self.lines.as_bytes()[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// The first of `lines` whose word is not before `key`: searched at doubling
    /// distances from the first, where the next longer key of a lookup lies, then by
    /// halves.
    fn seek(&self, lines: Range<usize>, key: &[u8]) -> usize {
        let (mut lo, mut hi) = (lines.start, lines.end);
        let mut step = 1;
        while lo + step < hi {
            if !below(self.line(lo + step), key) {
                hi = lo + step;
                break;
            }
            lo += step + 1;
            step *= 2;
        }
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if below(self.line(mid), key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Narrows `lines` (sorted lines, all of whose words begin with `prefix` but for
    /// its last character) to those that begin with `prefix`, from the first of them
    /// on: `None` when there is none (no longer word either), else the frequency of
    /// `prefix` if it is a word.
    fn narrow(&self, lines: &mut Range<usize>, prefix: &[u8]) -> Option<Option<usize>> {
        lines.start = self.seek(lines.clone(), prefix);
        if lines.start >= lines.end {
            return None;
        }
        let line = self.line(lines.start).strip_prefix(prefix)?;
        Some(line.strip_prefix(b" ").map(parse_freq))
    }

    /// [`narrow`](Self::narrow) of `lines` to `prefix`; the first narrowing of a run
    /// that has lines by their second character (see [`seconds`](Self::seconds), made
    /// at the first call for the run), to two characters or more, searches that list
    /// where narrowing searched the run's lines, in megabytes of text: `lines` become
    /// those of the first two characters before the rest of `prefix` narrows them.
    fn narrow_indexed(&self, lines: &mut Narrowing, prefix: &[u8]) -> Narrowed {
        let Some(seconds) = lines
            .seconds
            .take()
            .and_then(|slot| self.seconds.get(slot as usize))
        else {
            return self.narrow(&mut lines.lines, prefix);
        };
        let mut chars = std::str::from_utf8(prefix)
            .ok()
            .into_iter()
            .flat_map(str::chars);
        let (Some(_), Some(second)) = (chars.next(), chars.next()) else {
            return self.narrow(&mut lines.lines, prefix);
        };
        let run = lines.lines.clone();
        let seconds = seconds.get_or_init(|| self.second_chars(run.clone()));
        let found = match seconds.binary_search_by_key(&u32::from(second), |&(c, _)| c) {
            Ok(i) => {
                let end = seconds
                    .get(i + 1)
                    .map_or(run.end, |&(_, line)| line as usize);
                lines.lines = seconds[i].1 as usize..end;
                self.narrow(&mut lines.lines, prefix)
            }
            Err(_) => None,
        };
        // Debug builds check every answer against the search of the run's lines.
        if cfg!(debug_assertions) {
            let mut searched = run;
            assert_eq!(self.narrow(&mut searched, prefix), found);
            assert!(found.is_none() || searched.start == lines.lines.start);
        }
        found
    }

    /// The lines of `run` (all of a first character's) by their second character (see
    /// [`SecondChars`]): one pass over them, in order, as the lines are sorted.
    fn second_chars(&self, run: Range<usize>) -> SecondChars {
        let mut seconds: Vec<(u32, u32)> = Vec::new();
        for i in run {
            let line = &self.lines[self.starts[i] as usize..self.starts[i + 1] as usize];
            let Some(second) = line.chars().nth(1).filter(|&c| c != ' ') else {
                continue;
            };
            if seconds.last().map(|&(c, _)| c) != Some(u32::from(second)) {
                seconds.push((u32::from(second), i as u32));
            }
        }
        debug_assert!(seconds.windows(2).all(|w| w[0].0 < w[1].0));
        seconds.into()
    }

    /// [`narrow_indexed`](Self::narrow_indexed), answered from `lookups` when they
    /// hold `prefix`.
    fn narrow_remembered(
        &self,
        lookups: &mut Lookups,
        lines: &mut Narrowing,
        prefix: &[u8],
    ) -> Narrowed {
        if let Some((start, found)) = lookups.get(self.id, prefix) {
            // Debug builds check every answer against the search, from where this
            // lookup stands: the result and, when there are lines, where they start.
            if cfg!(debug_assertions) {
                let mut searched = lines.lines.clone();
                assert_eq!(self.narrow(&mut searched, prefix), found);
                assert!(found.is_none() || searched.start == start);
            }
            lines.lines.start = start;
            lines.seconds = None;
            return found;
        }
        let found = self.narrow_indexed(lines, prefix);
        lookups.put(self.id, prefix, lines.lines.start, found);
        found
    }

    /// `word`'s frequency, if it is a word.
    pub(crate) fn freq(&self, word: &str) -> Option<usize> {
        // No word has white space, and a line compares as its word only with keys
        // without a space.
        if word.bytes().any(|b| b <= b' ') {
            return None;
        }
        let (mut lines, _) = self.run(word.chars().next()?)?;
        self.narrow_indexed(&mut lines, word.as_bytes()).flatten()
    }
}

/// Whether `line` is before `key`, compared byte by byte (`line < key`): words are a
/// few bytes long, and a call to `memcmp` for each comparison cost more than it.
#[inline]
fn below(line: &[u8], key: &[u8]) -> bool {
    for (a, b) in line.iter().zip(key) {
        if a != b {
            return a < b;
        }
    }
    line.len() < key.len()
}

/// The digits a frequency begins with, as a number (a line [`Check::Lines`] checked
/// has nothing else but its line end).
fn parse_freq(field: &[u8]) -> usize {
    field
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .fold(0usize, |n, &b| {
            n.saturating_mul(10).saturating_add(usize::from(b - b'0'))
        })
}

/// Where the lines of a dictionary's body start, and the lines of each first
/// character, as they are read.
#[derive(Debug)]
struct Index<'d> {
    /// The body: its word lines.
    lines: &'d str,
    starts: Vec<u32>,
    runs: Runs,
    /// The first character of the last lines, and the number of the first of them.
    current: Option<(char, u32)>,
    /// How many runs have a slot of [`BaseWords::seconds`].
    indexed: u32,
}

impl<'d> Index<'d> {
    /// An index of `lines` (the dictionary's body), before any line is read.
    fn of(lines: &'d str) -> Self {
        Index {
            lines,
            starts: Vec::new(),
            runs: Runs::default(),
            current: None,
            indexed: 0,
        }
    }

    /// Notes the line at `start` (the next), which begins with `first`.
    fn note(&mut self, start: usize, first: char) {
        let number = self.starts.len() as u32;
        self.starts.push(start as u32);
        if self.current.map(|(c, _)| c) != Some(first) {
            self.close_run();
            self.current = Some((first, number));
        }
    }

    /// Ends the run of the last lines' first character (the start of the line after
    /// them is noted), with the frequency of the character alone: its line, if it has
    /// one, sorts first among the words that begin with it.
    fn close_run(&mut self) {
        if let Some((c, first)) = self.current.take() {
            let end = self.starts.len() as u32 - 1;
            let line =
                self.starts[first as usize] as usize..self.starts[first as usize + 1] as usize;
            let single = self.lines.as_bytes()[line]
                .get(c.len_utf8()..)
                .and_then(|rest| rest.strip_prefix(b" "))
                .map(parse_freq);
            let seconds = (end - first > INDEXED_RUN).then(|| {
                let slot = self.indexed;
                self.indexed += 1;
                slot
            });
            self.runs.insert(
                c,
                Run {
                    first,
                    end,
                    single,
                    seconds,
                },
            );
        }
    }

    /// The line starts (with the end after the last line's), the runs, and how many of
    /// them have a slot of [`BaseWords::seconds`].
    fn finish(mut self) -> (Vec<u32>, Runs, u32) {
        self.starts.push(self.lines.len() as u32);
        self.close_run();
        (self.starts, self.runs, self.indexed)
    }

    /// Indexes every line, taken to be sorted `word frequency` lines.
    fn add(&mut self) {
        let lines = self.lines;
        let bytes = lines.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            self.note(start, lines[start..].chars().next().unwrap_or('\n'));
            start = bytes[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| start + i + 1);
        }
    }

    /// [`add`](Self::add), checking every line (numbered from `header_lines` + 1), and
    /// the sum of the frequencies.
    fn add_checked(&mut self, header_lines: usize) -> Result<usize, LineError> {
        let lines = self.lines;
        let mut sum = 0usize;
        let mut previous: &str = "";
        let mut start = 0;
        for (number, with_end) in (header_lines + 1..).zip(lines.split_inclusive('\n')) {
            let line = with_end.trim_end_matches('\n').trim_end_matches('\r');
            let error = |what: String| (number, what);
            let not_a_line = || error(format!("`{line}`: not `word frequency`"));
            let (word, field) = line.split_once(' ').ok_or_else(not_a_line)?;
            let freq = field
                .parse::<usize>()
                .map_err(|e| error(format!("`{field}`: {e}")))?;
            if word.is_empty() || has_white_space(word) {
                return Err(not_a_line());
            }
            if word <= previous {
                let what = if word == previous {
                    "again"
                } else {
                    "out of order"
                };
                return Err(error(format!(
                    "`{word}` {what}: the words must be sorted, each once"
                )));
            }
            sum = sum.saturating_add(freq);
            self.note(start, word.chars().next().unwrap_or(' '));
            previous = word;
            start += with_end.len();
        }
        Ok(sum)
    }
}

/// A shared dictionary with a scanner's own words added, and the segmentation jieba
/// computes from them.
#[derive(Debug)]
pub(crate) struct Lexicon {
    base: Arc<BaseWords>,
    /// Words added to the dictionary (pack terms), or added again with a new frequency;
    /// they take precedence over `base`.
    added: HashMap<Box<str>, usize, FxBuild>,
    /// The sum of all frequencies.
    total: usize,
    log_total: f64,
    /// The longest of the added words.
    added_lengths: Lengths,
    /// The added words' first characters, one bit each by the low bits of the code
    /// point: where a character has no bit set, no added word starts.
    added_firsts: [u64; ADDED_FIRSTS_WORDS],
}

/// Size of [`Lexicon::added_firsts`]: 2^12 bits (512 bytes), so that the few hundred
/// first characters of a rule pack's terms set a fraction of them.
const ADDED_FIRSTS_BITS: u32 = 12;
const ADDED_FIRSTS_WORDS: usize = (1 << ADDED_FIRSTS_BITS) / 64;

/// The bit of [`Lexicon::added_firsts`] for `c`.
fn added_first_bit(c: char) -> usize {
    (c as usize) & ((1 << ADDED_FIRSTS_BITS) - 1)
}

impl Default for Lexicon {
    /// No words: every character of a Han run is a token of its own.
    fn default() -> Self {
        Lexicon::new(Arc::default())
    }
}

impl Lexicon {
    /// The words of `base`, to which words can be added.
    pub(crate) fn new(base: Arc<BaseWords>) -> Lexicon {
        Lexicon {
            total: base.total,
            log_total: (base.total as f64).ln(),
            added_lengths: Lengths::default(),
            added: HashMap::default(),
            added_firsts: [0; ADDED_FIRSTS_WORDS],
            base,
        }
    }

    /// The lexicon of a dictionary text, every line checked (see [`BaseWords::read`]).
    #[cfg(test)]
    pub(crate) fn from_boundary_dict(dict: &'static str) -> Result<Lexicon, LineError> {
        Ok(Lexicon::new(Arc::new(BaseWords::read(dict, Check::Lines)?)))
    }

    /// Adds `word` with the frequency jieba's `add_word(word, None, None)` gives it:
    /// just enough for `word` to be cut as one token.
    pub(crate) fn add_word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        let freq = self.suggest_freq(word);
        if let Some(old) = self.freq(word) {
            self.total -= old;
        }
        self.total += freq;
        self.log_total = (self.total as f64).ln();
        self.added_lengths.add(word);
        if let Some(first) = word.chars().next() {
            set_bit(&mut self.added_firsts, added_first_bit(first));
        }
        self.added.insert(word.into(), freq);
    }

    /// Whether `word` is held.
    #[cfg(test)]
    pub(crate) fn has_word(&self, word: &str) -> bool {
        self.freq(word).is_some()
    }

    /// `word`'s frequency, if it is a word.
    fn freq(&self, word: &str) -> Option<usize> {
        if let Some(&freq) = self.added.get(word) {
            return Some(freq);
        }
        self.base.freq(word)
    }

    fn freq_or(&self, word: &str, default: usize) -> usize {
        self.freq(word).unwrap_or(default)
    }

    /// jieba's `suggest_freq`: the frequency that makes `segment` one token, or its own
    /// frequency if that is higher.
    pub(crate) fn suggest_freq(&self, segment: &str) -> usize {
        let logtotal = self.log_total;
        let mut starts = Vec::new();
        self.token_starts(segment, &mut starts);
        let mut logfreq = 0f64;
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(segment.len());
            logfreq = logfreq + (self.freq_or(&segment[start..end], 1) as f64).ln() - logtotal;
        }
        std::cmp::max(
            (logfreq + logtotal).exp() as usize + 1,
            self.freq_or(segment, 1),
        )
    }

    /// Appends to `out` the byte offsets in `text` where jieba's `cut(text, false)`
    /// starts a token, in order.
    pub(crate) fn token_starts(&self, text: &str, out: &mut Vec<usize>) {
        let mut chars: Vec<(usize, char)> = Vec::new();
        let mut route: Vec<(f64, usize)> = Vec::new();
        let mut iter = text.char_indices().peekable();
        while let Some(&(_, first)) = iter.peek() {
            let in_run = is_han_default(first);
            chars.clear();
            while let Some(&(at, c)) = iter.peek() {
                if is_han_default(c) != in_run {
                    break;
                }
                chars.push((at, c));
                iter.next();
            }
            let run_end = iter.peek().map_or(text.len(), |&(at, _)| at);
            if in_run {
                self.cut_run(text, &chars, run_end, &mut route, out);
            } else {
                // Outside runs every character is a token; `\r\n` is one.
                let mut previous = None;
                for &(at, c) in &chars {
                    if !(c == '\n' && previous == Some('\r')) {
                        out.push(at);
                    }
                    previous = Some(c);
                }
            }
        }
    }

    /// The best route through one run of Han, ASCII alphanumerics and `+#&._%-`
    /// (`chars`, ending at byte `run_end`): jieba's `calc` and `cut_dag_no_hmm`.
    fn cut_run(
        &self,
        text: &str,
        chars: &[(usize, char)],
        run_end: usize,
        route: &mut Vec<(f64, usize)>,
        out: &mut Vec<usize>,
    ) {
        let n = chars.len();
        let byte_at = |i: usize| chars.get(i).map_or(run_end, |&(at, _)| at);
        route.clear();
        route.resize(n + 1, (0.0, n));
        let logtotal = self.log_total;
        let log1 = 0.0f64 - logtotal;
        Lookups::with(|lookups| {
            for idx in (0..n).rev() {
                let mut best: Option<(f64, usize)> = None;
                let mut consider = |freq: usize, end: usize, route: &[(f64, usize)]| {
                    let prob = (freq as f64).ln() - logtotal + route[end].0;
                    match best {
                        Some((p, e)) if !(prob > p || (prob == p && end > e)) => {}
                        _ => best = Some((prob, end)),
                    }
                };
                let from = byte_at(idx);
                // The dictionary's words that start here, found by narrowing the lines that
                // begin with this character, a character at a time, until none is left.
                if let Some((mut lines, single)) = self.base.run(chars[idx].1) {
                    // The character alone, known without a search (narrowing the run to
                    // its first character leaves it whole).
                    if let Some(freq) = single {
                        consider(freq, idx + 1, route);
                    }
                    for end in idx + 2..=n {
                        let word = &text.as_bytes()[from..byte_at(end)];
                        let Some(freq) = self.base.narrow_remembered(lookups, &mut lines, word)
                        else {
                            break;
                        };
                        if let Some(freq) = freq {
                            consider(freq, end, route);
                        }
                    }
                }
                // The added words. One that is also the dictionary's replaces it with a
                // frequency no lower (`suggest_freq`), so the better of the two is its own.
                // Most characters begin none: one bit tells, before any hashing.
                if bit(&self.added_firsts, added_first_bit(chars[idx].1)) {
                    let mut longest = n.min(idx + self.added_lengths.max_chars);
                    if longest > idx + SHORT
                        && !self
                            .added_lengths
                            .long_starts
                            .contains(&text[from..byte_at(idx + SHORT)])
                    {
                        longest = idx + SHORT;
                    }
                    for end in idx + 1..=longest {
                        if let Some(&freq) = self.added.get(&text[from..byte_at(end)]) {
                            consider(freq, end, route);
                        }
                    }
                }
                route[idx] = best.unwrap_or((log1 + route[idx + 1].0, idx + 1));
            }
        });
        // Single ASCII letters or digits the route leaves alone are joined into one
        // token; every other step of the route is a token.
        let mut x = 0;
        let mut joined: Option<usize> = None;
        while x < n {
            let y = route[x].1;
            if y - x == 1 && chars[x].1.is_ascii_alphanumeric() {
                joined.get_or_insert(x);
            } else {
                if let Some(start) = joined.take() {
                    out.push(byte_at(start));
                }
                out.push(byte_at(x));
            }
            x = y;
        }
        if let Some(start) = joined {
            out.push(byte_at(start));
        }
    }
}

/// The characters jieba segments as runs (its `RE_HAN_DEFAULT`): CJK ideographs, ASCII
/// letters and digits, and `+#&._%-`.
fn is_han_default(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2B73F}'
        | '\u{2B740}'..='\u{2B81F}'
        | '\u{2B820}'..='\u{2CEAF}'
        | '\u{2CEB0}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
        | 'a'..='z' | 'A'..='Z' | '0'..='9'
        | '+' | '#' | '&' | '.' | '_' | '%' | '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(lexicon: &Lexicon, text: &str) -> Vec<String> {
        let mut starts = Vec::new();
        lexicon.token_starts(text, &mut starts);
        starts
            .iter()
            .enumerate()
            .map(|(i, &s)| text[s..starts.get(i + 1).copied().unwrap_or(text.len())].to_owned())
            .collect()
    }

    #[test]
    fn header_total_and_words() {
        let lexicon = Lexicon::from_boundary_dict("# comment\n# total 105\n我们 10\n第一名 5\n")
            .expect("reads");
        assert!(lexicon.has_word("第一名") && lexicon.has_word("我们"));
        assert!(!lexicon.has_word("第一") && !lexicon.has_word("我"));
        // The total beyond the words' 15 counts: a new word's suggested frequency,
        // (5 · 10) / total + 1, is 1 with it and 4 without.
        let without = Lexicon::from_boundary_dict("我们 10\n第一名 5\n").expect("reads");
        assert_eq!(lexicon.suggest_freq("第一名我们"), 1);
        assert_eq!(without.suggest_freq("第一名我们"), 4);
    }

    #[test]
    fn every_word_is_found_and_nothing_else() {
        let dict = "# total 40\na 1\nab 2\nabc 3\n中 3\n中国 5\n中国人 2\n中国人民 7\n中间 1\n国 4\n𠀀𠀁 6\n";
        for check in [Check::Lines, Check::Header] {
            let base = BaseWords::read(dict, check).expect("reads");
            for (word, freq) in [
                ("a", 1),
                ("ab", 2),
                ("abc", 3),
                ("中", 3),
                ("中国", 5),
                ("中国人", 2),
                ("中国人民", 7),
                ("中间", 1),
                ("国", 4),
                ("𠀀𠀁", 6),
            ] {
                assert_eq!(base.freq(word), Some(freq), "{word}");
            }
            for other in [
                "",
                "b",
                "abcd",
                "中国人民共",
                "中国民",
                "国中",
                "中人",
                "𠀀",
                "间",
            ] {
                assert_eq!(base.freq(other), None, "{other}");
            }
            assert_eq!(base.summary().0, 40);
        }
        // Without `# total`, the sum of the frequencies when the lines are read; an
        // error when they are not.
        let untotalled = dict.split_once('\n').expect("header").1;
        let base = BaseWords::read(untotalled, Check::Lines).expect("reads");
        assert_eq!(base.summary().0, 34);
        assert!(BaseWords::read(untotalled, Check::Header).is_err());
        // Longer dictionaries: runs of hundreds of lines, searched at every distance.
        let mut words: Vec<String> = (0..600).map(|i| format!("中{i:04}")).collect();
        words.push("中".into());
        words.sort();
        let dict: String = words.iter().map(|w| format!("{w} 9\n")).collect();
        let base = BaseWords::read(dict.leak(), Check::Lines).expect("reads");
        for word in &words {
            assert_eq!(base.freq(word), Some(9), "{word}");
            assert_eq!(base.freq(&format!("{word}x")), None, "{word}");
        }
        assert_eq!(base.freq("中060"), None);
    }

    /// Words of one to nine characters over a small alphabet (characters of one to four
    /// bytes, first characters of every width), sorted and unique, with made-up
    /// frequencies. Every character of the alphabet begins words; all but two are words
    /// themselves.
    fn generated_dictionary(seed: u64) -> (Vec<String>, &'static str) {
        let alphabet = ['a', 'é', '中', '国', '人', '𠀀', '9', '-'];
        let mut numbers = crate::testing::numbers(seed);
        let mut words: Vec<String> = (0..3000)
            .map(|_| {
                let len = 1 + numbers(9);
                (0..len)
                    .map(|_| alphabet[numbers(alphabet.len())])
                    .collect()
            })
            .collect();
        // Two characters that are no word alone, though words begin with them.
        words.retain(|w| w != "国" && w != "𠀀");
        words.sort();
        words.dedup();
        let lines: String = words
            .iter()
            .enumerate()
            .map(|(i, w)| format!("{w} {}\n", 1 + i % 97))
            .collect();
        (words, format!("# total 1000000\n{lines}").leak())
    }

    #[test]
    fn narrowing_finds_what_a_search_line_by_line_finds() {
        let (words, dict) = generated_dictionary(0x5eed_7a11);
        for check in [Check::Lines, Check::Header] {
            let base = BaseWords::read(dict, check).expect("reads");
            let mut numbers = crate::testing::numbers(0x0dd5_eed5);
            let mut indexed = 0;
            // Keys: every prefix of every word, and each word with a character more.
            let mut keys: Vec<String> = Vec::new();
            for word in &words {
                let chars: Vec<char> = word.chars().collect();
                for n in 1..=chars.len() {
                    keys.push(chars[..n].iter().collect());
                }
                keys.push(format!("{word}{}", ['a', '国', '𠀀'][numbers(3)]));
            }
            for key in &keys {
                let first = key.chars().next().expect("non-empty");
                let Some((lines, single)) = base.run(first) else {
                    assert!(!words.iter().any(|w| w.starts_with(first)), "{key}");
                    continue;
                };
                let mut narrowed = lines.lines.clone();
                let found = base.narrow(&mut narrowed, key.as_bytes());
                // Through the run's lines by their second character: the same answer,
                // and, for two characters, exactly the lines that begin with them.
                let mut by_second = lines.clone();
                let found_by_second = base.narrow_indexed(&mut by_second, key.as_bytes());
                assert_eq!(found_by_second, found, "{key}");
                indexed += usize::from(by_second.lines != lines.lines);
                if found.is_some() {
                    assert_eq!(by_second.lines.start, narrowed.start, "{key}");
                    if key.chars().count() == 2 {
                        let with_key: Vec<usize> = lines
                            .lines
                            .clone()
                            .filter(|&i| base.line(i).starts_with(key.as_bytes()))
                            .collect();
                        assert_eq!(by_second.lines.collect::<Vec<_>>(), with_key, "{key}");
                    }
                }
                let first_with = lines
                    .lines
                    .clone()
                    .find(|&i| base.line(i).starts_with(key.as_bytes()));
                let freq = words.binary_search(key).ok().map(|i| 1 + i % 97);
                match first_with {
                    None => assert_eq!(found, None, "{key}"),
                    Some(at) => {
                        assert_eq!(found, Some(freq), "{key}");
                        assert_eq!(narrowed.start, at, "{key}");
                    }
                }
                // The run's own answer for its character alone.
                if key.chars().count() == 1 {
                    assert_eq!(single, freq, "{key} alone");
                }
            }
            assert!(indexed > 100, "{indexed} keys through an index");
        }
    }

    #[test]
    fn bad_lines_are_errors_with_their_number() {
        let err = |dict| Lexicon::from_boundary_dict(dict).expect_err("bad dictionary");
        assert_eq!(err("我们 5\n北京 x\n").0, 2);
        assert_eq!(err("# total -1\n").0, 1);
        assert_eq!(err("# c\n我们\n").0, 2);
        assert_eq!(err("我 们 5\n").0, 1);
        assert_eq!(err("我们 5 n\n").0, 1);
        let order = err("我们 5\n北京 5\n");
        assert!(
            order.0 == 2 && order.1.contains("out of order"),
            "{order:?}"
        );
        let again = err("我们 5\n我们 6\n");
        assert!(again.0 == 2 && again.1.contains("again"), "{again:?}");
        assert_eq!(err("# a\n# total 3\n# b\n我们 5\n").0, 2);
        assert_eq!(err("我们 5\n\n北京 6\n").0, 2);
        // The old format (`=frequency` lines) is not read.
        assert_eq!(err("=5\n我们\n").0, 1);
    }

    #[test]
    fn lines_may_end_in_crlf_or_not_at_all() {
        let lexicon = Lexicon::from_boundary_dict("我们 5\r\n第一 7").expect("reads");
        assert!(lexicon.has_word("我们") && lexicon.has_word("第一"));
        assert_eq!(lexicon.freq("我们"), Some(5));
        assert_eq!(lexicon.freq("第一"), Some(7));
        // The line numbers of errors count the header's empty lines.
        assert_eq!(
            Lexicon::from_boundary_dict("\n\n# c\n\n我 们\n")
                .expect_err("white space")
                .0,
            5
        );
    }

    #[test]
    fn byte_tests_agree_with_decoding() {
        let white: Vec<char> = (0..=0x3000_u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert!(white.contains(&'\u{3000}') && white.contains(&'\u{85}'));
        for c in white {
            let word = format!("我{c}们");
            assert!(has_white_space(&word), "{:?}", c);
            let dict = format!("{word} 5\n").leak();
            assert!(Lexicon::from_boundary_dict(dict).is_err(), "{:?}", c);
        }
        for word in [
            "我们",
            "ａｂ",
            "〇〇七",
            "\u{2014}\u{2014}",
            "café",
            "x",
            "a𠀀b我们c",
        ] {
            assert!(!has_white_space(word), "{word}");
            assert_eq!(char_count(word), word.chars().count(), "{word}");
            for n in 0..8 {
                let decoded = word.char_indices().nth(n).map(|(at, _)| at);
                assert_eq!(char_start(word, n), decoded, "{word} {n}");
            }
        }
    }

    #[test]
    fn routes_join_ascii_and_split_outside_runs() {
        let lexicon =
            Lexicon::from_boundary_dict("们 1\n北京 50\n我 1\n我们 50\n").expect("parses");
        assert_eq!(words(&lexicon, "我们去北京"), ["我们", "去", "北京"]);
        assert_eq!(words(&lexicon, "加vx123好友"), ["加", "vx123", "好", "友"]);
        assert_eq!(
            words(&lexicon, "我们！\r\n北京 "),
            ["我们", "！", "\r\n", "北京", " "]
        );
        let empty = Lexicon::default();
        assert_eq!(words(&empty, "第一名"), ["第", "一", "名"]);
    }

    #[test]
    fn equal_routes_take_the_longer_first_word() {
        // 甲|乙丙 and 甲乙|丙 score the same; jieba keeps the longer first word.
        let lexicon =
            Lexicon::from_boundary_dict("丙 10\n乙丙 10\n甲 10\n甲乙 10\n").expect("parses");
        assert_eq!(words(&lexicon, "甲乙丙"), ["甲乙", "丙"]);
    }

    #[test]
    fn added_words_become_tokens() {
        let mut lexicon = Lexicon::from_boundary_dict("北京 50\n我们 50\n").expect("parses");
        assert_eq!(words(&lexicon, "最低价"), ["最", "低", "价"]);
        lexicon.add_word("最低价");
        assert_eq!(words(&lexicon, "全网最低价"), ["全", "网", "最低价"]);
        // Longer than four characters: looked up although no dictionary word that
        // long starts there.
        lexicon.add_word("稳赚不赔保本金");
        assert_eq!(
            words(&lexicon, "我们稳赚不赔保本金"),
            ["我们", "稳赚不赔保本金"]
        );
    }
}
