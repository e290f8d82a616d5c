//! The JavaScript shapes of reports and packs (camelCase, UTF-16 offsets), and pack
//! loading from JS strings. Target-independent, so native tests cover it.

use std::collections::BTreeMap;

use hegui_core::{PackError, PackInfo, Report, RulePack, Severity, Step, Verdict};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::wasm_bindgen;

/// A finding as JavaScript sees it: offsets in UTF-16 code units of the scanned string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsFinding {
    /// Rule id.
    pub rule_id: String,
    /// Category id.
    pub category: String,
    /// Severity.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// How to rewrite.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Legal or platform basis.
    pub basis: String,
    /// The flagged text.
    pub text: String,
    /// Start in UTF-16 code units.
    pub start: usize,
    /// End in UTF-16 code units (exclusive).
    pub end: usize,
    /// Normalisation steps the match needed.
    pub normalized: Vec<Step>,
}

/// What `Scanner::verdict` returns: a string enum, which crosses to JavaScript as a
/// number that the glue maps to its string (no string is copied out of the module and
/// decoded for each message). Its TypeScript type is `Verdict`.
#[wasm_bindgen(skip_typescript)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictName {
    Pass = "pass",
    Notice = "notice",
    Review = "review",
    Block = "block",
}

impl From<Verdict> for VerdictName {
    fn from(verdict: Verdict) -> VerdictName {
        match verdict {
            Verdict::Pass => VerdictName::Pass,
            Verdict::Notice => VerdictName::Notice,
            Verdict::Review => VerdictName::Review,
            Verdict::Block => VerdictName::Block,
        }
    }
}

/// A report as JavaScript sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsReport {
    /// The highest severity, or pass.
    pub verdict: Verdict,
    /// Findings, sorted as in the native report.
    pub findings: Vec<JsFinding>,
}

impl JsReport {
    /// Converts a native report.
    pub fn new(report: &Report) -> JsReport {
        let findings = report
            .findings
            .iter()
            .map(|f| JsFinding {
                rule_id: f.rule_id.to_string(),
                category: f.category.to_string(),
                severity: f.severity,
                message: f.message.to_string(),
                suggestion: f.suggestion.as_deref().map(str::to_string),
                basis: f.basis.to_string(),
                text: f.text.clone(),
                start: f.span.utf16[0],
                end: f.span.utf16[1],
                normalized: f.normalized.clone(),
            })
            .collect();
        JsReport {
            verdict: report.verdict,
            findings,
        }
    }
}

/// A category as JavaScript sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsCategory {
    /// Chinese name.
    pub name: String,
    /// Platform consequence.
    pub consequence: String,
}

/// A pack as JavaScript sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsPack {
    /// Pack id.
    pub id: String,
    /// Pack version.
    pub version: String,
    /// Title.
    pub title: String,
    /// Path it was loaded from.
    pub path: String,
    /// Number of rules.
    pub rules: usize,
    /// Categories by id.
    pub categories: BTreeMap<String, JsCategory>,
}

impl JsPack {
    /// Converts a native pack description.
    pub fn new(info: &PackInfo) -> JsPack {
        JsPack {
            id: info.id.to_string(),
            version: info.version.to_string(),
            title: info.title.clone(),
            path: info.path.clone(),
            rules: info.rules,
            categories: info
                .categories
                .iter()
                .map(|(id, c)| {
                    let category = JsCategory {
                        name: c.name.clone(),
                        consequence: c.consequence.clone(),
                    };
                    (id.clone(), category)
                })
                .collect(),
        }
    }
}

/// A pack given from JavaScript: its text, or its text with a name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum PackSource {
    /// TOML text, or JSON when it starts with `{`.
    Text(String),
    /// Text with the path used in error messages (`.json` is read as JSON).
    Named {
        /// Name for error messages.
        path: String,
        /// TOML or JSON text.
        text: String,
    },
}

impl PackSource {
    fn load(&self, index: usize) -> Result<RulePack, PackError> {
        match self {
            PackSource::Text(text) if text.trim_start().starts_with('{') => {
                RulePack::from_json_str(&format!("packs[{index}]"), text)
            }
            PackSource::Text(text) => RulePack::from_toml_str(&format!("packs[{index}]"), text),
            PackSource::Named { path, text } => RulePack::from_str_guess(path, text),
        }
    }
}

/// A channel messages can be scanned in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsChannel {
    /// Channel id (`sms`, `wechat_mass`, `mp_article`, `moments`, or one a pack defines).
    pub id: String,
    /// Chinese name, when a pack gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether a pack has a profile for it (severities, required or forbidden elements).
    pub profile: bool,
}

/// A scanner with the channels its packs know.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The scanner.
    pub scanner: hegui_core::Scanner,
    /// The standard channels, then those only the packs define.
    pub channels: Vec<JsChannel>,
}

/// Compiles packs into a scanner.
/// Compiles `packs`; `validated`: they are the embedded default packs, whose regexes
/// `cargo test` compiles, so they compile at first use ([`packs_validated`]).
///
/// [`packs_validated`]: hegui_core::ScannerBuilder::packs_validated
pub(crate) fn compile(packs: Vec<RulePack>, validated: bool) -> Result<Compiled, PackError> {
    let mut channels: Vec<JsChannel> = hegui_core::CHANNELS
        .iter()
        .map(|id| JsChannel {
            id: id.to_string(),
            name: None,
            profile: false,
        })
        .collect();
    for (id, def) in packs.iter().flat_map(|p| &p.def().channels) {
        let index = match channels.iter().position(|c| &c.id == id) {
            Some(index) => index,
            None => {
                channels.push(JsChannel {
                    id: id.clone(),
                    name: None,
                    profile: false,
                });
                channels.len() - 1
            }
        };
        channels[index].profile = true;
        if channels[index].name.is_none() {
            channels[index].name = def.name.clone();
        }
    }
    let mut builder = hegui_core::Scanner::builder()
        .packs(packs)
        .packs_validated(validated);
    if let Some(dict) = crate::boundary_dictionary() {
        builder = builder.boundary_dictionary(dict);
    }
    let scanner = builder.build()?;
    Ok(Compiled { scanner, channels })
}

/// Loads and compiles packs given from JavaScript.
pub(crate) fn build(sources: Vec<PackSource>) -> Result<Compiled, PackError> {
    let packs = sources
        .iter()
        .enumerate()
        .map(|(i, source)| source.load(i))
        .collect::<Result<Vec<_>, _>>()?;
    compile(packs, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r#"
id = "demo"
version = "1"
title = "演示"
[categories.induce-share]
name = "诱导分享"
consequence = "封禁"
[[rule]]
id = "induce-share.reward-for-forward"
kind = "near"
severity = "block"
message = "以奖励诱导用户转发"
basis = "规范"
all-of = [["转发"], ["红包"]]
within = 10
"#;

    /// The verdict's names are written three times: `Verdict::as_str` (the reports'
    /// JSON), the string enum that `Scanner::verdict` returns, and the TypeScript type.
    /// They must agree, and the severities' with their TypeScript type.
    #[test]
    fn verdict_names_agree_in_all_three_places() {
        let verdicts = [
            Verdict::Pass,
            Verdict::Notice,
            Verdict::Review,
            Verdict::Block,
        ];
        for verdict in verdicts {
            let name = VerdictName::from(verdict).to_str();
            assert_eq!(name, verdict.as_str());
            assert_eq!(serde_json::to_value(verdict).expect("json"), name);
        }
        let severities = [Severity::Notice, Severity::Review, Severity::Block];
        for severity in severities {
            assert_eq!(
                serde_json::to_value(severity).expect("json"),
                severity.as_str()
            );
        }
        let declared = |name: &str, values: Vec<&str>| {
            let values: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
            format!("export type {name} = {};", values.join(" | "))
        };
        for declared in [
            declared("Verdict", verdicts.map(Verdict::as_str).to_vec()),
            declared("Severity", severities.map(Severity::as_str).to_vec()),
        ] {
            assert!(
                include_str!("lib.rs").contains(&declared),
                "lib.rs should declare {declared}"
            );
        }
    }

    #[test]
    fn findings_carry_utf16_offsets() {
        let scanner = build(vec![PackSource::Text(PACK.into())])
            .expect("pack")
            .scanner;
        // An astral character before the match: 2 UTF-16 units, 1 char, 4 bytes.
        let text = "𠀀转发领红包";
        let report = JsReport::new(&scanner.scan(text));
        assert_eq!(report.verdict, Verdict::Block);
        let finding = &report.findings[0];
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let slice = String::from_utf16(&utf16[finding.start..finding.end]).expect("utf16");
        assert_eq!(slice, finding.text);
        assert_eq!((finding.start, finding.end), (2, 7));
        let json = serde_json::to_value(finding).expect("json");
        assert_eq!(json["ruleId"], "induce-share.reward-for-forward");
        assert!(json.get("suggestion").is_none());
    }

    #[test]
    fn json_and_toml_packs_load_and_errors_name_the_pack() {
        let def = RulePack::from_toml_str("x", PACK)
            .expect("pack")
            .def()
            .clone();
        let json = serde_json::to_string(&def).expect("json");
        let scanner = build(vec![
            PackSource::Text(json),
            PackSource::Named {
                path: "b.toml".into(),
                text: PACK
                    .replace("id = \"demo\"", "id = \"b\"")
                    .replace("reward-for-forward", "reward-for-share"),
            },
        ])
        .expect("packs")
        .scanner;
        let packs: Vec<JsPack> = scanner.packs().iter().map(JsPack::new).collect();
        assert_eq!(packs[0].path, "packs[0]");
        assert_eq!(packs[1].path, "b.toml");
        assert_eq!(packs[0].categories["induce-share"].name, "诱导分享");

        let err = build(vec![PackSource::Text("id = 1".into())]).expect_err("bad pack");
        assert!(err.to_string().starts_with("packs[0]:1:6: "), "{err}");
        assert_eq!(build(vec![]).expect_err("none"), PackError::NoPacks);
    }

    #[test]
    fn channels_are_the_standard_ones_and_the_packs_profiles() {
        let compiled = compile(hegui_core::default_packs(), true).expect("default packs");
        let ids: Vec<&str> = compiled.channels.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(&ids[..4], hegui_core::CHANNELS);
        let sms = &compiled.channels[0];
        assert!(sms.profile && sms.name.is_some(), "{sms:?}");
        let report = compiled
            .scanner
            .scan_in("双11全场5折，点击领券", Some("sms"))
            .expect("sms");
        assert!(JsReport::new(&report)
            .findings
            .iter()
            .any(|f| f.rule_id == "channel.sms-opt-out"));
    }

    #[test]
    fn default_packs_report_the_same_verdict() {
        let scanner = hegui_core::Scanner::with_default_packs();
        let text = "转发本文到朋友圈，即可领取红包";
        let native = scanner.scan(text);
        let js = JsReport::new(&native);
        assert_eq!(js.verdict, native.verdict);
        assert_eq!(js.findings.len(), native.findings.len());
    }
}
