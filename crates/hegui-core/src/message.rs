//! Structured messages: a WeChat 群发 text, a 图文 article (title, digest, HTML body), a
//! link card or a 小程序 card, sent on a channel. Every field is scanned; each finding
//! names its `field`, with spans relative to that field (HTML spans point into the HTML
//! source).

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::html::{self, Piece};

/// The channels every pipeline may name, whether or not a pack has a profile for them.
pub const CHANNELS: &[&str] = &["sms", "wechat_mass", "mp_article", "moments"];

/// The kind of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum MessageType {
    /// Plain text (群发文字, SMS, push).
    Text,
    /// 图文 article: `title`, `digest`, `html` body.
    News,
    /// Link card: `title`, `digest`, `url`.
    Link,
    /// 小程序 card: `title`, `appid`, `path`.
    Miniprogram,
}

/// A message to scan. All fields are optional, but one of `title`, `digest`, `text`,
/// `html`, `url` must be given.
///
/// ```
/// use hegui_core::{Message, Scanner};
/// let message: Message = serde_json::from_str(r#"{
///     "channel": "mp_article", "type": "news",
///     "title": "年度盛典", "html": "<p>转<b>发</b>本文到朋友圈，即可领取红包</p>"
/// }"#).unwrap();
/// let report = Scanner::with_default_packs().scan_message(&message).unwrap();
/// let finding = &report.findings[0];
/// assert_eq!(finding.field.as_deref(), Some("html"));
/// assert_eq!(finding.text, "转<b>发</b>本文到朋友圈，即可领取红包");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct Message {
    /// Channel profile to apply (`sms`, `wechat_mass`, `mp_article`, `moments`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Message type; informational (every given field is scanned).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<MessageType>,
    /// Title (图文, link or 小程序 card).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Digest (摘要) of an article or link card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Plain text body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// HTML body of an article: visible text scanned, `href`/`src` links checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Target URL of a link card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// 小程序 appid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    /// 小程序 page path (scanned for links and text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Message {
    /// A plain-text message.
    pub fn text(text: impl Into<String>) -> Message {
        Message {
            text: Some(text.into()),
            ..Message::default()
        }
    }

    /// The source text of `field` (`"title"`, `"html"`, …).
    pub fn field(&self, field: &str) -> Option<&str> {
        match field {
            "title" => self.title.as_deref(),
            "digest" => self.digest.as_deref(),
            "text" => self.text.as_deref(),
            "html" => self.html.as_deref(),
            "url" => self.url.as_deref(),
            "path" => self.path.as_deref(),
            _ => None,
        }
    }
}

/// A message that cannot be scanned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MessageError {
    /// No field with content.
    #[error("the message has no content: give one of title, digest, text, html, url")]
    Empty,
    /// A channel that is neither standard (`sms`, `wechat_mass`, `mp_article`,
    /// `moments`) nor defined by a pack.
    #[error("unknown channel `{channel}`; known: sms, wechat_mass, mp_article, moments, {known}")]
    UnknownChannel {
        /// The channel asked for.
        channel: String,
        /// The channels the packs define, comma-separated.
        known: String,
    },
}

/// The fields of a message laid end to end for one scan, with the way back.
#[derive(Debug, Default)]
pub(crate) struct Document {
    /// All fields, separated by blank lines (sentence breaks: no rule spans two fields).
    pub(crate) text: String,
    pub(crate) segments: Vec<Segment>,
}

/// One field (or one link attribute of the HTML) inside [`Document::text`].
#[derive(Debug)]
pub(crate) struct Segment {
    pub(crate) field: &'static str,
    /// Bytes of the document text.
    pub(crate) range: Range<usize>,
    pub(crate) map: SegmentMap,
}

#[derive(Debug)]
pub(crate) enum SegmentMap {
    /// The segment is the field's text itself.
    Same,
    /// The segment was extracted from HTML.
    Html(Piece),
}

const SEPARATOR: &str = "\n\n";

impl Document {
    pub(crate) fn of(message: &Message) -> Result<Document, MessageError> {
        let mut doc = Document::default();
        for (field, value) in [
            ("title", &message.title),
            ("digest", &message.digest),
            ("text", &message.text),
        ] {
            if let Some(value) = value {
                doc.push(field, value, SegmentMap::Same);
            }
        }
        if let Some(source) = &message.html {
            let extracted = html::extract(source);
            let body = extracted.body;
            doc.push("html", &body.text.clone(), SegmentMap::Html(body));
            for link in extracted.links {
                doc.push("html", &link.text.clone(), SegmentMap::Html(link));
            }
        }
        for (field, value) in [("url", &message.url), ("path", &message.path)] {
            if let Some(value) = value {
                doc.push(field, value, SegmentMap::Same);
            }
        }
        if doc.segments.iter().all(|s| s.range.is_empty()) {
            return Err(MessageError::Empty);
        }
        Ok(doc)
    }

    fn push(&mut self, field: &'static str, text: &str, map: SegmentMap) {
        if !self.text.is_empty() {
            self.text.push_str(SEPARATOR);
        }
        let start = self.text.len();
        self.text.push_str(text);
        self.segments.push(Segment {
            field,
            range: start..self.text.len(),
            map,
        });
    }

    /// The field and the byte range in the field's source of document bytes `range`;
    /// `None` when the range starts between fields.
    pub(crate) fn locate(&self, range: Range<usize>) -> Option<(&'static str, Range<usize>)> {
        let index = self.segments.partition_point(|s| s.range.end < range.start);
        let segment = self.segments.get(index)?;
        if range.start < segment.range.start {
            return None;
        }
        let local = range.start - segment.range.start
            ..range.end.min(segment.range.end) - segment.range.start;
        let source = match &segment.map {
            SegmentMap::Same => local,
            SegmentMap::Html(piece) => piece.source_range(local),
        };
        Some((segment.field, source))
    }
}
