//! Character classes for link extraction: every character of the input
//! becomes a [`Cell`] holding its byte range, the ASCII character it stands
//! for (full-width letters and look-alike dots are folded) and its class.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::extract::Obfuscation;

/// What role a character can play inside a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// ASCII letter, digit, `-` or `_` (possibly folded from full width).
    Word,
    /// A non-ASCII letter that is not CJK (Cyrillic, Greek, accented Latin…).
    Letter,
    /// A CJK ideograph or kana/hangul letter.
    Cjk,
    /// A dot: `.` or one of the disguised dots (`点`, `。`, `．`, `｡`).
    Dot,
    /// Other printable ASCII (`/`, `?`, `:`, `@`, `%`…).
    Punct,
    /// Whitespace (ASCII, no-break and ideographic spaces).
    Space,
    /// Zero-width characters that are invisible inside a host.
    ZeroWidth,
    /// Anything else: CJK punctuation, symbols, controls. Ends a link.
    Stop,
}

/// One character of the input text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The character with full-width forms folded and dots mapped to `.`.
    pub(crate) ch: char,
    pub(crate) class: Class,
    /// The disguise this character represents, if any.
    pub(crate) trick: Option<Obfuscation>,
}

/// Splits `text` into cells.
pub(crate) fn cells(text: &str) -> Vec<Cell> {
    text.char_indices()
        .map(|(start, c)| {
            let (ch, class, trick) = classify(c);
            Cell {
                start,
                end: start + c.len_utf8(),
                ch,
                class,
                trick,
            }
        })
        .collect()
}

/// The characters beyond ASCII that [`classify`] reads as `.` (the disguised dots),
/// `:` or `[`: with `.`, `:` and `[` themselves, the cues of [`may_contain_link`].
const WIDE_CUES: [char; 7] = ['。', '｡', '．', '点', '點', '：', '［'];

/// Cheap pre-filter: can `text` contain a link at all?
///
/// A necessary condition for the extractor to find a link, read off how it reads one:
/// - a link with a scheme has `://` (`:` or `：`, then two `/` or `／`);
/// - a bracketed IPv6 host starts with `[` (or `［`) and has two ASCII `:` at least;
/// - any other host has at least two labels, so a dot (`.` or a disguised one) with a
///   label character (letter, digit, `-`, `_` or CJK) before it and, after it, the
///   start of a top-level domain: a non-CJK letter (ASCII or full width), or a CJK
///   suffix the extractor accepts after a plain `.` — each side across at most two
///   spaces and any zero-width characters;
/// - or the last dot of a plain dotted quad (`1.2.3.4`): ASCII digits and dots only,
///   since the extractor reads no disguised IPv4 host, and no top-level domain starts
///   with a digit.
///
/// Chinese prose is full of `。`, `点`, `10:00` and `3.5折` (`1．5万` in news text);
/// this check lets almost all of it skip extraction (which classifies every
/// character). It looks for the ASCII cues and for the [wide ones](WIDE_CUES) with a
/// SIMD search each: cheaper than decoding every character.
pub(crate) fn may_contain_link(text: &str) -> bool {
    // The wide cues (all three bytes long) in one search: SIMD (Teddy) where the target
    // has it — most of Chinese text is a few `。` — else an automaton (WebAssembly).
    static WIDE: LazyLock<WideCues> = LazyLock::new(|| WideCues::new(true));
    let bytes = text.as_bytes();
    let starts_link = |at: usize, len: usize| {
        !fails_at_once(&bytes[at..at + len], &bytes[at + len..]) && cue_starts_link(text, at, len)
    };
    let wide = |cue: aho_corasick::Match| starts_link(cue.start(), cue.len());
    memchr::memchr3_iter(b'.', b':', b'[', bytes).any(|at| starts_link(at, 1))
        || match &*WIDE {
            WideCues::Simd(searcher) => searcher.find_iter(bytes).any(wide),
            WideCues::Automaton(automaton) => automaton.find_iter(bytes).any(wide),
        }
}

/// Whether a link can be at the cue of [`may_contain_link`] that is `len` bytes at byte
/// `at` of `text` (the full check, after [`fails_at_once`]).
fn cue_starts_link(text: &str, at: usize, len: usize) -> bool {
    let (before, rest) = (&text[..at], &text[at + len..]);
    match text[at..].chars().next().map(|cue| classify(cue).0) {
        // After a dot comes a top-level domain rarely: what follows is tested before
        // what precedes. A disguised dot makes the extractor read the host strictly:
        // only ASCII top-level domains then.
        Some('.') => match starts_label(rest, len == 1) {
            // A disguised dot makes the extractor take the top-level domain from
            // its short lists (`。S。`, `。Life` in prose are no host).
            Some(Label::Name) if len > 1 && !starts_listed_tld(rest) => false,
            Some(Label::Name | Label::Cjk) => ends_label(before),
            Some(Label::Number) => ends_dotted_quad(&text[..at + len]),
            None => false,
        },
        Some(':') => {
            let mut next = rest.chars().map(|c| classify(c).0);
            next.next() == Some('/') && next.next() == Some('/')
        }
        // `[`: an IPv6 host, plain ASCII hex digits, `:` and `.` with two colons at
        // least, as the extractor reads it. (Counting the colons of the whole rest of
        // the text took time quadratic in a text of many `[`.)
        _ => rest
            .bytes()
            .take_while(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
            .filter(|&b| b == b':')
            .nth(1)
            .is_some(),
    }
}

/// Whether the bytes right after a cue of [`may_contain_link`] (`cue`: `.`, `:`, `[` or
/// one of the [wide cues](WIDE_CUES)) rule a link out there before any character is
/// decoded: after a colon of either width only `/` or `／` can begin the `//` of a
/// scheme; after a disguised dot no top-level domain begins with the end of the text,
/// an ASCII digit or punctuation (a digit only ends a plain dotted quad), or a character
/// of the main CJK block (`中` or `点`: the extractor takes a CJK suffix after a plain
/// `.` only). Most cues of Chinese text are a `。` before the next sentence or the
/// colon of a time; the others go on to the full check.
fn fails_at_once(cue: &[u8], rest: &[u8]) -> bool {
    match cue {
        b":" | [0xEF, 0xBC, 0x9A] => !(rest.starts_with(b"/") || rest.starts_with("／".as_bytes())),
        b"." | b"[" | [0xEF, 0xBC, 0xBB] => false,
        // A disguised dot.
        _ => match rest {
            [] => true,
            [byte, ..] if byte.is_ascii() => byte.is_ascii_digit() || byte.is_ascii_punctuation(),
            // U+5000–U+9FFF, and U+4E00–U+4FFF.
            [0xE5..=0xE9, ..] | [0xE4, 0xB8..=0xBF, ..] => true,
            _ => false,
        },
    }
}

/// Whether the ASCII character `byte` is link-inert (see [`is_link_inert`]): anything
/// but a letter, `.` and `[`. A `const fn`, for tables made at compile time.
#[must_use]
pub const fn is_link_inert_ascii(byte: u8) -> bool {
    !(byte.is_ascii_alphabetic() || byte == b'.' || byte == b'[')
}

/// Whether `c` takes no part in any link on its own: a text made only of such
/// characters holds none (the extractor finds nothing there).
///
/// Every link the extractor reads has a letter that is not CJK (its scheme or its
/// top-level domain, in any width or script), an ASCII `.` (a dotted quad, or a CJK
/// top-level domain, which only a plain `.` introduces) or a `[` of either width (an
/// IPv6 host). Everything else is inert: CJK characters, digits, the disguised dots
/// (after one, only a letter begins a top-level domain), colons, slashes, spaces,
/// zero-width characters, punctuation and symbols. A scanner that reads every character
/// of a text anyway can skip the link checks of a text made of them: most Chinese prose
/// is, prices, dates and times included.
///
/// ```
/// assert!("促销活动，欢迎参加。详情点击查看！".chars().all(hegui_url::is_link_inert));
/// assert!("满100减20(限3天)，时间：10:00—12:00".chars().all(hegui_url::is_link_inert));
/// assert!(!"详情点example。com".chars().all(hegui_url::is_link_inert));
/// assert!(!hegui_url::is_link_inert('.'));
/// assert!(!hegui_url::is_link_inert('［'));
/// assert!(!hegui_url::is_link_inert('ｗ'));
/// ```
#[must_use]
pub fn is_link_inert(c: char) -> bool {
    if c.is_ascii() {
        return is_link_inert_ascii(c as u8);
    }
    match classify(c) {
        // Full-width letters fold to ASCII ones; full-width digits and `-` are inert.
        (folded, Class::Word, _) => !folded.is_ascii_alphabetic(),
        (_, Class::Letter, _) => false,
        (folded, Class::Stop, _) => folded != '[',
        (_, Class::Cjk | Class::Dot | Class::Punct | Class::Space | Class::ZeroWidth, _) => true,
    }
}

/// A search for the [wide cues](WIDE_CUES) of [`may_contain_link`].
enum WideCues {
    Simd(aho_corasick::packed::Searcher),
    Automaton(AhoCorasick),
}

impl WideCues {
    /// The SIMD search if `simd` and the target has one, else the automaton.
    fn new(simd: bool) -> WideCues {
        let cues = WIDE_CUES.map(String::from);
        let searcher = simd
            .then(|| {
                aho_corasick::packed::Config::new()
                    .builder()
                    .extend(&cues)
                    .build()
            })
            .flatten();
        match searcher {
            Some(searcher) => WideCues::Simd(searcher),
            // A DFA without prefilter: the cues' first bytes lead most Chinese
            // characters, so a prefilter stops at nearly every character.
            None => WideCues::Automaton(
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .prefilter(false)
                    .build(&cues)
                    .expect("seven literals"),
            ),
        }
    }

    #[cfg(test)]
    fn find(&self, bytes: &[u8]) -> Vec<(usize, usize)> {
        let span = |m: aho_corasick::Match| (m.start(), m.end());
        match self {
            WideCues::Simd(searcher) => searcher.find_iter(bytes).map(span).collect(),
            WideCues::Automaton(automaton) => automaton.find_iter(bytes).map(span).collect(),
        }
    }
}

/// The first of `chars` after at most two spaces and any zero-width characters (what
/// the host reader skips around a dot), as its offset, the character it stands for and
/// its class.
fn after_filler(chars: impl Iterator<Item = (usize, char)>) -> Option<(usize, char, Class)> {
    let mut spaces = 0;
    for (at, c) in chars {
        let (ch, class, _) = classify(c);
        match class {
            Class::ZeroWidth => {}
            Class::Space if spaces < 2 => spaces += 1,
            _ => return Some((at, ch, class)),
        }
    }
    None
}

/// Whether the label that `rest` (the text after a disguised dot) starts, after the
/// filler that [`after_filler`] skips, can begin with a top-level domain that the
/// extractor accepts for a disguised host: one of
/// [`DISGUISE_TLDS`](crate::hostscan::DISGUISE_TLDS) (the spaced list is part of it),
/// written in letters of either width and case, with zero-width characters anywhere.
/// The domain may be only the beginning of the label (the extractor cuts a label with
/// CJK characters), so each beginning is tried. A letter beyond ASCII is left to the
/// extractor (case folding can make ASCII of it).
fn starts_listed_tld(rest: &str) -> bool {
    let Some((at, _, _)) = after_filler(rest.char_indices()) else {
        return false;
    };
    let mut written = [0u8; crate::hostscan::LISTED_CHARS];
    let mut len = 0;
    for c in rest[at..].chars() {
        match classify(c) {
            (_, Class::ZeroWidth, _) => continue,
            (ch, Class::Word, _) if ch.is_ascii_alphabetic() => {
                let Some(slot) = written.get_mut(len) else {
                    return false; // longer than any listed name
                };
                *slot = ch.to_ascii_lowercase() as u8;
                len += 1;
                if crate::hostscan::is_disguise_tld(&written[..len]) {
                    return true;
                }
            }
            (_, Class::Letter, _) => return true,
            _ => return false,
        }
    }
    false
}

/// Whether `before` (the text before a dot) can end a host label.
fn ends_label(before: &str) -> bool {
    matches!(
        after_filler(before.char_indices().rev()),
        Some((_, _, Class::Word | Class::Letter | Class::Cjk))
    )
}

/// What can follow the last dot of a host (see [`starts_label`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    /// A top-level domain.
    Name,
    /// A CJK top-level domain (`中国`), which the extractor reads after a plain `.` only.
    Cjk,
    /// The last number of a dotted quad, if the text before is one.
    Number,
}

/// What `rest` (the text after a dot) can start as the last label of a host, if
/// anything: a top-level domain starts with a letter or, if `cjk_tld` (the dot is a
/// plain `.`), is a CJK suffix the extractor accepts; an ASCII digit right after the dot
/// can only end an IPv4 host.
fn starts_label(rest: &str, cjk_tld: bool) -> Option<Label> {
    match after_filler(rest.char_indices()) {
        Some((at, ch, Class::Word | Class::Letter)) if ch.is_ascii_digit() => {
            (at == 0 && rest.starts_with(|c: char| c.is_ascii_digit())).then_some(Label::Number)
        }
        Some((_, ch, Class::Word | Class::Letter)) => ch.is_alphanumeric().then_some(Label::Name),
        Some((at, _, Class::Cjk)) if cjk_tld => crate::hostscan::CJK_BARE_TLDS
            .iter()
            .any(|tld| rest[at..].starts_with(tld))
            .then_some(Label::Cjk),
        _ => None,
    }
}

/// Whether `head` (the text up to and including a dot) can end with the first three
/// numbers of a dotted quad, `1.2.3.` in ASCII: two numbers of one to
/// [`OCTET_DIGITS`](crate::hostscan::OCTET_DIGITS) digits between the dots, and a digit
/// before the first (the extractor tries every start). Read back from the end, a few
/// bytes at most: splitting the head at its dots read back to the dot before, across
/// the whole text before a decimal such as `3.5` of a long message.
fn ends_dotted_quad(head: &str) -> bool {
    let Some(mut rest) = head.as_bytes().strip_suffix(b".") else {
        return false;
    };
    for _ in 0..2 {
        let digits = rest
            .iter()
            .rev()
            .take(crate::hostscan::OCTET_DIGITS + 1)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=crate::hostscan::OCTET_DIGITS).contains(&digits) {
            return false;
        }
        let Some(before) = rest[..rest.len() - digits].strip_suffix(b".") else {
            return false;
        };
        rest = before;
    }
    rest.last().is_some_and(u8::is_ascii_digit)
}

fn classify(c: char) -> (char, Class, Option<Obfuscation>) {
    if c.is_ascii() {
        return (c, ascii_class(c), None);
    }
    match c {
        '点' | '點' => ('.', Class::Dot, Some(Obfuscation::DotWord)),
        '。' | '｡' => ('.', Class::Dot, Some(Obfuscation::IdeographicDot)),
        '．' => ('.', Class::Dot, Some(Obfuscation::FullWidthDot)),
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
            (c, Class::ZeroWidth, Some(Obfuscation::ZeroWidth))
        }
        '\u{FF01}'..='\u{FF5E}' => full_width(c),
        _ if c.is_whitespace() => (' ', Class::Space, None),
        _ if is_cjk(c) => (c, Class::Cjk, None),
        _ if is_common_symbol(c) => (c, Class::Stop, None),
        _ if c.is_alphanumeric() => (c, Class::Letter, None),
        _ => (c, Class::Stop, None),
    }
}

/// Punctuation and symbols of Chinese text that are not alphanumeric (a test checks
/// every one), told apart without the Unicode tables behind [`char::is_alphanumeric`],
/// which took 500 instructions a character: `、《》“”—…·℃∶●×`. Most of the characters
/// of a text that reach that question in [`classify`] are these.
fn is_common_symbol(c: char) -> bool {
    matches!(u32::from(c),
        0xB7 | 0xD7 | 0xF7
        | 0x2010..=0x2027    // dashes, quotes, bullets, ellipsis
        | 0x2030..=0x205E    // per mille, primes, other punctuation
        | 0x2103 | 0x2109    // ℃ ℉
        | 0x2190..=0x23FF    // arrows, mathematical operators, technical symbols
        | 0x2500..=0x2775    // box drawing, shapes, symbols, dingbats before the digits
        | 0x3001..=0x3004    // 、。〃〄
        | 0x3008..=0x3020) // brackets 〈〉《》「」『』【】, 〒, 〜, quotes
}

fn ascii_class(c: char) -> Class {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => Class::Word,
        '.' => Class::Dot,
        ' ' | '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' => Class::Space,
        '!'..='~' => Class::Punct,
        _ => Class::Stop,
    }
}

/// Full-width ASCII variants: letters, digits and `-` fold into a host;
/// full-width punctuation (`，`, `（`, `：`…) ends a link.
fn full_width(c: char) -> (char, Class, Option<Obfuscation>) {
    let folded = char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c);
    if folded.is_ascii_alphanumeric() || folded == '-' {
        (folded, Class::Word, Some(Obfuscation::FullWidth))
    } else {
        (folded, Class::Stop, Some(Obfuscation::FullWidth))
    }
}

/// CJK ideographs, kana, hangul and their extensions.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x3FFFF) // extensions B–H
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`ends_dotted_quad`] as it was written first: the head split at its dots.
    fn ends_dotted_quad_by_splitting(head: &str) -> bool {
        if !head.ends_with('.') {
            return false;
        }
        let mut parts = head.as_bytes().rsplit(|&b| b == b'.').skip(1);
        let number = |part: Option<&[u8]>| {
            part.is_some_and(|p| {
                (1..=crate::hostscan::OCTET_DIGITS).contains(&p.len())
                    && p.iter().all(u8::is_ascii_digit)
            })
        };
        let (third, second) = (parts.next(), parts.next());
        let first = parts.next().and_then(|p| p.last());
        number(third) && number(second) && first.is_some_and(u8::is_ascii_digit)
    }

    /// Read back from the end, the answer is the splitting one's, on every head of up
    /// to six pieces of digits, dots and other characters.
    #[test]
    fn dotted_quads_read_back_as_split() {
        let pieces = ["1", "12", "255", "1234", ".", "..", "a", "中", "0"];
        let mut heads = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = heads
                .iter()
                .flat_map(|h| pieces.iter().map(move |p| format!("{h}{p}")))
                .collect();
            heads.extend(longer);
            heads.sort();
            heads.dedup();
        }
        let mut quads = 0;
        for head in &heads {
            let expected = ends_dotted_quad_by_splitting(head);
            assert_eq!(ends_dotted_quad(head), expected, "{head:?}");
            quads += usize::from(expected);
        }
        assert!(quads > 50, "{quads} of {}", heads.len());
    }

    /// The quick answer from the bytes after a cue never turns away a cue that the
    /// full check lets through: every cue, before every ASCII character and every
    /// character of the main CJK block (and a few others), with a few endings after.
    #[test]
    fn quick_answers_agree_with_the_full_check() {
        let wide = WIDE_CUES.map(String::from);
        let cues = [".", ":", "["]
            .into_iter()
            .chain(wide.iter().map(String::as_str));
        let nexts: Vec<char> = (0..128u32)
            .chain(0x4E00..=0x9FFF)
            .chain([
                0x3000, 0x200B, 0xFEFF, 0x201C, 0xFF23, 0xFF0F, 0x212A, 0x4DFF, 0x3400,
            ])
            .filter_map(char::from_u32)
            .collect();
        let mut quick = 0;
        for cue in cues {
            for &next in &nexts {
                for tail in ["", "om", "/x", "中国", "1.2"] {
                    let text = format!("ab{cue}{next}{tail}");
                    if fails_at_once(cue.as_bytes(), &text.as_bytes()[2 + cue.len()..]) {
                        quick += 1;
                        assert!(!cue_starts_link(&text, 2, cue.len()), "{text:?}");
                    }
                }
            }
        }
        assert!(quick > 100_000, "{quick}");
    }

    /// The symbols [`is_common_symbol`] answers for are not alphanumeric, nor spaces
    /// or CJK (which [`classify`] asks about first, so the order changes nothing).
    #[test]
    fn common_symbols_are_not_alphanumeric() {
        let symbols: Vec<char> = (0..=0xFFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_common_symbol(c))
            .collect();
        assert!(symbols.len() > 1300, "{}", symbols.len());
        for c in symbols {
            assert!(
                !c.is_alphanumeric() && !c.is_whitespace() && !is_cjk(c),
                "{c:?}"
            );
        }
        for c in "、《》“”—…·℃∶●×".chars() {
            assert!(is_common_symbol(c), "{c:?}");
        }
    }

    /// The pre-filter lists by hand the characters beyond ASCII that the extractor reads
    /// as a dot, `:` or `[`: exactly those.
    #[test]
    fn wide_cues_are_exactly_the_extractors() {
        let mut read: Vec<char> = (0..0x11_0000)
            .filter_map(char::from_u32)
            .filter(|&c| !c.is_ascii() && matches!(classify(c).0, '.' | ':' | '['))
            .collect();
        let mut listed = WIDE_CUES.to_vec();
        read.sort_unstable();
        listed.sort_unstable();
        assert_eq!(read, listed);
    }

    /// Both searches for the wide cues (SIMD natively, the automaton in WebAssembly)
    /// find the same: every wide cue, nothing else.
    #[test]
    fn wide_cue_searches_agree() {
        let (simd, automaton) = (WideCues::new(true), WideCues::new(false));
        assert!(matches!(automaton, WideCues::Automaton(_)));
        let texts = [
            "",
            "好的。收到！",
            "ｅｘａｍｐｌｅ。ｃｏｍ：／／［点點｡．",
            "一点点。。。好：：［［ 长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长。尾",
        ];
        for text in texts {
            let found = automaton.find(text.as_bytes());
            assert_eq!(simd.find(text.as_bytes()), found, "{text}");
            let cues = text.char_indices().filter(|(_, c)| WIDE_CUES.contains(c));
            let expected: Vec<_> = cues.map(|(at, c)| (at, at + c.len_utf8())).collect();
            assert_eq!(found, expected, "{text}");
        }
    }

    #[test]
    fn classes() {
        let table = [
            ('a', 'a', Class::Word, None),
            ('ｗ', 'w', Class::Word, Some(Obfuscation::FullWidth)),
            ('．', '.', Class::Dot, Some(Obfuscation::FullWidthDot)),
            ('。', '.', Class::Dot, Some(Obfuscation::IdeographicDot)),
            ('点', '.', Class::Dot, Some(Obfuscation::DotWord)),
            ('，', ',', Class::Stop, Some(Obfuscation::FullWidth)),
            ('（', '(', Class::Stop, Some(Obfuscation::FullWidth)),
            ('击', '击', Class::Cjk, None),
            ('а', 'а', Class::Letter, None),
            ('\u{3000}', ' ', Class::Space, None),
            (
                '\u{200B}',
                '\u{200B}',
                Class::ZeroWidth,
                Some(Obfuscation::ZeroWidth),
            ),
            ('/', '/', Class::Punct, None),
            ('“', '“', Class::Stop, None),
        ];
        for (input, ch, class, trick) in table {
            assert_eq!(classify(input), (ch, class, trick), "{input:?}");
        }
    }
}
