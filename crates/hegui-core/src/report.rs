//! Reports: the verdict and findings for one message.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Severity, Verdict};

/// A pack that took part in a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PackRef {
    /// Pack id.
    pub id: Arc<str>,
    /// Pack version.
    pub version: Arc<str>,
}

/// The result of scanning one message.
///
/// ```
/// let scanner = hegui_core::Scanner::with_default_packs();
/// let report = scanner.scan("我最近第一次来北京");
/// assert_eq!(report.verdict, hegui_core::Verdict::Pass);
/// assert!(report.findings.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report {
    /// The highest severity among the findings, or `pass`.
    pub verdict: Verdict,
    /// Findings sorted by start, then end, then rule id.
    pub findings: Vec<Finding>,
    /// The packs the scanner was built from.
    pub packs: Arc<[PackRef]>,
}

impl Report {
    /// Builds a report from findings (sorting them and computing the verdict).
    pub fn new(mut findings: Vec<Finding>, packs: Arc<[PackRef]>) -> Report {
        findings.sort_by(|a, b| (a.span.byte, &a.rule_id).cmp(&(b.span.byte, &b.rule_id)));
        findings.dedup_by(|a, b| a.rule_id == b.rule_id && a.span == b.span);
        let highest = findings.iter().map(|f| f.severity).max();
        Report {
            verdict: Verdict::from_highest(highest),
            findings,
            packs,
        }
    }

    /// The highest severity, `None` when there are no findings.
    pub fn highest(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}
