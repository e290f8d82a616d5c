//! Finding links in Chinese text, including disguised ones.

use std::ops::Range;

use serde::Serialize;

use crate::chars::{cells, may_contain_link, Cell, Class};
use crate::hostscan::{host_at, HostMemo};

/// A way of disguising a link so that filters miss it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Obfuscation {
    /// A word used as a dot: `www点example点com`.
    DotWord,
    /// An ideographic full stop used as a dot: `example。com`, `example｡com`.
    IdeographicDot,
    /// A full-width dot: `example．com`.
    FullWidthDot,
    /// Full-width letters or digits: `ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ`.
    FullWidth,
    /// Spaces inside the host: `www. example .com`.
    Whitespace,
    /// Zero-width characters inside the host: `exa\u{200B}mple.com`.
    ZeroWidth,
}

impl Obfuscation {
    /// A short Chinese description, for messages.
    #[must_use]
    pub fn describe_zh(self) -> &'static str {
        match self {
            Self::DotWord => "用“点”字代替“.”",
            Self::IdeographicDot => "用句号“。”代替“.”",
            Self::FullWidthDot => "用全角“．”代替“.”",
            Self::FullWidth => "使用全角字母或数字",
            Self::Whitespace => "在域名中插入空格",
            Self::ZeroWidth => "在域名中插入不可见字符",
        }
    }
}

/// A link found in text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtractedLink {
    /// Byte range of the link in the original text.
    pub span: Range<usize>,
    /// The original text of the link (`&text[span]`).
    pub text: String,
    /// The cleaned URL that gets parsed: disguises removed, full-width
    /// folded, and `http://` prepended when the text had no scheme.
    pub normalized: String,
    /// Disguises used, in order of first appearance; empty for plain links.
    pub obfuscation: Vec<Obfuscation>,
    /// Whether the text carried a scheme (`http://`, `https://`, `ftp://`).
    pub has_scheme: bool,
}

impl ExtractedLink {
    /// Whether the link was written in a disguised form.
    #[must_use]
    pub fn is_obfuscated(&self) -> bool {
        !self.obfuscation.is_empty()
    }
}

/// Finds the links in `text`, with byte spans into the original text.
///
/// Recognises URLs with a scheme (`http`, `https`, `ftp`, any case),
/// scheme-less hosts under a known public suffix (`www.example.com`,
/// `t.cn/AbCd`), IDN hosts, IPv4 and bracketed IPv6 hosts with optional
/// port, and disguised hosts (`www点example点com`, `example。com`,
/// full-width letters, spaces or zero-width characters in the host).
/// A link ends at whitespace, CJK characters and CJK or full-width
/// punctuation; trailing ASCII punctuation is trimmed. E-mail addresses,
/// version numbers and plain numbers are not links.
///
/// ```
/// let links = hegui_url::extract("点击http://t.cn/RZwjG7U（分享自微博），或访问www点example点com。");
/// assert_eq!(links.len(), 2);
/// assert_eq!(links[0].text, "http://t.cn/RZwjG7U");
/// assert_eq!(links[1].text, "www点example点com");
/// assert_eq!(links[1].normalized, "http://www.example.com");
/// assert!(links[1].is_obfuscated());
/// ```
#[must_use]
pub fn extract(text: &str) -> Vec<ExtractedLink> {
    if !may_contain_link(text) {
        return Vec::new();
    }
    extract_all(text)
}

/// [`extract`] without the pre-filter.
fn extract_all(text: &str) -> Vec<ExtractedLink> {
    let cells = cells(text);
    let mut links = Vec::new();
    let mut memo = HostMemo::default();
    let mut i = 0;
    while i < cells.len() {
        match link_at(&cells, i, &mut memo) {
            Some((end, has_scheme)) => {
                links.extend(build(text, &cells[i..end], has_scheme));
                i = end;
            }
            None => i += 1,
        }
    }
    links
}

/// A link starting at cell `i`: its end and whether it has a scheme (`memo` keeps what
/// the host reader learnt of the text: its runs of labels, the lists' answers).
fn link_at(cells: &[Cell], i: usize, memo: &mut HostMemo) -> Option<(usize, bool)> {
    if let Some(after) = scheme_at(cells, i) {
        return scheme_link(cells, after, memo).map(|end| (end, true));
    }
    bare_link(cells, i, memo).map(|end| (end, false))
}

/// If a scheme (`http://`, `https://`, `ftp://`) starts at `i`, the index
/// after its `//`.
fn scheme_at(cells: &[Cell], i: usize) -> Option<usize> {
    let prev = i.checked_sub(1).and_then(|p| cells.get(p));
    if prev.is_some_and(|c| c.class == Class::Word && c.ch.is_ascii_alphabetic()) {
        return None;
    }
    let mut name = String::new();
    let mut k = i;
    while let Some(c) = cells
        .get(k)
        .filter(|c| c.ch.is_ascii_alphabetic() && name.len() < 5)
    {
        name.push(c.ch.to_ascii_lowercase());
        k += 1;
    }
    if !matches!(name.as_str(), "http" | "https" | "ftp") {
        return None;
    }
    let sep: String = cells.get(k..k + 3)?.iter().map(|c| c.ch).collect();
    (sep == "://").then_some(k + 3)
}

fn scheme_link(cells: &[Cell], after: usize, memo: &mut HostMemo) -> Option<usize> {
    let host_start = skip_userinfo(cells, after);
    let host = host_at(cells, host_start, true, memo)?;
    let end = port_end(cells, host.end);
    Some(rest_end(cells, end, true))
}

fn bare_link(cells: &[Cell], i: usize, memo: &mut HostMemo) -> Option<usize> {
    if !can_start(cells, i) {
        return None;
    }
    let host = host_at(cells, i, false, memo)?;
    let end = port_end(cells, host.end);
    if cells.get(host.end).is_some_and(|c| c.ch == '@') {
        return None; // the local part of an e-mail address
    }
    Some(rest_end(cells, end, false))
}

/// A scheme-less host may start at `i` only at a word boundary, and not
/// right after `@` (e-mail) or inside a dotted name.
fn can_start(cells: &[Cell], i: usize) -> bool {
    let Some(cur) = cells.get(i) else {
        return false;
    };
    let Some(prev) = i.checked_sub(1).and_then(|p| cells.get(p)) else {
        return true;
    };
    match prev.class {
        Class::Word | Class::Letter => false,
        Class::Cjk => cur.class != Class::Cjk,
        Class::Punct => prev.ch != '@',
        Class::Dot if prev.trick.is_none() => {
            let before = i.checked_sub(2).and_then(|p| cells.get(p));
            !before.is_some_and(|c| matches!(c.class, Class::Word | Class::Letter | Class::Cjk))
        }
        _ => true,
    }
}

/// Skips `user:pass@` after a scheme; returns where the host starts.
fn skip_userinfo(cells: &[Cell], after: usize) -> usize {
    let mut host_start = after;
    for (k, c) in cells.iter().enumerate().skip(after) {
        let plain = c.trick.is_none() && matches!(c.class, Class::Word | Class::Punct | Class::Dot);
        if !plain || matches!(c.ch, '/' | '?' | '#' | '\\') {
            break;
        }
        if c.ch == '@' {
            host_start = k + 1;
        }
    }
    host_start
}

/// `:port` after a host.
fn port_end(cells: &[Cell], at: usize) -> usize {
    if cells
        .get(at)
        .is_none_or(|c| c.ch != ':' || c.trick.is_some())
    {
        return at;
    }
    let digits = cells[at + 1..]
        .iter()
        .take_while(|c| c.ch.is_ascii_digit() && c.trick.is_none())
        .count();
    if (1..=5).contains(&digits) {
        at + 1 + digits
    } else {
        at
    }
}

/// Path, query and fragment after the authority, trailing punctuation
/// trimmed. Without a scheme they must start with `/`, `?` or `#`.
fn rest_end(cells: &[Cell], at: usize, scheme: bool) -> usize {
    let starts = cells
        .get(at)
        .is_some_and(|c| matches!(c.ch, '/' | '?' | '#'));
    if !scheme && !starts {
        return at;
    }
    let end = at + cells[at..].iter().take_while(|c| is_path_char(c)).count();
    trim_trailing(cells, at, end)
}

fn is_path_char(c: &Cell) -> bool {
    match c.class {
        Class::Word | Class::Punct | Class::Dot => {
            c.trick.is_none() && !matches!(c.ch, '<' | '>' | '"' | '`')
        }
        Class::Letter => true,
        _ => false,
    }
}

/// Trims trailing `.,;:!?'"*` and unbalanced closing brackets.
fn trim_trailing(cells: &[Cell], start: usize, mut end: usize) -> usize {
    while end > start {
        let ch = cells[end - 1].ch;
        let trim = match ch {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*' => true,
            ')' => unbalanced(&cells[start..end], '(', ')'),
            ']' => unbalanced(&cells[start..end], '[', ']'),
            '}' => unbalanced(&cells[start..end], '{', '}'),
            _ => false,
        };
        if !trim {
            break;
        }
        end -= 1;
    }
    end
}

fn unbalanced(cells: &[Cell], open: char, close: char) -> bool {
    let count = |ch: char| cells.iter().filter(|c| c.ch == ch).count();
    count(close) > count(open)
}

/// Builds the link from its cells; `None` when the cleaned URL does not
/// parse as a URL with a host.
fn build(text: &str, cells: &[Cell], has_scheme: bool) -> Option<ExtractedLink> {
    let (first, last) = (cells.first()?, cells.last()?);
    let mut normalized = String::from(if has_scheme { "" } else { "http://" });
    let mut obfuscation = Vec::new();
    for c in cells {
        let trick = if c.class == Class::Space {
            Some(Obfuscation::Whitespace)
        } else {
            c.trick
        };
        if let Some(t) = trick.filter(|t| !obfuscation.contains(t)) {
            obfuscation.push(t);
        }
        if !matches!(c.class, Class::Space | Class::ZeroWidth) {
            normalized.push(c.ch);
        }
    }
    let url = url::Url::parse(&normalized).ok()?;
    url.host_str().filter(|h| !h.is_empty())?;
    let span = first.start..last.end;
    Some(ExtractedLink {
        text: text.get(span.clone())?.to_owned(),
        span,
        normalized,
        obfuscation,
        has_scheme,
    })
}

#[cfg(test)]
mod tests;
