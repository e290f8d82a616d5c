//! Channel profiles (`[channels.sms]`, `[channels.wechat_mass]`, …): which rules apply at
//! what severity on a channel, and what a message on it must (`require`) or must not
//! (`forbid`) contain — e.g. an SMS needs a `【签名】` and an opt-out (回T退订).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::PackError;
use crate::finding::{Finding, Severity, Span};
use crate::pack::RulePack;
use crate::rules::LazyRegex;

/// A rule's severity on a channel, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ChannelSeverity {
    /// The rule does not apply on this channel.
    Off,
    /// Information only.
    Notice,
    /// Needs a human look.
    Review,
    /// Must not be sent.
    Block,
}

/// A channel profile as written in a pack.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ChannelDef {
    /// Chinese name (短信, 群发, 公众号文章, 朋友圈).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Severity per rule id on this channel (`"off"` switches a rule off).
    pub severity: BTreeMap<String, ChannelSeverity>,
    /// Patterns (regex, case-insensitive, on the text as written) that make a message
    /// promotional, for checks with `only-promotional = true`.
    pub promotional: Vec<String>,
    /// Elements a message on this channel must contain.
    pub require: Vec<ChannelCheckDef>,
    /// Elements a message on this channel must not contain.
    pub forbid: Vec<ChannelCheckDef>,
}

/// One `require` / `forbid` check of a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChannelCheckDef {
    /// Stable id; its first segment is a category of the pack (`channel.sms-opt-out`).
    pub id: String,
    /// Severity of the finding.
    pub severity: Severity,
    /// What is wrong, in Chinese.
    pub message: String,
    /// How to fix it, in Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Law or platform rule behind the check.
    pub basis: String,
    /// Regexes (case-insensitive, on the text as written; `^` is the start of the text).
    pub patterns: Vec<String>,
    /// Only check promotional messages (see `promotional`).
    #[serde(default)]
    pub only_promotional: bool,
    /// Messages on this channel that must produce this finding.
    #[serde(default)]
    pub fires: Vec<String>,
    /// Messages on this channel that must not produce it.
    #[serde(default)]
    pub passes: Vec<String>,
}

/// A compiled check.
#[derive(Debug)]
pub(crate) struct Check {
    pub(crate) def: ChannelCheckDef,
    pub(crate) required: bool,
    patterns: Vec<LazyRegex>,
    category: Arc<str>,
}

/// A compiled channel profile.
#[derive(Debug, Default)]
pub(crate) struct Channel {
    pub(crate) severity: BTreeMap<String, ChannelSeverity>,
    promotional: Vec<LazyRegex>,
    pub(crate) checks: Vec<Check>,
}

/// Checks `pattern` at build: compiled now, or for `validated` packs only parsed and
/// compiled when a message on the channel first needs it (most scans name no channel).
fn compile(
    pack: &RulePack,
    pattern: &str,
    what: &str,
    validated: bool,
) -> Result<LazyRegex, PackError> {
    LazyRegex::check(pattern, validated)
        .map(|(regex, _)| regex)
        .map_err(|e| PackError::Invalid {
            location: pack.locate(pattern),
            message: format!("{what}: invalid regex `{pattern}`: {e}"),
        })
}

/// Compiles the channel profiles of all packs; a later pack adds to an earlier one.
/// With `validated` (see `ScannerBuilder::packs_validated`) the patterns compile at
/// first use.
pub(crate) fn compile_all(
    packs: &[RulePack],
    validated: bool,
) -> Result<BTreeMap<String, Channel>, PackError> {
    let mut channels: BTreeMap<String, Channel> = BTreeMap::new();
    for pack in packs {
        for (name, def) in &pack.def().channels {
            let channel = channels.entry(name.clone()).or_default();
            channel.severity.extend(def.severity.clone());
            for pattern in &def.promotional {
                let what = format!("[channels.{name}] promotional");
                channel
                    .promotional
                    .push(compile(pack, pattern, &what, validated)?);
            }
            let checks = def
                .require
                .iter()
                .map(|c| (c, true))
                .chain(def.forbid.iter().map(|c| (c, false)));
            for (check, required) in checks {
                let category = check.id.split('.').next().unwrap_or_default();
                if !pack.def().categories.contains_key(category) {
                    return Err(PackError::Invalid {
                        location: pack.locate(&check.id),
                        message: format!(
                            "channel check `{}`: category `{category}` is not declared in [categories] of this pack",
                            check.id
                        ),
                    });
                }
                let what = format!("channel check `{}`", check.id);
                let patterns = check
                    .patterns
                    .iter()
                    .map(|p| compile(pack, p, &what, validated))
                    .collect::<Result<Vec<_>, _>>()?;
                channel.checks.push(Check {
                    def: check.clone(),
                    required,
                    patterns,
                    category: Arc::from(category),
                });
            }
        }
    }
    Ok(channels)
}

impl Channel {
    fn is_promotional(&self, text: &str) -> bool {
        self.promotional
            .iter()
            .any(|p| p.get().is_some_and(|re| re.is_match(text)))
    }

    /// Applies the profile to the findings of `text` (`field` names where they are):
    /// severity overrides, then `require` / `forbid` findings on `text`.
    pub(crate) fn apply(&self, text: &str, field: Option<&Arc<str>>, findings: &mut Vec<Finding>) {
        self.apply_severities(findings);
        self.check_elements(text, field, findings);
    }

    /// The channel's severity overrides (`off` removes the finding).
    pub(crate) fn apply_severities(&self, findings: &mut Vec<Finding>) {
        findings.retain_mut(|f| match self.severity.get(&*f.rule_id) {
            Some(ChannelSeverity::Off) => false,
            Some(ChannelSeverity::Notice) => {
                f.severity = Severity::Notice;
                true
            }
            Some(ChannelSeverity::Review) => {
                f.severity = Severity::Review;
                true
            }
            Some(ChannelSeverity::Block) => {
                f.severity = Severity::Block;
                true
            }
            None => true,
        });
    }

    /// Findings for required elements missing from `text` and forbidden ones in it.
    pub(crate) fn check_elements(
        &self,
        text: &str,
        field: Option<&Arc<str>>,
        findings: &mut Vec<Finding>,
    ) {
        let promotional = self.is_promotional(text);
        for check in &self.checks {
            if check.def.only_promotional && !promotional {
                continue;
            }
            let found = check
                .patterns
                .iter()
                .find_map(|p| p.get().and_then(|re| re.find(text)));
            let range = match (check.required, found) {
                (true, None) => {
                    // Missing: anchored where the element belongs (a signature at the
                    // start, anything else at the end), as an empty span.
                    let at = if check.def.patterns.iter().all(|p| p.starts_with('^')) {
                        0
                    } else {
                        text.len()
                    };
                    at..at
                }
                (false, Some(m)) => m.range(),
                _ => continue,
            };
            findings.push(Finding {
                rule_id: Arc::from(check.def.id.as_str()),
                category: Arc::clone(&check.category),
                severity: check.def.severity,
                message: Arc::from(check.def.message.as_str()),
                suggestion: check.def.suggestion.as_deref().map(Arc::from),
                basis: Arc::from(check.def.basis.as_str()),
                text: text[range.clone()].to_string(),
                span: Span::of(text, range),
                normalized: Vec::new(),
                field: field.cloned(),
            });
        }
    }
}
