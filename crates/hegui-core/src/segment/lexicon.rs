//! jieba's segmentation without its HMM, over a word list held in a hash map.
//!
//! The engine only asks where jieba's `cut(text, false)` starts its tokens in a small
//! window around a candidate. jieba answers with the path through the window's
//! dictionary words that maximises the product of `freq / total`; this module computes
//! the same path with the same floating-point operations in the same order, so the
//! boundaries are the same (the tests of `segment` compare the two on the packs'
//! examples, on every window of them and on generated texts). What it leaves out is
//! what the engine never uses: the HMM and its tables (half a megabyte of a
//! WebAssembly module), part-of-speech tags, the other cutting modes, and a trie whose
//! build was most of a scanner's build time (jieba-rs's `Jieba::new`, 75–95 ms here;
//! the first scanner build of a process, which reads the same 349,045 words into a
//! hash map, takes about 30 ms — 27–33 ms in the measurements of `docs/performance.md` —
//! and later builds reuse them).
//!
//! A dictionary is read once into [`BaseWords`] and shared by the scanners built from
//! it; each scanner's [`Lexicon`] holds the pack terms it adds beside it.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use rustc_hash::FxHasher;

use crate::chars::{char_count, char_start};

type FxBuild = BuildHasherDefault<FxHasher>;

/// Words up to this many characters are looked up whatever follows them; a longer one
/// only where its first `SHORT` characters start a longer word (99 % of jieba's words
/// have at most four characters; the longest has sixteen).
const SHORT: usize = 4;

/// The longest words of a word list, for the lookups to skip.
#[derive(Debug, Default)]
struct Lengths {
    /// Length in characters of the longest word.
    max_chars: usize,
    /// The first [`SHORT`] characters of every word longer than that.
    long_starts: HashSet<Box<str>, FxBuild>,
}

impl Lengths {
    fn add(&mut self, word: &str) {
        // A word has no more characters than bytes: only a word longer in bytes than
        // the longest so far is counted (a few hundred of jieba's 349,045).
        if word.len() > self.max_chars {
            self.max_chars = self.max_chars.max(char_count(word));
        }
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

/// A dictionary's words with their frequencies.
#[derive(Debug, Default)]
pub(crate) struct BaseWords {
    freqs: HashMap<&'static str, usize, FxBuild>,
    /// The sum of all frequencies, including those of words not held (see
    /// [`BaseWords::parse`]).
    total: usize,
    /// Its longest words.
    lengths: Lengths,
}

impl BaseWords {
    /// The dictionary format of `data/jieba-dict.txt` and `data/boundary-dict.txt`: `#`
    /// comment lines, one of them `# dropped N` (the total frequency of the entries a
    /// reduced dictionary leaves out); `=F` lines set the frequency of the words on the
    /// lines after them.
    ///
    /// Word probabilities are `freq / total`, so the dropped frequency counts in the
    /// total: the score of every path made of kept words stays as with the full
    /// dictionary. (jieba-rs, which has no such total, is given it as the frequency of a
    /// word that never occurs in a segmented run.)
    ///
    /// A number that does not parse, a word before the first `=F` line or a word with
    /// white space is an error naming the line (from 1).
    pub(crate) fn parse(dict: &'static str) -> Result<BaseWords, (usize, String)> {
        let mut base = BaseWords::default();
        base.freqs.reserve(dict.len() / 10);
        let mut freq = None;
        // Lines as `str::lines` gives them, found with a plain byte loop: the lines are a
        // few bytes long, and a searcher's set-up per line cost more than the search.
        let mut rest = dict;
        let lines = std::iter::from_fn(|| {
            if rest.is_empty() {
                return None;
            }
            let end = rest.bytes().position(|b| b == b'\n');
            let (line, next) = match end {
                Some(end) => (&rest[..end], &rest[end + 1..]),
                None => (rest, ""),
            };
            rest = next;
            Some(line.strip_suffix('\r').unwrap_or(line))
        });
        for (index, line) in lines.enumerate() {
            let number = |text: &str| {
                text.trim()
                    .parse::<usize>()
                    .map_err(|e| (index + 1, format!("`{}`: {e}", text.trim())))
            };
            if let Some(comment) = line.strip_prefix('#') {
                if let Some(n) = comment.trim().strip_prefix("dropped ") {
                    base.total += number(n)?;
                }
            } else if let Some(f) = line.strip_prefix('=') {
                freq = Some(number(f)?);
            } else if !line.is_empty() {
                let Some(freq) = freq else {
                    return Err((
                        index + 1,
                        "a word before the first `=frequency` line".into(),
                    ));
                };
                if has_white_space(line) {
                    return Err((index + 1, format!("`{line}`: white space in a word")));
                }
                if let Some(old) = base.freqs.insert(line, freq) {
                    base.total -= old;
                }
                base.total += freq;
                base.lengths.add(line);
            }
        }
        Ok(base)
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
    /// The longest of the added words (the base's are in `base`).
    added_lengths: Lengths,
    /// Length in characters of the longest word, base or added.
    max_chars: usize,
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
            max_chars: base.lengths.max_chars,
            added: HashMap::default(),
            base,
        }
    }

    /// The lexicon of a dictionary text (see [`BaseWords::parse`]).
    #[cfg(test)]
    pub(crate) fn from_boundary_dict(dict: &'static str) -> Result<Lexicon, (usize, String)> {
        Ok(Lexicon::new(Arc::new(BaseWords::parse(dict)?)))
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
        self.max_chars = self.max_chars.max(self.added_lengths.max_chars);
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
        self.base.freqs.get(word).copied()
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
        for idx in (0..n).rev() {
            let mut best: Option<(f64, usize)> = None;
            let mut longest = n.min(idx + self.max_chars);
            if longest > idx + SHORT {
                let start = &text[byte_at(idx)..byte_at(idx + SHORT)];
                if !self.base.lengths.long_starts.contains(start)
                    && !self.added_lengths.long_starts.contains(start)
                {
                    longest = idx + SHORT;
                }
            }
            for end in idx + 1..=longest {
                let Some(freq) = self.freq(&text[byte_at(idx)..byte_at(end)]) else {
                    continue;
                };
                let prob = (freq as f64).ln() - logtotal + route[end].0;
                match best {
                    Some((p, e)) if !(prob > p || (prob == p && end > e)) => {}
                    _ => best = Some((prob, end)),
                }
            }
            route[idx] = best.unwrap_or((log1 + route[idx + 1].0, idx + 1));
        }
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
    fn header_groups_and_total() {
        let lexicon =
            Lexicon::from_boundary_dict("# comment\n# dropped 90\n=5\n第一名\n=10\n我们\n")
                .expect("parses");
        assert!(lexicon.has_word("第一名") && lexicon.has_word("我们"));
        assert!(!lexicon.has_word("第一"));
        // The dropped 90 count in the total: a new word's suggested frequency,
        // (5 · 10) / total + 1, is 1 with them and 4 without.
        let without = Lexicon::from_boundary_dict("=5\n第一名\n=10\n我们\n").expect("parses");
        assert_eq!(lexicon.suggest_freq("第一名我们"), 1);
        assert_eq!(without.suggest_freq("第一名我们"), 4);
    }

    #[test]
    fn bad_lines_are_errors_with_their_number() {
        let err = |dict| Lexicon::from_boundary_dict(dict).expect_err("bad dictionary");
        assert_eq!(err("=5\n我们\n=x\n").0, 3);
        assert_eq!(err("# dropped -1\n").0, 1);
        assert_eq!(err("# c\n我们\n").0, 2);
        assert_eq!(err("=5\n我 们\n").0, 2);
    }

    #[test]
    fn lines_end_as_str_lines_end_them() {
        // CRLF, an empty line, no newline at the end; a blank last line.
        let lexicon = Lexicon::from_boundary_dict("=5\r\n我们\r\n\n北京").expect("parses");
        assert!(lexicon.has_word("我们") && lexicon.has_word("北京"));
        assert!(Lexicon::from_boundary_dict("=5\n我们\n\n").is_ok());
        // The line numbers of errors count the empty lines.
        assert_eq!(
            Lexicon::from_boundary_dict("\n\n=5\n\n我 们\n")
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
            let dict = format!("=5\n{word}\n").leak();
            assert!(
                c == '\n' || Lexicon::from_boundary_dict(dict).is_err(),
                "{:?}",
                c
            );
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
        let lexicon = Lexicon::from_boundary_dict("=50\n我们\n北京\n=1\n我\n们\n").expect("parses");
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
        let lexicon = Lexicon::from_boundary_dict("=10\n甲\n甲乙\n乙丙\n丙\n").expect("parses");
        assert_eq!(words(&lexicon, "甲乙丙"), ["甲乙", "丙"]);
    }

    #[test]
    fn added_words_become_tokens() {
        let mut lexicon = Lexicon::from_boundary_dict("=50\n我们\n北京\n").expect("parses");
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
