//! Rule packs: the plain files (TOML or JSON) that compliance staff edit.
//!
//! A pack declares its categories, an optional variant table and a list of rules.
//! Every rule carries examples that must fire and examples that must pass.
//! Loading checks the schema strictly; compiling into a [`Scanner`](crate::Scanner)
//! checks what needs compiling (regexes). Every error names `path:line:column`.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::error::{Location, PackError};
use crate::finding::Severity;

/// Category id of the external-link checks.
pub const LINK_CATEGORY: &str = "external-link";

/// The schema of a pack file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackDef {
    /// Pack id, kebab-case (`induce-share`).
    pub id: String,
    /// Pack version (`2026.11.1` or semver).
    pub version: String,
    /// Human title, in Chinese.
    pub title: String,
    /// What the pack covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Categories used by the pack's rules, by category id.
    #[serde(default)]
    pub categories: BTreeMap<String, CategoryDef>,
    /// Evasion forms and what they stand for (`"薇信" = "微信"`), applied by the normaliser.
    #[serde(default)]
    pub variants: BTreeMap<String, String>,
    /// External-link policy (`[links]`): allow/deny lists, protected domains, shorteners,
    /// per-check severities. Present in at most one pack; its category is `external-link`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<hegui_url::Policy>,
    /// Channel profiles (`[channels.sms]`…): per-rule severities and required or
    /// forbidden elements on a channel.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub channels: BTreeMap<String, crate::channel::ChannelDef>,
    /// The rules.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleDef>,
}

/// A category as the platform sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CategoryDef {
    /// Chinese name (诱导分享).
    pub name: String,
    /// What the platform does to an account that breaks it (封禁群发功能7天…).
    pub consequence: String,
}

/// The kinds of rule. Each is compiled once when the scanner is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// A term list, with word boundaries, exceptions and negation.
    Terms,
    /// Regular expressions over the normalised text.
    Regex,
    /// Groups of terms that must all occur close together in one sentence.
    Near,
    /// If trigger terms occur, one of the required patterns must occur too.
    Requires,
}

impl RuleKind {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Terms => "terms",
            RuleKind::Regex => "regex",
            RuleKind::Near => "near",
            RuleKind::Requires => "requires",
        }
    }
}

/// How a term match must align with words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Boundary {
    /// Start and end must be word boundaries (jieba segmentation; ASCII word edges).
    Word,
    /// Any substring matches.
    Any,
}

/// One rule. Fields after `passes` belong to particular kinds; the loader rejects a
/// field that the rule's kind does not use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleDef {
    /// Stable id, `category.what-is-flagged`, kebab-case; the category must be declared.
    pub id: String,
    /// Rule kind.
    pub kind: RuleKind,
    /// Severity of its findings.
    pub severity: Severity,
    /// What is wrong, in Chinese.
    pub message: String,
    /// How to rewrite, in Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Legal or platform basis (《广告法》第九条).
    pub basis: String,
    /// Texts this rule must flag.
    #[serde(default)]
    pub fires: Vec<String>,
    /// Texts this rule must not flag.
    #[serde(default)]
    pub passes: Vec<String>,
    /// `terms`: the terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    /// `terms`, `near`, `requires`: word alignment of term matches
    /// (default `word` for `terms`, `any` for the others).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<Boundary>,
    /// Phrases that suppress a match they contain or overlap (`最近`, `第一次`); for
    /// `requires`, phrases that exempt the whole message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless: Vec<String>,
    /// Negation cues that suppress a match when they occur shortly before it in the same
    /// clause. Omitted: the default cues (不, 非, 禁止, 谨防…); `[]` turns negation off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negation: Option<Vec<String>>,
    /// `terms`, `regex`, `near`, `requires`: the rule fires only when one of these terms
    /// occurs in the message (for `requires`: a promotional word next to 理财, so that news
    /// about finance is not asked for a risk warning).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    /// `regex`: patterns (Rust `regex` syntax) matched against the normalised text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
    /// `near`: term groups; one term of every group must occur.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all_of: Vec<Vec<String>>,
    /// `near`: the furthest apart (in characters of normalised text, first start to
    /// last end) the groups may be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<usize>,
    /// `requires`: terms that put a message in the rule's context.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<String>,
    /// `requires`: distinct trigger terms needed (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_triggers: Option<usize>,
    /// `requires`: patterns of which one, with a single trigger, also puts the message in
    /// context (an amount or a rate next to 理财).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trigger_patterns: Vec<String>,
    /// `requires`: patterns of which at least one must occur in a message in context.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
}

impl RuleDef {
    /// The category id: the part of the rule id before the first dot.
    pub fn category(&self) -> &str {
        self.id.split('.').next().unwrap_or("")
    }

    /// The effective word-boundary mode.
    pub fn boundary(&self) -> Boundary {
        self.boundary.unwrap_or(match self.kind {
            RuleKind::Terms => Boundary::Word,
            _ => Boundary::Any,
        })
    }

    /// Fields set that the rule's kind does not use.
    fn stray_fields(&self) -> Vec<&'static str> {
        let kind = self.kind;
        let uses = |kinds: &[RuleKind]| kinds.contains(&kind);
        let mut stray = Vec::new();
        let mut check = |set: bool, name: &'static str, kinds: &[RuleKind]| {
            if set && !uses(kinds) {
                stray.push(name);
            }
        };
        use RuleKind::*;
        check(!self.terms.is_empty(), "terms", &[Terms]);
        check(
            self.boundary.is_some(),
            "boundary",
            &[Terms, Near, Requires],
        );
        check(self.negation.is_some(), "negation", &[Terms, Near, Regex]);
        check(
            !self.context.is_empty(),
            "context",
            &[Terms, Regex, Near, Requires],
        );
        check(!self.patterns.is_empty(), "patterns", &[Regex]);
        check(!self.all_of.is_empty(), "all-of", &[Near]);
        check(self.within.is_some(), "within", &[Near]);
        check(!self.triggers.is_empty(), "triggers", &[Requires]);
        check(self.min_triggers.is_some(), "min-triggers", &[Requires]);
        check(
            !self.trigger_patterns.is_empty(),
            "trigger-patterns",
            &[Requires],
        );
        check(!self.required.is_empty(), "required", &[Requires]);
        stray
    }

    /// The fields a kind cannot do without, with a reason when missing.
    fn missing_field(&self) -> Option<&'static str> {
        match self.kind {
            RuleKind::Terms if self.terms.is_empty() => Some("kind `terms` needs `terms = [...]`"),
            RuleKind::Regex if self.patterns.is_empty() => {
                Some("kind `regex` needs `patterns = [...]`")
            }
            RuleKind::Near if self.all_of.len() < 2 => {
                Some("kind `near` needs `all-of` with at least two groups")
            }
            RuleKind::Near if self.all_of.iter().any(Vec::is_empty) => {
                Some("kind `near` has an empty group in `all-of`")
            }
            RuleKind::Near if self.within.is_none() => Some("kind `near` needs `within`"),
            RuleKind::Requires if self.triggers.is_empty() => {
                Some("kind `requires` needs `triggers = [...]`")
            }
            RuleKind::Requires if self.required.is_empty() => {
                Some("kind `requires` needs `required = [...]`")
            }
            _ => None,
        }
    }
}

/// A loaded, schema-checked rule pack, with its source kept for error locations.
#[derive(Debug, Clone)]
pub struct RulePack {
    path: Arc<str>,
    source: Arc<str>,
    def: PackDef,
    /// Where things are in `source`, found once when first asked.
    places: OnceLock<Places>,
}

/// A rule's pack source, kept to locate the rule's strings when they are asked for
/// (`Rule::fires_at`): cheap to keep (shared), and nothing searched before then.
#[derive(Debug, Clone)]
pub(crate) struct RuleSource {
    path: Arc<str>,
    source: Arc<str>,
    line_starts: Arc<[usize]>,
    /// Where the rule's id is written.
    rule_at: usize,
}

impl RuleSource {
    /// The location of `value` (a string of the rule): its first occurrence after the
    /// rule's id, or the id's.
    pub(crate) fn value_location(&self, value: &str) -> Location {
        let rule_at = self.rule_at;
        let offset = self.source[rule_at..]
            .find(value)
            .map_or(rule_at, |i| rule_at + i);
        Location::in_lines(&self.path, &self.source, &self.line_starts, offset)
    }
}

/// Byte offsets in a pack's source: where each line starts, where each rule's id is.
#[derive(Debug, Clone)]
struct Places {
    line_starts: Arc<[usize]>,
    rule_ids: Vec<Option<usize>>,
}

impl Places {
    fn of(source: &str, rules: &[RuleDef]) -> Places {
        let line_starts = crate::error::line_starts(source).into();
        // Rules are written in order: each id is searched after the previous one, so
        // that a duplicate id finds its own occurrence and the search stays linear.
        let mut from = 0;
        let rule_ids = rules
            .iter()
            .map(|rule| {
                let at = find_quoted(source, &rule.id, from)
                    .or_else(|| find_quoted(source, &rule.id, 0))?;
                from = at + 1;
                Some(at)
            })
            .collect();
        Places {
            line_starts,
            rule_ids,
        }
    }
}

impl RulePack {
    /// Loads a pack from TOML text. `path` is only used in error messages.
    ///
    /// ```
    /// use hegui_core::RulePack;
    /// let err = RulePack::from_toml_str("p.toml", "id = \"p\"\nversion = 1\n").unwrap_err();
    /// assert!(err.to_string().starts_with("p.toml:2:11: "), "{err}");
    /// ```
    pub fn from_toml_str(path: &str, text: &str) -> Result<RulePack, PackError> {
        let path: Arc<str> = Arc::from(path);
        let def: PackDef = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            PackError::Invalid {
                location: Location::at(&path, text, offset),
                message: e.message().trim().to_string(),
            }
        })?;
        RulePack::validated(path, Arc::from(text), def)
    }

    /// Loads a pack from JSON text with the same schema as TOML.
    pub fn from_json_str(path: &str, text: &str) -> Result<RulePack, PackError> {
        let path: Arc<str> = Arc::from(path);
        let def: PackDef = serde_json::from_str(text).map_err(|e| PackError::Invalid {
            location: Location {
                path: Arc::clone(&path),
                line: e.line().max(1),
                column: e.column().max(1),
            },
            message: strip_json_position(&e.to_string()),
        })?;
        RulePack::validated(path, Arc::from(text), def)
    }

    /// A pack already parsed (`def`) from `source`, checked as a loaded one is: what
    /// the embedded default packs are made from.
    pub(crate) fn from_def(path: &str, source: &str, def: PackDef) -> Result<RulePack, PackError> {
        RulePack::validated(Arc::from(path), Arc::from(source), def)
    }

    /// Loads TOML or JSON, chosen by the path's extension (`.json` → JSON, else TOML).
    pub fn from_str_guess(path: &str, text: &str) -> Result<RulePack, PackError> {
        if path.to_ascii_lowercase().ends_with(".json") {
            RulePack::from_json_str(path, text)
        } else {
            RulePack::from_toml_str(path, text)
        }
    }

    /// The pack's path as given when it was loaded.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The parsed pack.
    pub fn def(&self) -> &PackDef {
        &self.def
    }

    /// The location of the first occurrence of `value` in the source (or of the start).
    pub(crate) fn locate(&self, value: &str) -> Location {
        let offset = find_quoted(&self.source, value, 0)
            .or_else(|| self.source.find(value))
            .unwrap_or(0);
        self.location(offset)
    }

    /// The location of a rule's id in the source.
    pub fn rule_location(&self, index: usize) -> Location {
        let offset = self.rule_offset(index).unwrap_or(0);
        self.location(offset)
    }

    fn places(&self) -> &Places {
        self.places
            .get_or_init(|| Places::of(&self.source, &self.def.rules))
    }

    /// The location of byte `offset` of the source.
    fn location(&self, offset: usize) -> Location {
        Location::in_lines(&self.path, &self.source, &self.places().line_starts, offset)
    }

    /// Byte offset of rule `index`'s id in the source. When earlier rules have the same
    /// id (a duplicate), the occurrence after theirs.
    fn rule_offset(&self, index: usize) -> Option<usize> {
        *self.places().rule_ids.get(index)?
    }

    /// The location of `value` (a string of rule `index`) in the source, or of the rule.
    pub fn value_location(&self, index: usize, value: &str) -> Location {
        self.rule_source(index).value_location(value)
    }

    /// What locating the strings of rule `index` needs, to keep for later.
    pub(crate) fn rule_source(&self, index: usize) -> RuleSource {
        RuleSource {
            path: Arc::clone(&self.path),
            source: Arc::clone(&self.source),
            line_starts: Arc::clone(&self.places().line_starts),
            rule_at: self.rule_offset(index).unwrap_or(0),
        }
    }

    /// An error about rule `index`, located at `value` when given.
    pub(crate) fn rule_error(
        &self,
        index: usize,
        value: Option<&str>,
        message: String,
    ) -> PackError {
        let location = match value {
            Some(value) => self.value_location(index, value),
            None => self.rule_location(index),
        };
        PackError::Rule {
            location,
            rule_id: self.def.rules[index].id.clone(),
            message,
        }
    }

    fn validated(path: Arc<str>, source: Arc<str>, def: PackDef) -> Result<RulePack, PackError> {
        let pack = RulePack {
            path,
            source,
            def,
            places: OnceLock::new(),
        };
        pack.validate()?;
        Ok(pack)
    }

    fn validate(&self) -> Result<(), PackError> {
        let invalid = |needle: &str, message: String| PackError::Invalid {
            location: self.location(self.source.find(needle).unwrap_or(0)),
            message,
        };
        if !is_kebab(&self.def.id) {
            return Err(invalid(
                &self.def.id,
                format!("pack id `{}` must be kebab-case", self.def.id),
            ));
        }
        for id in self.def.categories.keys() {
            if !is_kebab(id) {
                return Err(invalid(
                    id,
                    format!("category id `{id}` must be kebab-case"),
                ));
            }
        }
        for (key, target) in &self.def.variants {
            if key.trim().is_empty() || target.trim().is_empty() {
                return Err(invalid(
                    key,
                    "a variant and its target must not be empty".into(),
                ));
            }
        }
        if let Some(links) = &self.def.links {
            if let Err(e) = links.validate() {
                return Err(invalid("[links]", format!("[links]: {e}")));
            }
            if !self.def.categories.contains_key(LINK_CATEGORY) {
                return Err(invalid(
                    "[links]",
                    format!("[links] needs [categories.{LINK_CATEGORY}] in the same pack"),
                ));
            }
        }
        let mut seen = HashSet::new();
        for (index, rule) in self.def.rules.iter().enumerate() {
            self.validate_rule(index, rule)?;
            if !seen.insert(rule.id.as_str()) {
                return Err(self.rule_error(index, None, "duplicate rule id in this pack".into()));
            }
        }
        Ok(())
    }

    fn validate_rule(&self, index: usize, rule: &RuleDef) -> Result<(), PackError> {
        let error = |message: String| self.rule_error(index, None, message);
        let mut parts = rule.id.splitn(2, '.');
        let (category, what) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if !is_kebab(category) || what.is_empty() || !what.split('.').all(is_kebab) {
            return Err(error(
                "rule id must be `category.what-is-flagged` in kebab-case".into(),
            ));
        }
        if !self.def.categories.contains_key(category) {
            return Err(error(format!(
                "category `{category}` is not declared in [categories] of this pack"
            )));
        }
        if rule.message.trim().is_empty() || rule.basis.trim().is_empty() {
            return Err(error("`message` and `basis` must not be empty".into()));
        }
        let stray = rule.stray_fields();
        if !stray.is_empty() {
            return Err(error(format!(
                "field(s) {} not used by kind `{}`",
                stray
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                rule.kind.as_str()
            )));
        }
        if let Some(reason) = rule.missing_field() {
            return Err(error(reason.to_string()));
        }
        let all_terms = rule
            .terms
            .iter()
            .chain(rule.all_of.iter().flatten())
            .chain(&rule.triggers)
            .chain(&rule.unless)
            .chain(&rule.context);
        for term in all_terms {
            if term.trim().is_empty() {
                return Err(error("terms must not be empty strings".into()));
            }
        }
        if rule.within == Some(0) || rule.min_triggers == Some(0) {
            return Err(error(
                "`within` and `min-triggers` must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

/// Finds `"value"` or `'value'` in `source` from `from`.
fn find_quoted(source: &str, value: &str, from: usize) -> Option<usize> {
    let rest = source.get(from..)?;
    [format!("\"{value}\""), format!("'{value}'")]
        .iter()
        .filter_map(|needle| rest.find(needle.as_str()).map(|i| from + i + 1))
        .min()
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// serde_json appends " at line L column C", which our location already says.
fn strip_json_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
id = "demo"
version = "1"
title = "演示"

[categories.exaggeration]
name = "虚假宣传"
consequence = "限制消息传播范围"

[[rule]]
id = "exaggeration.absolute-term"
kind = "terms"
severity = "review"
message = "使用绝对化用语"
basis = "《广告法》第九条"
terms = ["最佳"]
"#;

    #[test]
    fn loads_a_minimal_pack() {
        let pack = RulePack::from_toml_str("demo.toml", MINIMAL).expect("loads");
        assert_eq!(pack.def().rules.len(), 1);
        assert_eq!(pack.def().rules[0].category(), "exaggeration");
        assert_eq!(pack.def().rules[0].boundary(), Boundary::Word);
        assert_eq!(pack.rule_location(0).to_string(), "demo.toml:11:7");
    }

    #[test]
    fn json_with_the_same_schema_loads() {
        let def = RulePack::from_toml_str("demo.toml", MINIMAL)
            .expect("loads")
            .def;
        let json = serde_json::to_string_pretty(&def).expect("serialises");
        let pack = RulePack::from_json_str("demo.json", &json).expect("loads");
        assert_eq!(pack.def(), &def);
    }

    fn error_of(text: &str) -> String {
        RulePack::from_toml_str("p.toml", text)
            .expect_err("must fail")
            .to_string()
    }

    #[test]
    fn unknown_fields_are_errors_with_a_location() {
        let text = MINIMAL.replace("basis =", "colour = \"red\"\nbasis =");
        let err = error_of(&text);
        assert!(err.starts_with("p.toml:15:1: "), "{err}");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn wrong_types_are_errors_with_a_location() {
        let err = error_of(&MINIMAL.replace("\"review\"", "3"));
        assert!(err.starts_with("p.toml:13:12: "), "{err}");
    }

    #[test]
    fn undeclared_category_names_the_rule() {
        let err = error_of(&MINIMAL.replace("exaggeration.absolute-term", "finance.x"));
        assert_eq!(
            err,
            "p.toml:11:7: rule `finance.x`: category `finance` is not declared in [categories] of this pack"
        );
    }

    #[test]
    fn fields_of_other_kinds_are_rejected() {
        let err = error_of(&MINIMAL.replace("terms = [", "within = 3\nterms = ["));
        assert!(err.contains("`within` not used by kind `terms`"), "{err}");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let rule = &MINIMAL[MINIMAL.find("[[rule]]").expect("rule")..];
        let err = error_of(&format!("{MINIMAL}\n{rule}"));
        assert!(err.contains("duplicate rule id"), "{err}");
    }

    #[test]
    fn a_duplicate_id_is_located_at_the_duplicate() {
        let rule = &MINIMAL[MINIMAL.find("[[rule]]").expect("rule")..];
        let text = format!("{MINIMAL}\n{rule}");
        let second = text.rfind("\"exaggeration.absolute-term\"").expect("twice");
        let line = text[..second].matches('\n').count() + 1;
        let err = error_of(&text);
        assert!(err.starts_with(&format!("p.toml:{line}:7: ")), "{err}");
        assert!(err.contains("duplicate rule id"), "{err}");
    }

    #[test]
    fn bad_ids_are_rejected() {
        let err = error_of(&MINIMAL.replace("exaggeration.absolute-term", "exaggeration.Absolute"));
        assert!(err.contains("kebab-case"), "{err}");
    }

    #[test]
    fn json_errors_have_locations() {
        let err = RulePack::from_json_str("p.json", "{\n  \"id\": 1\n}")
            .expect_err("fails")
            .to_string();
        assert!(err.starts_with("p.json:2:"), "{err}");
    }
}
