//! `near`: one term of every group within `within` characters in one sentence
//! (a share action + a reward: 转发…领红包).
//!
//! The finding covers the whole combination, from the first group term to the last.

use super::{push_leftmost_longest, CompiledRule, Exceptions, RawFinding, ScanContext};
use crate::chars::is_sentence_break;
use crate::matcher::{Role, RoleHit};
use crate::pack::RuleDef;

#[derive(Debug)]
pub(crate) struct NearRule {
    groups: usize,
    within: usize,
}

/// A group hit that passed the context checks.
#[derive(Debug, Clone, Copy)]
struct GroupHit {
    group: u16,
    start: usize,
    end: usize,
}

impl NearRule {
    pub(super) fn compile(def: &RuleDef) -> NearRule {
        NearRule {
            groups: def.all_of.len(),
            within: def.within.unwrap_or(1),
        }
    }

    pub(super) fn evaluate(
        &self,
        rule: &CompiledRule,
        index: usize,
        ctx: &mut ScanContext<'_>,
        hits: &[RoleHit],
        unless: &Exceptions,
        out: &mut Vec<RawFinding>,
    ) {
        let mut seen = vec![false; self.groups];
        for hit in hits {
            if let Role::Group(g) = hit.role {
                seen[g as usize] = true;
            }
        }
        if !seen.iter().all(|&s| s) {
            return;
        }
        let mut group_hits = Vec::new();
        for hit in hits {
            if let Role::Group(group) = hit.role {
                if !unless.overlap(&hit.range())
                    && (rule.boundary == crate::pack::Boundary::Any
                        || ctx.word_aligned(hit.range()))
                {
                    group_hits.push(GroupHit {
                        group,
                        start: hit.start as usize,
                        end: hit.end as usize,
                    });
                }
            }
        }
        let windows = self.windows(ctx.text, &group_hits);
        let accepted = windows.into_iter().filter(|w| {
            rule.negation
                .as_ref()
                .is_none_or(|n| !n.negates(ctx.text, w.start))
        });
        push_leftmost_longest(index, accepted, out);
    }

    /// Windows (sorted by start) holding one hit of every group, within one sentence and
    /// at most `within` characters wide. `hits` are sorted by start.
    ///
    /// Only the hits that start within `4 × within` bytes of an anchor are looked at: a
    /// character takes at most four bytes, so a hit starting further away cannot end
    /// within `within` characters of it. (Looking at every later hit, and counting the
    /// characters up to each, took time cubic in the hits of a long message.)
    fn windows(&self, text: &str, hits: &[GroupHit]) -> Vec<std::ops::Range<usize>> {
        let mut windows = Vec::new();
        for (i, anchor) in hits.iter().enumerate() {
            let reach = anchor.start.saturating_add(4 * self.within);
            let near = &hits[i..hits[i..].partition_point(|h| h.start < reach) + i];
            // The sentence's end, or the reach when the sentence goes on past it.
            let sentence_end = text[anchor.start..]
                .char_indices()
                .take_while(|&(j, _)| anchor.start + j < reach)
                .find(|&(_, c)| is_sentence_break(c))
                .map_or(text.len(), |(j, _)| anchor.start + j);
            let fits = |end: usize| text[anchor.start..end].chars().count() <= self.within;
            let mut end = anchor.end;
            let mut complete = true;
            for group in 0..self.groups as u16 {
                if group == anchor.group {
                    continue;
                }
                let earliest = near
                    .iter()
                    .filter(|h| h.group == group && h.start < sentence_end)
                    .map(|h| h.end)
                    .min();
                match earliest {
                    Some(e) => end = end.max(e),
                    None => {
                        complete = false;
                        break;
                    }
                }
            }
            if !complete || !fits(end) {
                continue;
            }
            // Take in the rest of the combination (转发…领取红包): later group terms of the
            // same sentence that still fit in the distance.
            for h in near {
                if h.start < sentence_end && h.end > end && fits(h.end) {
                    end = h.end;
                }
            }
            windows.push(anchor.start..end);
        }
        windows
    }
}

#[cfg(test)]
mod tests {
    use super::{GroupHit, NearRule};
    use crate::chars::is_sentence_break;
    use crate::testing::{flagged_texts, scanner_with};

    /// The windows as first written: every later hit looked at, the sentence's end found
    /// over the whole text (cubic in the hits of a long message).
    fn windows_everywhere(
        rule: &NearRule,
        text: &str,
        hits: &[GroupHit],
    ) -> Vec<std::ops::Range<usize>> {
        let mut windows = Vec::new();
        for (i, anchor) in hits.iter().enumerate() {
            let sentence_end = text[anchor.start..]
                .char_indices()
                .find(|&(_, c)| is_sentence_break(c))
                .map_or(text.len(), |(j, _)| anchor.start + j);
            let fits = |end: usize| text[anchor.start..end].chars().count() <= rule.within;
            let mut end = anchor.end;
            let mut complete = true;
            for group in 0..rule.groups as u16 {
                if group == anchor.group {
                    continue;
                }
                match hits[i..]
                    .iter()
                    .filter(|h| h.group == group && h.start < sentence_end)
                    .map(|h| h.end)
                    .min()
                {
                    Some(e) => end = end.max(e),
                    None => {
                        complete = false;
                        break;
                    }
                }
            }
            if !complete || !fits(end) {
                continue;
            }
            for h in &hits[i..] {
                if h.start < sentence_end && h.end > end && fits(h.end) {
                    end = h.end;
                }
            }
            windows.push(anchor.start..end);
        }
        windows
    }

    #[test]
    fn windows_look_only_near_each_anchor_and_find_the_same() {
        // Texts of one- to four-byte characters with sentence breaks, and hits of two or
        // three groups (some overlapping, some long), sorted by start as the matcher gives
        // them; pseudo-random but fixed.
        let alphabet = ['转', '发', 'a', '。', '，', '😀', 'é', '领', '!', ' '];
        let mut next = crate::testing::numbers(0x2545_f491_4f6c_dd1d);
        for case in 0..400 {
            let text: String = (0..next(300) + 1)
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let mut hits: Vec<GroupHit> = (0..next(60))
                .map(|_| {
                    let from = next(bounds.len() - 1);
                    let long = next(10) == 0;
                    let to = (from + 1 + next(if long { 40 } else { 4 })).min(bounds.len() - 1);
                    GroupHit {
                        group: next(3) as u16,
                        start: bounds[from],
                        end: bounds[to],
                    }
                })
                .collect();
            hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
            for (groups, within) in [(2, 1), (2, 5), (3, 12), (2, 40)] {
                let rule = NearRule { groups, within };
                let hits: Vec<GroupHit> = hits
                    .iter()
                    .filter(|h| (h.group as usize) < groups)
                    .copied()
                    .collect();
                assert_eq!(
                    rule.windows(&text, &hits),
                    windows_everywhere(&rule, &text, &hits),
                    "case {case}: {groups} groups within {within} in {text:?}"
                );
            }
        }
    }

    const RULE: &str = r#"
[[rule]]
id = "induce-share.reward-for-share"
kind = "near"
severity = "block"
message = "以奖励诱导分享"
basis = "《微信外部链接内容管理规范》"
all-of = [["转发", "分享"], ["红包", "领取", "奖励"]]
within = 20
unless = ["经验分享"]
"#;

    fn flagged(text: &str) -> Vec<String> {
        flagged_texts(&scanner_with(RULE), text)
    }

    #[test]
    fn fires_when_all_groups_are_close() {
        assert_eq!(
            flagged("转发本文到朋友圈，即可领取红包"),
            vec!["转发本文到朋友圈，即可领取红包"]
        );
        assert_eq!(flagged("红包等你拿，快分享"), vec!["红包等你拿，快分享"]);
    }

    #[test]
    fn needs_one_sentence_and_the_distance() {
        assert!(flagged("欢迎转发。红包封面大赛开始了").is_empty());
        assert!(flagged("转发这篇关于城市交通与公共空间规划的长文章之后可以领取").is_empty());
        assert!(flagged("经验分享：如何领取退税").is_empty());
    }

    #[test]
    fn catches_split_and_traditional_forms() {
        assert_eq!(
            flagged("轉*發給好友，領取紅包"),
            vec!["轉*發給好友，領取紅包"]
        );
    }
}
