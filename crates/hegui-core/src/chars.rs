//! Character classes shared by the normaliser and the rule engine, and the bitmaps
//! (one bit per character code) that answer some of them in one lookup.

/// Whether bit `index` of `bits` is set.
#[inline]
pub(crate) const fn bit(bits: &[u64], index: usize) -> bool {
    bits[index / 64] & (1 << (index % 64)) != 0
}

/// Sets bit `index` of `bits`.
pub(crate) const fn set_bit(bits: &mut [u64], index: usize) {
    bits[index / 64] |= 1 << (index % 64);
}

/// The number of characters of `text`: its bytes that do not continue a character
/// (a loop the compiler vectorises; `chars().count()` decodes).
pub(crate) fn char_count(text: &str) -> usize {
    text.bytes().filter(|&b| (b & 0xC0) != 0x80).count()
}

/// The byte offset of character `n` (from 0) of `text`, if it has more than `n`:
/// `n` steps by the lengths its lead bytes give, where `char_indices().nth(n)` decodes.
pub(crate) fn char_start(text: &str, n: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    for _ in 0..n {
        // A lead byte's leading ones are its character's length (none: ASCII).
        at += (bytes.get(at)?.leading_ones() as usize).max(1);
    }
    (at < bytes.len()).then_some(at)
}

/// Whether `c` is a Han (Chinese) character.
#[inline]
pub(crate) fn is_han(c: char) -> bool {
    // Below the first Han character (U+3007): ASCII, Latin, punctuation, most of what
    // the fold passes this, decided with one comparison instead of seven.
    if c < '\u{3007}' {
        return false;
    }
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3007}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}'
        | '\u{30000}'..='\u{3134F}')
}

/// Characters removed from the normalised text: zero-width characters, BOM, soft hyphen,
/// bidi controls, variation selectors, tag characters, combining marks, and control
/// characters other than whitespace (NUL, backspace, C1 controls: clients show nothing).
pub(crate) fn is_invisible(c: char) -> bool {
    // Printable ASCII and the main Han block: most of every text.
    if matches!(c, ' '..='~' | '\u{4E00}'..='\u{9FFF}') {
        return false;
    }
    matches!(c,
        '\u{0000}'..='\u{0008}'
        | '\u{000E}'..='\u{001F}'
        | '\u{007F}'..='\u{0084}'
        | '\u{0086}'..='\u{009F}'
        | '\u{00AD}'
        | '\u{034F}'
        | '\u{061C}'
        | '\u{115F}' | '\u{1160}'
        | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
        || unicode_normalization::char::is_combining_mark(c)
}

/// Emoji and pictographs, including skin-tone modifiers and regional indicators.
pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{2300}'..='\u{23FF}')
}

/// Characters that marketers put between Chinese characters to split a term
/// (`转 发`, `转*发`, `稳|赚`, `转🔥发`). Clause punctuation (，。！？；：、) and quotes
/// are not among them: they carry meaning.
pub(crate) fn is_separator(c: char) -> bool {
    match c {
        ' ' | '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' => true,
        '*' | '-' | '_' | '.' | '|' | '/' | '\\' | '~' | '#' | '@' | '+' | '=' | '^' | '&'
        | '`' => true,
        '\u{00A0}' | '\u{00B7}' | '\u{02C9}' | '\u{02D9}' => true,
        '\u{2000}'..='\u{2017}' | '\u{2020}'..='\u{2025}' | '\u{2027}'..='\u{202F}' => true,
        '\u{2030}'..='\u{205F}' => true,
        '\u{2190}'..='\u{2BFF}' => true,
        '\u{3000}' | '\u{301C}' | '\u{3030}' | '\u{30FB}' | '\u{FF65}' => true,
        _ => is_emoji(c),
    }
}

/// Punctuation that ends a clause: word-boundary windows and negation cues stay inside one.
pub(crate) fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '。' | '！' | '!' | '？' | '?' | '；' | ';' | '：' | ':' | '、' | '\n' | '\r'
    )
}

/// Punctuation that ends a sentence: `near` rules look for their groups inside one.
pub(crate) fn is_sentence_break(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '!' | '？' | '?' | '；' | ';' | '\n' | '\r' | '…'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_han('转'));
        assert!(!is_han('a'));
        assert!(is_invisible('\u{200B}'));
        assert!(is_invisible('\u{202E}'));
        assert!(!is_invisible('a'));
        assert!(is_invisible('\0') && is_invisible('\u{7F}') && is_invisible('\u{9B}'));
        assert!(!is_invisible('\n') && !is_invisible('\t') && !is_invisible('\u{85}'));
        assert!(is_separator('🔥'));
        assert!(is_separator('*'));
        assert!(!is_separator('，'));
        assert!(!is_separator('%'));
        assert!(is_clause_break('，'));
        assert!(is_sentence_break('。'));
    }
}
