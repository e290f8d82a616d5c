//! Character classes for link extraction: every character of the input
//! becomes a [`Cell`] holding its byte range, the ASCII character it stands
//! for (full-width letters and look-alike dots are folded) and its class.

use std::sync::LazyLock;

use memchr::memmem::Finder;

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

/// The characters other than `.` that [`classify`] reads as a dot.
const DISGUISED_DOTS: [&str; 5] = ["。", "．", "｡", "点", "點"];

/// Cheap pre-filter: can `text` contain a link at all?
///
/// A link has an ASCII `.`, `:` or `[`, or a [disguised dot](DISGUISED_DOTS) before a
/// top-level domain: a non-CJK letter or digit (ASCII or full width) or a CJK suffix,
/// after at most two spaces and any zero-width characters (as the extractor reads it).
/// Chinese prose is full of `。` and `点`; this check lets almost all of it skip
/// extraction.
pub(crate) fn may_contain_link(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memchr::memchr3(b'.', b':', b'[', bytes).is_some() {
        return true;
    }
    // Searchers built once: building one per call was most of the check in wasm.
    static FINDERS: LazyLock<Vec<Finder<'static>>> =
        LazyLock::new(|| DISGUISED_DOTS.iter().map(Finder::new).collect());
    FINDERS.iter().any(|finder| {
        let len = finder.needle().len();
        finder
            .find_iter(bytes)
            .any(|at| starts_label(&text[at + len..]))
    })
}

/// Whether `rest` (the text after a disguised dot) can start a host label.
fn starts_label(rest: &str) -> bool {
    let mut skipped = 0;
    for (at, c) in rest.char_indices() {
        let (ch, class, _) = classify(c);
        match class {
            Class::ZeroWidth => {}
            Class::Space if skipped < 2 => skipped += 1,
            Class::Word | Class::Letter => return ch.is_alphanumeric(),
            Class::Cjk => {
                return crate::hostscan::CJK_BARE_TLDS
                    .iter()
                    .any(|tld| rest[at..].starts_with(tld))
            }
            _ => return false,
        }
    }
    false
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
        _ if c.is_alphanumeric() => (c, Class::Letter, None),
        _ => (c, Class::Stop, None),
    }
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

    #[test]
    fn disguised_dots_are_exactly_the_non_ascii_dots() {
        let mut dots: Vec<String> = (0..0x11_0000)
            .filter_map(char::from_u32)
            .filter(|&c| !c.is_ascii() && classify(c).1 == Class::Dot)
            .map(String::from)
            .collect();
        let mut listed = DISGUISED_DOTS.map(String::from).to_vec();
        listed.sort();
        dots.sort();
        assert_eq!(dots, listed);
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
