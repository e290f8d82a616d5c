//! Text and links of an HTML article body (公众号 图文), with a map from every character
//! of the extracted text back to its bytes in the HTML source.
//!
//! Parsed with `tl`. Text of `script`, `style`, `template` and comments is skipped;
//! entities are decoded (the decoded character maps to the whole entity); block elements
//! and `<br>` become line breaks (mapped to an empty range at the tag), inline elements
//! join their text so that `转<b>发</b>` still reads `转发`.

use std::ops::Range;

/// One character of extracted text and the source bytes it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mapped {
    /// Byte offset of the character in the extracted text.
    pub(crate) text: usize,
    /// Bytes of the HTML source it stands for (empty for inserted line breaks).
    pub(crate) source: Range<usize>,
}

/// A piece of text taken from HTML (the visible text, or one `href`/`src` value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Piece {
    pub(crate) text: String,
    pub(crate) map: Vec<Mapped>,
}

impl Piece {
    fn push(&mut self, c: char, source: Range<usize>) {
        self.map.push(Mapped {
            text: self.text.len(),
            source,
        });
        self.text.push(c);
    }

    /// The source bytes of the text bytes `range` (which lie on char boundaries).
    pub(crate) fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let first = self.map.partition_point(|m| m.text < range.start);
        let last = self.map.partition_point(|m| m.text < range.end);
        let Some(start) = self.map.get(first).map(|m| m.source.start) else {
            let end = self.map.last().map_or(0, |m| m.source.end);
            return end..end;
        };
        let end = if last > first {
            self.map[last - 1].source.end.max(start)
        } else {
            start
        };
        start..end
    }
}

/// The visible text and the link attributes of an HTML document.
#[derive(Debug, Clone, Default)]
pub(crate) struct HtmlText {
    pub(crate) body: Piece,
    pub(crate) links: Vec<Piece>,
}

const SKIPPED: &[&str] = &["script", "style", "template", "noscript", "head"];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "figure",
    "figcaption",
    "dt",
    "dd",
    "title",
];
const LINK_ATTRIBUTES: &[&str] = &["href", "src", "data-src", "action"];

/// Extracts text and links of `html`. Never fails: unparseable input gives no text.
pub(crate) fn extract(html: &str) -> HtmlText {
    let mut out = HtmlText::default();
    let Ok(dom) = tl::parse(html, tl::ParserOptions::default()) else {
        return out;
    };
    let parser = dom.parser();
    let mut walker = Walker {
        html,
        parser,
        out: &mut out,
    };
    for handle in dom.children() {
        walker.node(*handle, 0);
    }
    out
}

struct Walker<'a, 'p> {
    html: &'a str,
    parser: &'p tl::Parser<'a>,
    out: &'p mut HtmlText,
}

/// Deeper nesting than this is not walked (hostile input).
const MAX_DEPTH: usize = 256;

impl Walker<'_, '_> {
    /// Byte offset of `slice` in the source, if it is a slice of it.
    fn offset(&self, slice: &[u8]) -> Option<usize> {
        let start = (slice.as_ptr() as usize).checked_sub(self.html.as_ptr() as usize)?;
        (start + slice.len() <= self.html.len()).then_some(start)
    }

    fn node(&mut self, handle: tl::NodeHandle, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(node) = handle.get(self.parser) else {
            return;
        };
        match node {
            tl::Node::Raw(bytes) => {
                let raw = bytes.as_bytes();
                if let Some(start) = self.offset(raw) {
                    decode_into(self.html, start..start + raw.len(), &mut self.out.body);
                }
            }
            tl::Node::Comment(_) => {}
            tl::Node::Tag(tag) => {
                let name = tag.name().as_utf8_str().to_ascii_lowercase();
                if SKIPPED.contains(&name.as_str()) {
                    return;
                }
                let tag_start = self.offset(tag.raw().as_bytes()).unwrap_or(0);
                for attribute in LINK_ATTRIBUTES {
                    if let Some(Some(value)) = tag.attributes().get(*attribute) {
                        let raw = value.as_bytes();
                        if let Some(start) = self.offset(raw) {
                            let mut piece = Piece::default();
                            decode_into(self.html, start..start + raw.len(), &mut piece);
                            if !piece.text.trim().is_empty() {
                                self.out.links.push(piece);
                            }
                        }
                    }
                }
                let block = BLOCKS.contains(&name.as_str());
                if block {
                    self.out.body.push('\n', tag_start..tag_start);
                }
                let children: Vec<tl::NodeHandle> = tag.children().top().iter().copied().collect();
                for child in children {
                    self.node(child, depth + 1);
                }
                if block {
                    self.out.body.push('\n', tag_start..tag_start);
                }
            }
        }
    }
}

/// Appends the text of `html[range]` to `piece`, decoding character references.
fn decode_into(html: &str, range: Range<usize>, piece: &mut Piece) {
    let Some(raw) = html.get(range.clone()) else {
        return;
    };
    let mut rest = raw.char_indices().peekable();
    while let Some((i, c)) = rest.next() {
        let at = range.start + i;
        if c == '&' {
            if let Some((decoded, len)) = entity(&raw[i..]) {
                piece.push(decoded, at..at + len);
                while rest.peek().is_some_and(|&(j, _)| j < i + len) {
                    rest.next();
                }
                continue;
            }
        }
        piece.push(c, at..at + c.len_utf8());
    }
}

/// The character of the reference at the start of `s` (`&amp;`, `&#36716;`, `&#x8F6C;`)
/// and its length in bytes.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let body = &s[1..end];
    let c = if let Some(number) = body.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(value)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "ldquo" => '“',
            "rdquo" => '”',
            "lsquo" => '‘',
            "rsquo" => '’',
            "mdash" => '—',
            "ndash" => '–',
            "hellip" => '…',
            "middot" => '·',
            "yen" => '¥',
            "times" => '×',
            "copy" => '©',
            "reg" => '®',
            "zwj" => '\u{200d}',
            "zwnj" => '\u{200c}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_skips_scripts_and_maps_back_to_the_source() {
        let html = "<p>转<b>发</b>本文&amp;领<span>红包</span></p><script>转发领红包</script><!-- 转发 --><p>第二段</p>";
        let out = extract(html);
        assert_eq!(out.body.text, "\n转发本文&领红包\n\n第二段\n");
        let start = out.body.text.find('转').expect("text");
        let end = out.body.text.find("红包").expect("text") + "红包".len();
        let source = out.body.source_range(start..end);
        assert_eq!(&html[source], "转<b>发</b>本文&amp;领<span>红包");
    }

    #[test]
    fn entities_decode_to_one_character() {
        let html = "<div>&#36716;&#x53D1;领&lt;红包&gt;&bogus;</div>";
        let out = extract(html);
        assert_eq!(out.body.text.trim(), "转发领<红包>&bogus;");
        let at = out.body.text.find('发').expect("decoded");
        assert_eq!(&html[out.body.source_range(at..at + 3)], "&#x53D1;");
    }

    #[test]
    fn link_attributes_are_pieces_of_their_own() {
        let html = r#"<a href="http://t.cn/AbCd?a=1&amp;b=2">点此</a><img data-src="https://x.example/a.png">"#;
        let out = extract(html);
        let links: Vec<&str> = out.links.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            links,
            ["http://t.cn/AbCd?a=1&b=2", "https://x.example/a.png"]
        );
        let first = &out.links[0];
        assert_eq!(
            &html[first.source_range(0..first.text.len())],
            "http://t.cn/AbCd?a=1&amp;b=2"
        );
    }

    #[test]
    fn broken_html_never_panics() {
        for html in [
            "<",
            "<<p>>",
            "<p attr=\"",
            "&#xFFFFFFFF;",
            "<a href=>",
            "\u{0}<p>\u{0}",
        ] {
            let out = extract(html);
            for m in &out.body.map {
                assert!(m.source.end <= html.len());
            }
        }
    }
}
