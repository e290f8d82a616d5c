//! `regex`: patterns (Rust `regex` syntax, case-insensitive) over the normalised text.
//!
//! All patterns of all regex rules go into one `RegexSet`, which tells in one pass which
//! patterns match a message; only those run again to find their positions.

use ::regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use super::{push_leftmost_longest, CompiledRule, RawFinding, ScanContext};
use crate::error::PackError;
use crate::matcher::RoleHit;
use crate::pack::RulePack;

/// Compiled size limit of one pattern; a pattern over it is a pack error, not a slow scan.
const PATTERN_SIZE_LIMIT: usize = 2 << 20;
/// Compiled size limit of the set of all patterns.
const SET_SIZE_LIMIT: usize = 64 << 20;
/// Cache of the set's lazy DFA. The default (2 MiB) is too small for dozens of Unicode
/// patterns with bounded repeats: the cache was cleared again and again and rebuilding
/// DFA states took half of the scan time (perf). 32 MiB keeps the states of ordinary
/// text; memory grows only as states are built.
const SET_DFA_CACHE: usize = 32 << 20;

/// Compiles one pattern with the engine's settings, naming the rule on error.
fn compile_one(pack: &RulePack, index: usize, pattern: &str) -> Result<Regex, PackError> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map_err(|e| pack.rule_error(index, Some(pattern), format!("invalid regex: {e}")))
}

/// Compiles `patterns` of rule `index` into a set (validating each one first, so that
/// an error names the pattern).
pub(super) fn compile_set(
    pack: &RulePack,
    index: usize,
    patterns: &[String],
) -> Result<RegexSet, PackError> {
    for pattern in patterns {
        compile_one(pack, index, pattern)?;
    }
    RegexSetBuilder::new(patterns)
        .case_insensitive(true)
        .size_limit(SET_SIZE_LIMIT)
        .build()
        .map_err(|e| pack.rule_error(index, None, format!("invalid regex set: {e}")))
}

/// The patterns of all `regex` rules of a scanner.
#[derive(Debug, Default)]
pub(crate) struct RegexRegistry {
    sources: Vec<String>,
    regexes: Vec<Regex>,
    /// Scanner rule index of each pattern.
    owners: Vec<usize>,
    set: Option<RegexSet>,
}

impl RegexRegistry {
    /// Compiles and registers the patterns of rule `index` of `pack` (scanner rule `rule`).
    pub(super) fn register(
        &mut self,
        pack: &RulePack,
        index: usize,
        rule: usize,
    ) -> Result<(), PackError> {
        for pattern in &pack.def().rules[index].patterns {
            let regex = compile_one(pack, index, pattern)?;
            self.sources.push(pattern.clone());
            self.regexes.push(regex);
            self.owners.push(rule);
        }
        Ok(())
    }

    /// Builds the set once all rules are registered.
    pub(crate) fn finish(&mut self) -> Result<(), String> {
        if self.sources.is_empty() {
            return Ok(());
        }
        let set = RegexSetBuilder::new(&self.sources)
            .case_insensitive(true)
            .size_limit(SET_SIZE_LIMIT)
            .dfa_size_limit(SET_DFA_CACHE)
            .build()
            .map_err(|e| format!("the regex patterns of all rules together are too large: {e}"))?;
        self.set = Some(set);
        Ok(())
    }

    /// Scanner rule indexes whose patterns match `text`, sorted and unique.
    pub(crate) fn matching_rules(&self, text: &str, out: &mut Vec<usize>) {
        if let Some(set) = &self.set {
            out.extend(set.matches(text).into_iter().map(|p| self.owners[p]));
        }
    }

    pub(super) fn evaluate(
        &self,
        rule: &CompiledRule,
        index: usize,
        ctx: &mut ScanContext<'_>,
        hits: &[RoleHit],
        out: &mut Vec<RawFinding>,
    ) {
        let mut candidates = Vec::new();
        let first = self.owners.partition_point(|&o| o < index);
        for regex in self.regexes[first..]
            .iter()
            .zip(&self.owners[first..])
            .take_while(|(_, &o)| o == index)
            .map(|(r, _)| r)
        {
            for m in regex.find_iter(ctx.text) {
                if !m.range().is_empty() && rule.accepts(ctx, m.range(), hits) {
                    candidates.push(m.range());
                }
            }
        }
        candidates.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        push_leftmost_longest(index, candidates, out);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{pack_with, scanner_with};

    const RULE: &str = r#"
[[rule]]
id = "induce-share.threat"
kind = "regex"
severity = "block"
message = "以威胁或情绪胁迫诱导转发"
basis = "《微信外部链接内容管理规范》"
patterns = ['不转.{0,6}不是中国人', '转发.{0,4}(保平安|有好运)']
negation = []
"#;

    fn flagged(text: &str) -> Vec<String> {
        scanner_with(RULE)
            .scan(text)
            .findings
            .into_iter()
            .map(|f| f.text)
            .collect()
    }

    #[test]
    fn patterns_match_normalised_text() {
        assert_eq!(flagged("不转不是中国人！"), vec!["不转不是中国人"]);
        assert_eq!(
            flagged("不 转 就 不 是 中 国 人"),
            vec!["不 转 就 不 是 中 国 人"]
        );
        assert_eq!(flagged("轉發保平安"), vec!["轉發保平安"]);
        assert!(flagged("转发给朋友看看").is_empty());
    }

    #[test]
    fn invalid_patterns_name_the_rule_and_place() {
        let err = pack_with(&RULE.replace("保平安|有好运)", "保平安"))
            .expect_err("invalid")
            .to_string();
        assert!(
            err.contains("rule `induce-share.threat`: invalid regex"),
            "{err}"
        );
        assert!(err.starts_with("test.toml:"), "{err}");
    }

    #[test]
    fn huge_patterns_are_rejected() {
        let err = pack_with(&RULE.replace("'不转.{0,6}不是中国人'", "'\\w{1000}\\w{1000}'"))
            .expect_err("too big")
            .to_string();
        assert!(err.contains("invalid regex"), "{err}");
    }
}
