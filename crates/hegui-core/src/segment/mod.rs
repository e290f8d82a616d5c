//! Word-boundary decisions with jieba's segmentation, made only around candidate matches.
//!
//! Segmenting whole messages is the slowest step of a naive pipeline; here the segmenter
//! runs only on the clause around a candidate, clipped to a few dozen bytes each side,
//! and windows are reused for nearby candidates within one scan.
//!
//! The segmenter is [`lexicon::Lexicon`], jieba's segmentation without the HMM, over
//! jieba's full dictionary (`default-dict`, the native default), a reduced one
//! (`boundary-dict`, or given at run time as the WebAssembly package does), or none.
//! Its tests compare it with jieba-rs.

use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use crate::chars::{is_clause_break, is_han};

mod fingerprint;
mod lexicon;
mod lookups;

use fingerprint::fingerprint;
use lexicon::{BaseWords, Check, Lexicon};

include!(concat!(env!("OUT_DIR"), "/fingerprints.rs"));

/// Bytes of context on each side of a candidate given to the segmenter. Measured:
/// windows of ±24 bytes agree with segmenting the whole message on real text.
const WINDOW: usize = 24;

/// The two operations the engine needs of a segmenter (also implemented by jieba-rs
/// in the tests, to compare the two).
pub(crate) trait Segment {
    /// Adds a pack term with the frequency jieba would suggest for it.
    fn add_term(&mut self, word: &str);
    /// Appends the byte offsets where tokens of `text` start.
    #[cfg(test)]
    fn token_starts(&self, text: &str, out: &mut Vec<usize>);
}

#[cfg(test)]
impl Segment for jieba_rs::Jieba {
    fn add_term(&mut self, word: &str) {
        self.add_word(word, None, None);
    }
    fn token_starts(&self, text: &str, out: &mut Vec<usize>) {
        out.extend(self.cut(text, false).iter().map(|t| t.byte_start));
    }
}

impl Segment for Lexicon {
    fn add_term(&mut self, word: &str) {
        self.add_word(word);
    }
    #[cfg(test)]
    fn token_starts(&self, text: &str, out: &mut Vec<usize>) {
        Lexicon::token_starts(self, text, out);
    }
}

/// A dictionary's words, shared by the scanners built from it.
pub(crate) type Words = Arc<BaseWords>;

/// The segmenter with every pack term added to its dictionary.
pub(crate) struct Segmenter {
    words: Lexicon,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Segmenter")
    }
}

impl Segmenter {
    /// `base` (from [`base_words`]) with `terms` added.
    pub(crate) fn with_base<'a>(base: Words, terms: impl IntoIterator<Item = &'a str>) -> Self {
        let mut words = Lexicon::new(base);
        add_terms(&mut words, terms);
        Segmenter { words }
    }
}

/// Adds the terms of more than one character with a Chinese character.
fn add_terms<'a>(words: &mut dyn Segment, terms: impl IntoIterator<Item = &'a str>) {
    for term in terms {
        if term.chars().count() > 1 && term.chars().any(is_han) {
            words.add_term(term);
        }
    }
}

/// The words to segment with: `dict` (in the format of `data/boundary-dict.txt`) when
/// given, else the dictionary this build embeds. An error names the line of `dict`
/// that does not parse.
///
/// A dictionary is read once per process: the embedded one on first use, a given one
/// again only when another text is given (the last one read is kept; a `'static` text
/// never changes, so its address and length identify it).
pub(crate) fn base_words(dict: Option<&'static str>) -> Result<Words, (usize, String)> {
    static LAST_GIVEN: Mutex<Option<(usize, usize, Words)>> = Mutex::new(None);
    let Some(dict) = dict else {
        return Ok(embedded_words());
    };
    let key = (dict.as_ptr() as usize, dict.len());
    let mut last = LAST_GIVEN.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((ptr, len, words)) = last.as_ref() {
        if (*ptr, *len) == key {
            return Ok(Arc::clone(words));
        }
    }
    let words = Arc::new(BaseWords::read(dict, check_for(dict))?);
    *last = Some((key.0, key.1, Arc::clone(&words)));
    Ok(words)
}

/// How much of a given dictionary text to check: only the header of the reduced
/// dictionary of `data/` (a test checks its every line), recognised by its
/// fingerprint; every line of any other.
fn check_for(dict: &str) -> Check {
    if fingerprint(dict.as_bytes()) == BOUNDARY_DICT_FINGERPRINT {
        Check::Header
    } else {
        Check::Lines
    }
}

/// The dictionary this build embeds, indexed on first use. Its lines are not checked
/// again: a test checks every line of both embedded dictionaries.
fn embedded_words() -> Words {
    static EMBEDDED: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    Arc::clone(EMBEDDED.get_or_init(|| {
        Arc::new(EMBEDDED_DICT.map_or_else(BaseWords::default, |dict| {
            BaseWords::read(dict, Check::Header).unwrap_or_default()
        }))
    }))
}

/// jieba's full dictionary (349,045 words), sorted `word frequency` lines made by
/// `wasm/dict/generate.sh`.
#[cfg(any(test, feature = "default-dict"))]
const JIEBA_DICT: &str = include_str!("../../data/jieba-dict.txt");

/// The reduced dictionary of the `boundary-dict` feature, generated from jieba's by
/// `wasm/dict/generate.sh` (which says what it keeps and why).
#[cfg(any(test, feature = "boundary-dict"))]
const BOUNDARY_DICT: &str = include_str!("../../data/boundary-dict.txt");

/// The dictionary this build embeds: jieba's (`default-dict`).
#[cfg(feature = "default-dict")]
const EMBEDDED_DICT: Option<&str> = Some(JIEBA_DICT);

/// The dictionary this build embeds: the reduced one (`boundary-dict`).
#[cfg(all(feature = "boundary-dict", not(feature = "default-dict")))]
const EMBEDDED_DICT: Option<&str> = Some(BOUNDARY_DICT);

/// The dictionary this build embeds: none, only the pack terms are words.
#[cfg(not(any(feature = "default-dict", feature = "boundary-dict")))]
const EMBEDDED_DICT: Option<&str> = None;

/// Segmented windows of one scan, reused by nearby candidates.
#[derive(Debug, Default)]
pub(crate) struct BoundaryCache {
    /// The windows in the order they were made (the first that fits is reused).
    windows: Vec<(Range<usize>, Vec<usize>)>,
    /// With more than [`BoundaryCache::SCANNED`] windows: (start, index) of each, so that
    /// the windows that may cover a range are found without looking at all of them.
    /// (Looked at one by one, a long message with many candidates took time quadratic
    /// in them.)
    by_start: std::collections::BTreeSet<(usize, usize)>,
    /// The longest window's length: a window covering a range starts at most this far
    /// before it.
    longest: usize,
}

/// Whether a match at `range` of `text` starts and ends on word boundaries.
///
/// An edge next to a non-word character (punctuation, space, start of text) is a
/// boundary. An edge between two ASCII letters or digits is not. An edge between two
/// Chinese characters is decided by the segmenter on a window around the match.
pub(crate) fn is_word_aligned(
    segmenter: Option<&Segmenter>,
    text: &str,
    range: Range<usize>,
    cache: &mut BoundaryCache,
) -> bool {
    let needs_segmenter = |at: usize| -> Option<bool> {
        let before = text[..at].chars().next_back();
        let after = text[at..].chars().next();
        match (before, after) {
            (Some(b), Some(a)) if b.is_ascii_alphanumeric() && a.is_ascii_alphanumeric() => {
                Some(false)
            }
            (Some(b), Some(a)) if is_han(b) && is_han(a) => None,
            _ => Some(true),
        }
    };
    let start = needs_segmenter(range.start);
    let end = needs_segmenter(range.end);
    if start == Some(false) || end == Some(false) {
        return false;
    }
    if start.is_some() && end.is_some() {
        return true;
    }
    let Some(segmenter) = segmenter else {
        return true;
    };
    let boundaries = cache.window_for(segmenter, text, range.clone());
    (start.is_some() || boundaries.binary_search(&range.start).is_ok())
        && (end.is_some() || boundaries.binary_search(&range.end).is_ok())
}

impl BoundaryCache {
    /// Token boundaries (absolute byte offsets) of a window that covers `range` with
    /// context on both sides.
    fn window_for(&mut self, segmenter: &Segmenter, text: &str, range: Range<usize>) -> &[usize] {
        let window = window_around(text, range.clone());
        let fits = |w: &Range<usize>| Self::fits(w, &range, &window);
        let reuse = if self.windows.len() <= Self::SCANNED {
            self.windows.iter().position(|(w, _)| fits(w))
        } else {
            // The first made among those that start close enough before the range.
            let from = range.start.saturating_sub(self.longest);
            self.by_start
                .range((from, 0)..=(range.start, usize::MAX))
                .map(|&(_, i)| i)
                .filter(|&i| fits(&self.windows[i].0))
                .min()
        };
        let index = match reuse {
            Some(i) => i,
            None => {
                let mut boundaries = Vec::new();
                let slice = &text[window.clone()];
                segmenter.words.token_starts(slice, &mut boundaries);
                for start in &mut boundaries {
                    *start += window.start;
                }
                boundaries.push(window.end);
                self.longest = self.longest.max(window.len());
                self.windows.push((window, boundaries));
                if self.windows.len() > Self::SCANNED {
                    // Every window not yet indexed: all of them the first time, then the new one.
                    let indexed = self.by_start.len();
                    let new = self.windows.iter().enumerate().skip(indexed);
                    self.by_start.extend(new.map(|(i, (w, _))| (w.start, i)));
                }
                self.windows.len() - 1
            }
        };
        &self.windows[index].1
    }

    /// Up to this many windows, a range's is looked for among all of them.
    const SCANNED: usize = 16;

    /// Whether the segmented window `w` serves `range` (whose own window would be
    /// `window`): it covers the range with `WINDOW / 2` bytes of context on each side,
    /// or as much as the range's own window has.
    fn fits(w: &Range<usize>, range: &Range<usize>, window: &Range<usize>) -> bool {
        (w.start <= range.start.saturating_sub(WINDOW / 2) || w.start == window.start)
            && (w.end >= range.end + WINDOW / 2 || w.end == window.end)
            && w.start <= range.start
            && w.end >= range.end
    }
}

/// The clause around `range`, clipped to `WINDOW` bytes on each side (on char boundaries).
fn window_around(text: &str, range: Range<usize>) -> Range<usize> {
    let mut start = range.start;
    for (i, c) in text[..range.start].char_indices().rev() {
        if is_clause_break(c) || range.start - i > WINDOW {
            break;
        }
        start = i;
    }
    let mut end = range.end;
    for (i, c) in text[range.end..].char_indices() {
        if is_clause_break(c) || i + c.len_utf8() > WINDOW {
            break;
        }
        end = range.end + i + c.len_utf8();
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aligned(segmenter: &Segmenter, text: &str, term: &str) -> bool {
        let at = text.find(term).expect("term in text");
        let mut cache = BoundaryCache::default();
        is_word_aligned(Some(segmenter), text, at..at + term.len(), &mut cache)
    }

    #[test]
    fn word_boundaries_follow_jieba() {
        let base = Arc::new(BaseWords::read(JIEBA_DICT, Check::Header).expect("reads"));
        let segmenter = Segmenter::with_base(base, ["最低价", "第一"]);
        assert!(aligned(&segmenter, "全网最低价，快来", "最低价"));
        assert!(!aligned(&segmenter, "我第一次来北京", "第一"));
        assert!(aligned(&segmenter, "销量第一的品牌", "第一"));
    }

    #[test]
    fn windows_found_by_start_are_those_the_first_search_found() {
        // Many queries (more than `SCANNED` windows) over a long text of clauses, in an
        // order that goes back and forth like the rules' candidates: each answer must be
        // the one the search over all windows, in the order they were made, gives.
        let base = Arc::new(BaseWords::read(JIEBA_DICT, Check::Header).expect("reads"));
        let segmenter = Segmenter::with_base(base, ["保本保息", "理财"]);
        let text = "保本保息理财产品，年化收益百分之八最低价第一次来北京。".repeat(40);
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let mut next = crate::testing::numbers(0x1234_5678_9abc_def1);
        let mut cache = BoundaryCache::default();
        let mut reference: Vec<(Range<usize>, Vec<usize>)> = Vec::new();
        for round in 0..3 {
            for _ in 0..400 {
                let from = next(bounds.len() - 4);
                let range = bounds[from]..bounds[from + 1 + next(3)];
                let window = window_around(&text, range.clone());
                let found = reference
                    .iter()
                    .position(|(w, _)| BoundaryCache::fits(w, &range, &window));
                let expected = match found {
                    Some(i) => reference[i].1.clone(),
                    None => {
                        let mut starts = Vec::new();
                        segmenter
                            .words
                            .token_starts(&text[window.clone()], &mut starts);
                        let mut starts: Vec<usize> =
                            starts.iter().map(|s| s + window.start).collect();
                        starts.push(window.end);
                        reference.push((window, starts.clone()));
                        starts
                    }
                };
                assert_eq!(
                    cache.window_for(&segmenter, &text, range.clone()),
                    expected,
                    "round {round}, {range:?}"
                );
            }
        }
        assert!(
            cache.windows.len() > BoundaryCache::SCANNED,
            "the index was used"
        );
        assert_eq!(cache.windows.len(), reference.len());
    }

    #[test]
    fn ascii_edges_need_no_segmenter() {
        let segmenter = Segmenter::with_base(Arc::default(), []);
        assert!(aligned(&segmenter, "加vx好友", "vx"));
        assert!(!aligned(&segmenter, "avxb", "vx"));
        assert!(aligned(&segmenter, "top1!", "top1"));
    }

    fn words_of(segmenter: &impl Segment, text: &str) -> Vec<String> {
        let mut starts = Vec::new();
        segmenter.token_starts(text, &mut starts);
        let ends = starts.iter().skip(1).copied().chain([text.len()]);
        starts
            .iter()
            .zip(ends)
            .map(|(&s, e)| text[s..e].to_owned())
            .collect()
    }

    /// jieba-rs with its own dictionary.
    fn jieba_full() -> &'static jieba_rs::Jieba {
        static JIEBA: std::sync::OnceLock<jieba_rs::Jieba> = std::sync::OnceLock::new();
        JIEBA.get_or_init(jieba_rs::Jieba::new)
    }

    /// The reduced and the full dictionary keep jieba's frequencies and total: every
    /// word (every 97th of the full one) is held, with its frequency (a word's suggested
    /// frequency is its own + 1, computed with the total), new words get the same
    /// suggested frequency, and sentences segment alike.
    /// (`wasm/bench/dict-diff.mjs` measures the reduced one's decisions at term edges
    /// on real text.)
    #[test]
    fn dictionaries_keep_jiebas_frequencies_and_total() {
        let full = jieba_full();
        for (dict, step) in [(BOUNDARY_DICT, 97), (JIEBA_DICT, 97)] {
            let lexicon = lexicon::Lexicon::from_boundary_dict(dict).expect("parses");
            for word in dict_words(dict).step_by(step) {
                assert!(lexicon.has_word(word), "{word}");
                assert_eq!(
                    full.suggest_freq(word),
                    lexicon.suggest_freq(word),
                    "{word}"
                );
            }
            for new_word in ["我们北京", "今天朋友圈"] {
                assert_eq!(full.suggest_freq(new_word), lexicon.suggest_freq(new_word));
            }
            for text in ["我们今天去北京", "欢迎大家来参加活动", "这是中国的首都"]
            {
                assert_eq!(words_of(full, text), words_of(&lexicon, text), "{text}");
            }
        }
    }

    /// The full dictionary holds exactly jieba-rs's words: as many, and each of them
    /// (jieba-rs's `has_word` on every one).
    #[test]
    fn full_dictionary_is_jiebas() {
        let full = jieba_full();
        let words: Vec<&str> = dict_words(JIEBA_DICT).collect();
        assert_eq!(words.len(), 349_045);
        for word in &words {
            assert!(full.has_word(word), "{word}");
        }
    }

    /// The `(word, frequency)` lines of a dictionary in the format of
    /// `data/boundary-dict.txt`.
    fn dict_entries(dict: &str) -> impl Iterator<Item = (&str, usize)> {
        dict.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (word, freq) = l.split_once(' ').expect("word frequency");
                (word, freq.parse().expect("frequency"))
            })
    }

    /// The words of a dictionary in the format of `data/boundary-dict.txt`.
    fn dict_words(dict: &str) -> impl Iterator<Item = &str> {
        dict_entries(dict).map(|(word, _)| word)
    }

    /// The `# total` of a dictionary in the format of `data/boundary-dict.txt`.
    fn dict_total(dict: &str) -> Option<usize> {
        dict.lines()
            .find_map(|l| l.strip_prefix("# total "))
            .map(|n| n.trim().parse().expect("total"))
    }

    /// jieba-rs over the reduced dictionary, the way the lexicon reads it: the
    /// frequency that `# total` has beyond the words' goes to a word that never occurs
    /// in a segmented run.
    fn jieba_over(dict: &str) -> jieba_rs::Jieba {
        let mut jieba = jieba_rs::Jieba::empty();
        let mut sum = 0;
        for (word, freq) in dict_entries(dict) {
            jieba.add_word(word, Some(freq), None);
            sum += freq;
        }
        let dropped = dict_total(dict).map_or(0, |total| total - sum);
        if dropped > 0 {
            jieba.add_word("\u{E000}", Some(dropped), None);
        }
        jieba
    }

    /// The reduced dictionary is recognised by its fingerprint, and nothing else:
    /// not the full one, nor the reduced one changed by a byte or cut short.
    #[test]
    fn only_the_reduced_dictionary_is_taken_unchecked() {
        assert_eq!(check_for(BOUNDARY_DICT), Check::Header);
        assert_eq!(check_for(JIEBA_DICT), Check::Lines);
        let mut changed = BOUNDARY_DICT.to_owned();
        changed.replace_range(changed.len() - 2..changed.len() - 1, "9");
        assert_ne!(changed, BOUNDARY_DICT);
        assert_eq!(check_for(&changed), Check::Lines);
        assert_eq!(
            check_for(&BOUNDARY_DICT[..BOUNDARY_DICT.len() - 1]),
            Check::Lines
        );
        assert_eq!(check_for(""), Check::Lines);
    }

    /// Both embedded dictionaries read line by line without an error (so the
    /// unchecked reading of the embedded one is sound), with a `# total` that is the
    /// sum of the frequencies of jieba's words, and index the same runs either way.
    #[test]
    fn embedded_dictionaries_check_line_by_line() {
        let full_total: usize = dict_entries(JIEBA_DICT).map(|(_, f)| f).sum();
        for dict in [JIEBA_DICT, BOUNDARY_DICT] {
            let checked = BaseWords::read(dict, Check::Lines).expect("every line reads");
            let unchecked = BaseWords::read(dict, Check::Header).expect("reads");
            assert_eq!(checked.summary(), unchecked.summary());
            assert_eq!(dict_total(dict), Some(full_total));
        }
    }

    /// The lexicon cuts exactly as jieba-rs does over the same words: the reduced and
    /// the full dictionary with the default packs' terms added (in the scanner's order,
    /// since each added term's frequency depends on those before it), on every example
    /// of the default packs, every window the engine could cut from them, and texts
    /// with ASCII runs, line breaks, CJK extensions and punctuation.
    #[test]
    fn lexicon_cuts_like_jieba() {
        let packs = crate::default_packs();
        let terms = crate::scanner::literal_words(&packs);
        assert!(terms.len() > 500, "{}", terms.len());
        let mut texts: Vec<String> = packs
            .iter()
            .flat_map(|p| p.def().rules.iter())
            .flat_map(|r| r.fires.iter().chain(&r.passes).cloned())
            .collect();
        texts.extend(
            [
                "加vx123好友，转发朋友圈送iPhone15 Pro！",
                "第一\r\n名 最佳C++和C#课程100%有效…",
                "㐀㐁𠀀𠀁中国，豈更車",
                "",
                "a-b_c.d%e&f#g+h",
                "中华人民共和国中央人民政府门户网站，全国人民代表大会常务委员会",
            ]
            .map(str::to_owned),
        );
        for (name, mut jieba, dict) in [
            ("reduced", jieba_over(BOUNDARY_DICT), BOUNDARY_DICT),
            ("full", jieba_rs::Jieba::new(), JIEBA_DICT),
        ] {
            let mut lexicon = lexicon::Lexicon::from_boundary_dict(dict).expect("parses");
            add_terms(&mut jieba, terms.iter().map(String::as_str));
            add_terms(&mut lexicon, terms.iter().map(String::as_str));
            for term in &terms {
                assert_eq!(
                    jieba.suggest_freq(term),
                    lexicon.suggest_freq(term),
                    "{name}: {term}"
                );
            }
            let mut compared = 0;
            for text in &texts {
                assert_eq!(
                    words_of(&jieba, text),
                    words_of(&lexicon, text),
                    "{name}: {text}"
                );
                // Windows starting and ending at every third character boundary.
                let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(3).collect();
                for &a in &bounds {
                    for &b in bounds.iter().filter(|&&b| b > a) {
                        let window = &text[a..b];
                        assert_eq!(
                            words_of(&jieba, window),
                            words_of(&lexicon, window),
                            "{name}: {window}"
                        );
                        compared += 1;
                    }
                }
            }
            assert!(compared > 1000, "{compared}");
        }
        // Equal routes: both keep the longer first word.
        let dict = "丙 10\n乙丙 10\n甲 10\n甲乙 10\n";
        let tie = lexicon::Lexicon::from_boundary_dict(dict).expect("parses");
        assert_eq!(
            words_of(&jieba_over(dict), "甲乙丙"),
            words_of(&tie, "甲乙丙")
        );
    }

    /// jieba-rs and the lexicon over the same dictionary with the default packs' terms,
    /// and the pieces of generated texts (loaded once for the properties below).
    struct Both {
        jieba: jieba_rs::Jieba,
        lexicon: lexicon::Lexicon,
        pieces: Vec<String>,
    }

    fn both_segmenters(jieba: jieba_rs::Jieba, dict: &'static str) -> Both {
        let terms = crate::scanner::literal_words(&crate::default_packs());
        let mut jieba = jieba;
        let mut lexicon = lexicon::Lexicon::from_boundary_dict(dict).expect("parses");
        add_terms(&mut jieba, terms.iter().map(String::as_str));
        add_terms(&mut lexicon, terms.iter().map(String::as_str));
        // Pieces of generated texts: dictionary words (long ones included), pack terms,
        // and characters that split runs or join into ASCII tokens.
        let words = || dict_words(dict);
        let mut pieces: Vec<String> = words().step_by(37).map(str::to_owned).collect();
        pieces.extend(
            words()
                .filter(|w| w.chars().count() > 4)
                .step_by(7)
                .map(str::to_owned),
        );
        pieces.extend(terms.iter().cloned());
        pieces.extend(
            [
                "a", "Z", "7", "+", "#", ".", "-", "_", "%", "&", " ", "，", "！", "\r", "\n",
                "㐀", "𠀀", "豈", "の",
            ]
            .map(str::to_owned),
        );
        Both {
            jieba,
            lexicon,
            pieces,
        }
    }

    fn reduced_segmenters() -> &'static Both {
        static BOTH: std::sync::OnceLock<Both> = std::sync::OnceLock::new();
        BOTH.get_or_init(|| both_segmenters(jieba_over(BOUNDARY_DICT), BOUNDARY_DICT))
    }

    fn full_segmenters() -> &'static Both {
        static BOTH: std::sync::OnceLock<Both> = std::sync::OnceLock::new();
        BOTH.get_or_init(|| both_segmenters(jieba_rs::Jieba::new(), JIEBA_DICT))
    }

    fn cut_alike(
        both: &Both,
        picks: &[proptest::sample::Index],
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let text: String = picks.iter().map(|i| i.get(&both.pieces).as_str()).collect();
        proptest::prop_assert_eq!(
            words_of(&both.jieba, &text),
            words_of(&both.lexicon, &text),
            "{:?}",
            text
        );
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// On texts made of dictionary words, pack terms and run-splitting characters,
        /// the lexicon over the reduced dictionary cuts exactly where jieba-rs does.
        #[test]
        fn lexicon_cuts_generated_texts_like_jieba(picks in proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 0..16)) {
            cut_alike(reduced_segmenters(), &picks)?;
        }

        /// The same over jieba's full dictionary, against jieba-rs with its own.
        #[test]
        fn lexicon_cuts_generated_texts_like_jieba_full(picks in proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 0..16)) {
            cut_alike(full_segmenters(), &picks)?;
        }
    }

    #[test]
    fn windows_stay_inside_the_clause() {
        let text = "前面的话，全网最低价！后面";
        let at = text.find("最低").expect("present");
        let window = window_around(text, at..at + "最低".len());
        assert_eq!(&text[window], "全网最低价");
    }
}
