//! What the checks report.

use serde::Serialize;

use crate::extract::ExtractedLink;
use crate::rules::LinkSeverity;

/// One problem found with a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkIssue {
    /// Stable rule id, e.g. `external-link.shortener` (see [`crate::rules`]).
    pub rule_id: &'static str,
    /// Severity after the policy's overrides.
    pub severity: LinkSeverity,
    /// Explanation for end users, in Chinese.
    pub message: String,
    /// Technical detail, in English (may be empty).
    pub detail: String,
}

/// The result of checking one link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkReport {
    /// The URL as parsed and serialised by the WHATWG parser, or the
    /// normalised text when it did not parse.
    pub url: String,
    /// Normalised host (lower-case, IDNA ASCII, no trailing dot).
    pub host: Option<String>,
    /// Registrable domain (eTLD+1) of a domain host.
    pub registrable_domain: Option<String>,
    /// Issues, most severe first; empty for a clean or allowed link.
    pub issues: Vec<LinkIssue>,
}

impl LinkReport {
    /// The highest severity among the issues.
    #[must_use]
    pub fn max_severity(&self) -> Option<LinkSeverity> {
        self.issues.iter().map(|i| i.severity).max()
    }

    /// Whether an issue with `rule_id` was reported.
    #[must_use]
    pub fn has(&self, rule_id: &str) -> bool {
        self.issues.iter().any(|i| i.rule_id == rule_id)
    }
}

/// A link found by [`scan`](crate::scan) together with its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScannedLink {
    /// The link as found in the text (span, original text, disguises).
    pub link: ExtractedLink,
    /// The check result.
    pub report: LinkReport,
}
