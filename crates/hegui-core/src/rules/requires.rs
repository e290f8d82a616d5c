//! `requires`: when a message is in the rule's context (trigger terms), at least one of
//! the required patterns must occur in it — a risk warning next to 理财, an APR next to
//! 日息. Otherwise one finding, anchored on the first trigger: the disclosure is missing.

use super::regex::PatternSet;
use super::{RawFinding, ScanContext};
use crate::error::PackError;
use crate::matcher::{Role, RoleHit};
use crate::pack::{Boundary, RulePack};

#[derive(Debug)]
pub(crate) struct RequiresRule {
    min_triggers: usize,
    trigger_patterns: Option<PatternSet>,
    required: PatternSet,
    boundary: Boundary,
}

impl RequiresRule {
    /// Compiles the rule; `validated`: the pack is known to compile (see
    /// [`RegexRegistry::deferred`](super::RegexRegistry::deferred)).
    pub(super) fn compile(
        pack: &RulePack,
        index: usize,
        validated: bool,
    ) -> Result<RequiresRule, PackError> {
        let def = &pack.def().rules[index];
        let trigger_patterns = if def.trigger_patterns.is_empty() {
            None
        } else {
            Some(PatternSet::new(
                pack,
                index,
                &def.trigger_patterns,
                validated,
            )?)
        };
        Ok(RequiresRule {
            min_triggers: def.min_triggers.unwrap_or(1),
            trigger_patterns,
            required: PatternSet::new(pack, index, &def.required, validated)?,
            boundary: def.boundary(),
        })
    }

    pub(super) fn evaluate(
        &self,
        index: usize,
        ctx: &mut ScanContext<'_>,
        hits: &[RoleHit],
        out: &mut Vec<RawFinding>,
    ) {
        if hits.iter().any(|h| h.role == Role::Unless) {
            return;
        }
        let mut triggers: Vec<&RoleHit> = Vec::new();
        for hit in hits.iter().filter(|h| h.role == Role::Trigger) {
            if self.boundary == Boundary::Any || ctx.word_aligned(hit.range()) {
                triggers.push(hit);
            }
        }
        let Some(first) = triggers.first() else {
            return;
        };
        let mut distinct: Vec<u32> = triggers.iter().map(|h| h.pattern).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let in_context = distinct.len() >= self.min_triggers
            || self
                .trigger_patterns
                .as_ref()
                .is_some_and(|set| set.is_match(ctx.text));
        if in_context && !self.required.is_match(ctx.text) {
            out.push(RawFinding {
                rule: index,
                range: first.range(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{flagged_texts, scanner_with};

    const RULE: &str = r#"
[[rule]]
id = "finance.missing-risk-warning"
kind = "requires"
severity = "review"
message = "缺少风险提示"
basis = "银发〔2019〕316号"
triggers = ["理财", "基金", "收益"]
min-triggers = 2
trigger-patterns = ['\d+(\.\d+)?%']
required = ['投资(需|须)谨慎', '有风险']
"#;

    fn flagged(text: &str) -> Vec<String> {
        flagged_texts(&scanner_with(RULE), text)
    }

    #[test]
    fn fires_when_context_lacks_the_disclosure() {
        assert_eq!(flagged("稳健理财，年化收益高"), vec!["理财"]);
        assert_eq!(flagged("新基金上线，年化4.5%"), vec!["基金"]);
    }

    #[test]
    fn context_words_restrict_the_rule_to_promotions() {
        let rule = format!("{RULE}context = [\"欢迎咨询\", \"认购\"]\n");
        let scanner = scanner_with(&rule);
        let flagged = |text: &str| scanner.scan(text).findings.len();
        assert_eq!(flagged("新基金上线，年化4.5%，欢迎咨询"), 1);
        assert_eq!(flagged("新基金上线，年化4.5%"), 0);
        assert_eq!(flagged("新基金上线，年化4.5%，欢迎咨询。投资须谨慎"), 0);
    }

    #[test]
    fn passes_with_disclosure_or_without_context() {
        assert!(flagged("稳健理财，年化收益高。理财非存款，产品有风险，投资须谨慎").is_empty());
        assert!(flagged("理财课程报名").is_empty());
    }
}
