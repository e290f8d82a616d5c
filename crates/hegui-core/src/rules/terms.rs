//! `terms`: a term list with word boundaries, exceptions (`unless`) and negation.
//!
//! A term fires where it occurs in the normalised text, unless an exception phrase of
//! the rule overlaps it (`最近` over `最`, `第一次` over `第一`), a negation cue stands
//! shortly before it (`不保本`), or — with `boundary = "word"` — it does not align with
//! jieba's words. Overlapping terms of one rule give one finding, the leftmost-longest.

use super::{push_leftmost_longest, CompiledRule, Exceptions, RawFinding, ScanContext};
use crate::matcher::{Role, RoleHit};

pub(super) fn evaluate(
    rule: &CompiledRule,
    index: usize,
    ctx: &mut ScanContext<'_>,
    hits: &[RoleHit],
    unless: &Exceptions,
    out: &mut Vec<RawFinding>,
) {
    let mut candidates = Vec::new();
    for hit in hits.iter().filter(|h| h.role == Role::Term) {
        if rule.accepts(ctx, hit.range(), unless) {
            candidates.push(hit.range());
        }
    }
    push_leftmost_longest(index, candidates, out);
}

#[cfg(test)]
mod tests {
    use crate::testing::{flagged_texts, scanner_with};

    const RULE: &str = r#"
[[rule]]
id = "exaggeration.absolute-term"
kind = "terms"
severity = "review"
message = "绝对化用语"
basis = "《广告法》第九条"
terms = ["最", "最佳", "第一", "全网最低价", "最低价", "no.1"]
unless = ["最近", "第一次", "最佳赏味期"]
"#;

    fn flagged(text: &str) -> Vec<String> {
        flagged_texts(&scanner_with(RULE), text)
    }

    #[test]
    fn fires_on_terms_in_claim_position() {
        assert_eq!(flagged("本店全网最低价"), vec!["全网最低价"]);
        assert_eq!(flagged("销量第一的品牌"), vec!["第一"]);
        assert_eq!(flagged("品质NO.1"), vec!["NO.1"]);
    }

    #[test]
    fn exceptions_and_words_suppress() {
        assert!(flagged("我最近第一次来北京").is_empty());
        assert!(flagged("最佳赏味期为30天").is_empty());
        assert!(flagged("这不是最佳选择").is_empty());
    }

    #[test]
    fn evasions_are_caught_at_their_original_span() {
        assert_eq!(flagged("全 网 最 低 价"), vec!["全 网 最 低 价"]);
        assert_eq!(flagged("全網最低價"), vec!["全網最低價"]);
        assert_eq!(flagged("品质ＮＯ．１"), vec!["ＮＯ．１"]);
    }
}
