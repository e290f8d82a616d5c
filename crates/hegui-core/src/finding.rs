//! Findings: what a rule flagged, where in the original text, and why.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered: `Notice < Review < Block`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advisory: worth a look, rarely a violation on its own.
    Notice,
    /// Likely violation or context-dependent: a person must review or rewrite.
    Review,
    /// Outright illegal or a platform-ban class violation: do not send.
    Block,
}

impl Severity {
    /// The lowercase name used in packs, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Notice => "notice",
            Severity::Review => "review",
            Severity::Block => "block",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "notice" => Ok(Severity::Notice),
            "review" => Ok(Severity::Review),
            "block" => Ok(Severity::Block),
            other => Err(format!(
                "unknown severity `{other}` (expected block, review or notice)"
            )),
        }
    }
}

/// The verdict of a whole report: the highest severity found, or `Pass`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No findings.
    Pass,
    /// Highest finding is a notice.
    Notice,
    /// Highest finding needs review.
    Review,
    /// At least one finding blocks sending.
    Block,
}

impl Verdict {
    /// The verdict for a highest severity (`None` = no findings).
    pub fn from_highest(highest: Option<Severity>) -> Self {
        match highest {
            None => Verdict::Pass,
            Some(Severity::Notice) => Verdict::Notice,
            Some(Severity::Review) => Verdict::Review,
            Some(Severity::Block) => Verdict::Block,
        }
    }

    /// The lowercase name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Notice => "notice",
            Verdict::Review => "review",
            Verdict::Block => "block",
        }
    }

    /// Whether this verdict reaches `threshold` (e.g. for `--fail-on`).
    pub fn reaches(self, threshold: Severity) -> bool {
        self >= Verdict::from_highest(Some(threshold))
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A half-open range in the original text, in three units.
///
/// `byte` indexes the UTF-8 string, `char` counts Unicode scalar values and `utf16`
/// counts UTF-16 code units (what JavaScript editors use for highlighting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Span {
    /// `[start, end)` in UTF-8 bytes.
    pub byte: [usize; 2],
    /// `[start, end)` in Unicode scalar values.
    pub char: [usize; 2],
    /// `[start, end)` in UTF-16 code units.
    pub utf16: [usize; 2],
}

impl Span {
    /// Computes the span of `bytes` in `text`. `bytes` must lie on char boundaries.
    pub fn of(text: &str, bytes: Range<usize>) -> Span {
        let mut counter = SpanCounter::new(text);
        counter.span(bytes)
    }

    /// The byte range, for slicing the original text.
    pub fn bytes(&self) -> Range<usize> {
        self.byte[0]..self.byte[1]
    }
}

/// Converts byte ranges to [`Span`]s, walking forward through the text so that
/// a sorted sequence of ranges costs one pass.
#[derive(Debug)]
pub(crate) struct SpanCounter<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
    utf16: usize,
}

impl<'t> SpanCounter<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        SpanCounter {
            text,
            byte: 0,
            chars: 0,
            utf16: 0,
        }
    }

    /// Char and UTF-16 offsets of byte `to`, which must be a char boundary.
    fn position(&mut self, to: usize) -> (usize, usize) {
        if to < self.byte {
            self.byte = 0;
            self.chars = 0;
            self.utf16 = 0;
        }
        for c in self.text[self.byte..to].chars() {
            self.chars += 1;
            self.utf16 += c.len_utf16();
        }
        self.byte = to;
        (self.chars, self.utf16)
    }

    pub(crate) fn span(&mut self, bytes: Range<usize>) -> Span {
        let (c0, u0) = self.position(bytes.start);
        let (mut c1, mut u1) = (c0, u0);
        for c in self.text[bytes.clone()].chars() {
            c1 += 1;
            u1 += c.len_utf16();
        }
        Span {
            byte: [bytes.start, bytes.end],
            char: [c0, c1],
            utf16: [u0, u1],
        }
    }
}

/// A normalisation step that was needed for a finding to match.
///
/// Reviewers see from these why a disguised text fired (`转*发` needed `separator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// Full-width forms folded to half-width (`ＶＸ` → `vx`).
    Width,
    /// Compatibility characters folded by NFKC or the digit table (`①` → `1`).
    Compat,
    /// Upper case folded to lower case.
    Case,
    /// Traditional characters mapped to simplified (`轉發` → `转发`).
    Traditional,
    /// Look-alike letters from other scripts mapped to Latin (Cyrillic `а` → `a`).
    Homoglyph,
    /// Invisible characters removed (zero-width, BOM, soft hyphen, bidi controls).
    Invisible,
    /// Spaces, symbols or emoji between Chinese characters removed (`转 * 发`).
    Separator,
    /// A pack variant applied (`薇信` → `微信`).
    Variant,
}

impl Step {
    /// All steps, in bit order.
    pub const ALL: [Step; 8] = [
        Step::Width,
        Step::Compat,
        Step::Case,
        Step::Traditional,
        Step::Homoglyph,
        Step::Invisible,
        Step::Separator,
        Step::Variant,
    ];

    /// The kebab-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Width => "width",
            Step::Compat => "compat",
            Step::Case => "case",
            Step::Traditional => "traditional",
            Step::Homoglyph => "homoglyph",
            Step::Invisible => "invisible",
            Step::Separator => "separator",
            Step::Variant => "variant",
        }
    }
}

/// A compact set of [`Step`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Steps(u8);

impl Steps {
    /// The empty set.
    pub const NONE: Steps = Steps(0);

    /// A set holding one step.
    pub const fn of(step: Step) -> Steps {
        Steps(1 << step as u8)
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the set holds `step`.
    pub fn contains(self, step: Step) -> bool {
        self.0 & Steps::of(step).0 != 0
    }

    /// The steps, in a fixed order.
    pub fn to_vec(self) -> Vec<Step> {
        Step::ALL
            .into_iter()
            .filter(|&s| self.contains(s))
            .collect()
    }
}

impl std::ops::BitOr for Steps {
    type Output = Steps;
    fn bitor(self, rhs: Steps) -> Steps {
        Steps(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for Steps {
    fn bitor_assign(&mut self, rhs: Steps) {
        self.0 |= rhs.0;
    }
}

/// One thing a rule flagged.
///
/// `text == original[span.byte[0]..span.byte[1]]` always holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding {
    /// Stable rule id, `category.what-is-flagged`.
    pub rule_id: Arc<str>,
    /// Category id: `induce-share`, `exaggeration`, `finance`, `external-link` (or a pack's own).
    pub category: Arc<str>,
    /// Severity of this finding.
    pub severity: Severity,
    /// What is wrong, in Chinese, for the person who wrote the text.
    pub message: Arc<str>,
    /// How to rewrite it, in Chinese.
    pub suggestion: Option<Arc<str>>,
    /// Legal or platform basis, e.g. 《广告法》第九条.
    pub basis: Arc<str>,
    /// The flagged text, exactly as in the original.
    pub text: String,
    /// Where the flagged text is in the original.
    pub span: Span,
    /// Normalisation steps that were needed to match.
    pub normalized: Vec<Step>,
    /// The message field the finding is in (`title`, `digest`, `text`, `html`, `url`,
    /// `path`) when a structured message was scanned; spans are relative to that field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Arc<str>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_counts_all_units() {
        let text = "a转😀发b";
        let start = "a".len();
        let end = text.len() - 1;
        let span = Span::of(text, start..end);
        assert_eq!(span.byte, [1, end]);
        assert_eq!(span.char, [1, 4]);
        assert_eq!(span.utf16, [1, 5]);
        assert_eq!(&text[span.bytes()], "转😀发");
    }

    #[test]
    fn span_counter_handles_unsorted_requests() {
        let text = "一二三四";
        let mut counter = SpanCounter::new(text);
        assert_eq!(counter.span(6..9).char, [2, 3]);
        assert_eq!(counter.span(0..3).char, [0, 1]);
    }

    #[test]
    fn verdict_orders_like_severity() {
        assert!(Verdict::Block.reaches(Severity::Review));
        assert!(!Verdict::Notice.reaches(Severity::Review));
        assert!(!Verdict::Pass.reaches(Severity::Notice));
        assert_eq!(
            Verdict::from_highest(Some(Severity::Review)),
            Verdict::Review
        );
    }

    #[test]
    fn steps_round_trip() {
        let steps = Steps::of(Step::Separator) | Steps::of(Step::Width);
        assert_eq!(steps.to_vec(), vec![Step::Width, Step::Separator]);
        assert!(Steps::NONE.is_empty());
    }
}
