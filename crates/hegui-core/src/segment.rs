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
    pub(crate) fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut jieba = base_jieba();
        for word in words {
            if word.chars().count() > 1 && word.chars().any(is_han) {
                jieba.add_word(word, None, None);
            }
        }
        Segmenter { jieba }
    }
}

#[cfg(feature = "default-dict")]
fn base_jieba() -> Jieba {
    Jieba::new()
}

#[cfg(not(feature = "default-dict"))]
fn base_jieba() -> Jieba {
    Jieba::empty()
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

    #[test]
    fn windows_stay_inside_the_clause() {
        let text = "前面的话，全网最低价！后面";
        let at = text.find("最低").expect("present");
        let window = window_around(text, at..at + "最低".len());
        assert_eq!(&text[window], "全网最低价");
    }
}
