//! Word-boundary decisions with jieba, made only around candidate matches.
//!
//! Segmenting whole messages is the slowest step of a naive pipeline; here jieba runs
//! only on the clause around a candidate, clipped to a few dozen bytes each side, and
//! windows are reused for nearby candidates within one scan.

use std::ops::Range;

use jieba_rs::Jieba;

use crate::chars::{is_clause_break, is_han};

/// Bytes of context on each side of a candidate given to jieba. Measured: windows of
/// ±24 bytes agree with segmenting the whole message on real text.
const WINDOW: usize = 24;

/// jieba with every pack term added to its dictionary.
pub(crate) struct Segmenter {
    jieba: Jieba,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Segmenter")
    }
}

impl Segmenter {
    /// A segmenter whose dictionary also holds `words` (the packs' normalised terms).
    #[cfg(test)]
    pub(crate) fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        Segmenter::with_base(base_jieba(), words)
    }

    /// `jieba` (from [`base_jieba`]) with `words` added.
    pub(crate) fn with_base<'a>(
        mut jieba: Jieba,
        words: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        for word in words {
            if word.chars().count() > 1 && word.chars().any(is_han) {
                jieba.add_word(word, None, None);
            }
        }
        Segmenter { jieba }
    }
}

/// jieba with the dictionary this build embeds (loading it is most of a scanner's
/// build time).
#[cfg(feature = "default-dict")]
pub(crate) fn base_jieba() -> Jieba {
    Jieba::new()
}

#[cfg(all(feature = "boundary-dict", not(feature = "default-dict")))]
pub(crate) fn base_jieba() -> Jieba {
    boundary_dict::jieba(BOUNDARY_DICT)
}

#[cfg(not(any(feature = "default-dict", feature = "boundary-dict")))]
pub(crate) fn base_jieba() -> Jieba {
    Jieba::empty()
}

/// The reduced dictionary of the `boundary-dict` feature, generated from jieba's by
/// `wasm/dict/generate.sh` (which says what it keeps and why).
#[cfg(any(test, all(feature = "boundary-dict", not(feature = "default-dict"))))]
const BOUNDARY_DICT: &str = include_str!("../data/boundary-dict.txt");

/// Loading the reduced dictionary so that segmentation matches the full one wherever
/// the dropped words do not occur.
#[cfg(any(test, all(feature = "boundary-dict", not(feature = "default-dict"))))]
mod boundary_dict {
    use jieba_rs::Jieba;

    /// A word that never occurs in a segmented block (jieba only cuts runs of Han,
    /// ASCII alphanumerics and `+#&._%-`): it carries the frequency of the dropped words.
    const SENTINEL: &str = "\u{E000}";

    /// jieba over `dict`: `#` comment lines, one of them `# dropped N` (the total
    /// frequency of the entries left out); `=F` lines set the frequency of the words on
    /// the lines after them. Word probabilities are `freq / total`, so the dropped
    /// frequency goes to the sentinel: `total`, and so the score of every path made of
    /// kept words, stays as with the full dictionary.
    pub(super) fn jieba(dict: &str) -> Jieba {
        let mut jieba = Jieba::empty();
        let mut freq = 0;
        for line in dict.lines() {
            if let Some(comment) = line.strip_prefix('#') {
                if let Some(n) = comment.trim().strip_prefix("dropped ") {
                    jieba.add_word(SENTINEL, Some(n.trim().parse().unwrap_or(0)), None);
                }
            } else if let Some(f) = line.strip_prefix('=') {
                freq = f.trim().parse().unwrap_or(0);
            } else if !line.is_empty() {
                jieba.add_word(line, Some(freq), None);
            }
        }
        jieba
    }
}

/// Segmented windows of one scan, reused by nearby candidates.
#[derive(Debug, Default)]
pub(crate) struct BoundaryCache {
    windows: Vec<(Range<usize>, Vec<usize>)>,
}

/// Whether a match at `range` of `text` starts and ends on word boundaries.
///
/// An edge next to a non-word character (punctuation, space, start of text) is a
/// boundary. An edge between two ASCII letters or digits is not. An edge between two
/// Chinese characters is decided by jieba on a window around the match.
pub(crate) fn is_word_aligned(
    segmenter: Option<&Segmenter>,
    text: &str,
    range: Range<usize>,
    cache: &mut BoundaryCache,
) -> bool {
    let needs_jieba = |at: usize| -> Option<bool> {
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
    let start = needs_jieba(range.start);
    let end = needs_jieba(range.end);
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
        let reuse = self.windows.iter().position(|(w, _)| {
            (w.start <= range.start.saturating_sub(WINDOW / 2) || w.start == window.start)
                && (w.end >= range.end + WINDOW / 2 || w.end == window.end)
                && w.start <= range.start
                && w.end >= range.end
        });
        let index = match reuse {
            Some(i) => i,
            None => {
                let mut boundaries = Vec::new();
                let slice = &text[window.clone()];
                for token in segmenter.jieba.cut(slice, false) {
                    boundaries.push(window.start + token.byte_start);
                }
                boundaries.push(window.end);
                self.windows.push((window, boundaries));
                self.windows.len() - 1
            }
        };
        &self.windows[index].1
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
    #[cfg(feature = "default-dict")]
    fn word_boundaries_follow_jieba() {
        let segmenter = Segmenter::new(["最低价", "第一"]);
        assert!(aligned(&segmenter, "全网最低价，快来", "最低价"));
        assert!(!aligned(&segmenter, "我第一次来北京", "第一"));
        assert!(aligned(&segmenter, "销量第一的品牌", "第一"));
    }

    #[test]
    fn ascii_edges_need_no_jieba() {
        let segmenter = Segmenter {
            jieba: Jieba::empty(),
        };
        assert!(aligned(&segmenter, "加vx好友", "vx"));
        assert!(!aligned(&segmenter, "avxb", "vx"));
        assert!(aligned(&segmenter, "top1!", "top1"));
    }

    /// The reduced dictionary keeps the full one's frequencies and, through the
    /// sentinel, its total: sentences of kept words segment alike, and new words get the
    /// same suggested frequency. (`wasm/bench/dict-diff.mjs` measures the decisions at
    /// term edges on real text.)
    #[test]
    #[cfg(feature = "default-dict")]
    fn boundary_dict_keeps_frequencies_and_total() {
        let full = Segmenter::new([]);
        let reduced = Segmenter::with_base(boundary_dict::jieba(BOUNDARY_DICT), []);
        let words = BOUNDARY_DICT
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with('='));
        for word in words.step_by(97) {
            assert!(reduced.jieba.has_word(word), "{word}");
            // For a word of the dictionary: its frequency + 1, computed with the total.
            assert_eq!(
                full.jieba.suggest_freq(word),
                reduced.jieba.suggest_freq(word),
                "{word}"
            );
        }
        for new_word in ["我们北京", "今天朋友圈"] {
            assert_eq!(
                full.jieba.suggest_freq(new_word),
                reduced.jieba.suggest_freq(new_word)
            );
        }
        for text in ["我们今天去北京", "欢迎大家来参加活动", "这是中国的首都"]
        {
            let words = |s: &Segmenter| -> Vec<String> {
                s.jieba
                    .cut(text, false)
                    .iter()
                    .map(|t| t.word.to_string())
                    .collect()
            };
            assert_eq!(words(&full), words(&reduced), "{text}");
        }
    }

    #[test]
    fn boundary_dict_header_and_groups() {
        let jieba = boundary_dict::jieba("# comment\n# dropped 90\n=5\n第一名\n=10\n我们\n");
        assert!(jieba.has_word("第一名") && jieba.has_word("我们"));
        assert!(!jieba.has_word("第一"));
        // The sentinel's 90 counts in the total: a new word's suggested frequency,
        // (5 · 10) / total + 1, is 1 with it and 4 without.
        let sentinel_free = boundary_dict::jieba("=5\n第一名\n=10\n我们\n");
        assert_eq!(jieba.suggest_freq("第一名我们"), 1);
        assert_eq!(sentinel_free.suggest_freq("第一名我们"), 4);
    }

    #[test]
    fn windows_stay_inside_the_clause() {
        let text = "前面的话，全网最低价！后面";
        let at = text.find("最低").expect("present");
        let window = window_around(text, at..at + "最低".len());
        assert_eq!(&text[window], "全网最低价");
    }
}
