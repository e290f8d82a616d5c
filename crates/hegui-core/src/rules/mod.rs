//! Rule kinds. Each kind compiles its part of a pack once, when the scanner is built,
//! and evaluates the dictionary hits of one message.
//!
//! Shared context logic lives here: exceptions (`unless`), negation cues, word
//! boundaries and the choice of leftmost-longest, non-overlapping matches.

mod anchors;
mod near;
mod regex;
mod requires;
mod terms;

use std::ops::Range;

use crate::chars::is_clause_break;
use crate::error::PackError;
use crate::matcher::{DictionaryBuilder, Role, RoleHit};
use crate::normalize::{holds_kept_ascii, Normalizer};
use crate::pack::{Boundary, RuleDef, RuleKind, RulePack};
use crate::segment::{is_word_aligned, BoundaryCache, Segmenter};

pub(crate) use self::anchors::Frequency;
pub(crate) use self::regex::{LazyRegex, RegexRegistry};

/// Cues that negate or quote a claim rather than make it (不保本, 谨防"稳赚不赔").
const DEFAULT_NEGATION_CUES: &[&str] = &[
    "不", "非", "无法", "禁止", "严禁", "并非", "谨防", "警惕", "切勿", "违规", "违法", "杜绝",
    "没有", "未", "拒绝", "防止",
];

/// Words that start with a cue but negate nothing (非常好, 不要错过…).
const NOT_NEGATIONS: &[&str] = &[
    "非常",
    "不错",
    "不少",
    "不断",
    "不仅",
    "不过",
    "不同",
    "不要错过",
    "不容错过",
    "不可错过",
    "不停",
    "不限",
    "未来",
    "不止",
    "无不",
    "不但",
    "不管",
    "不论",
    "非凡",
    "不二",
];

/// How many characters may stand between a negation cue and the match it negates.
const NEGATION_WINDOW: usize = 4;

/// A match in the normalised text, before it is mapped back to the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawFinding {
    pub(crate) rule: usize,
    pub(crate) range: Range<usize>,
}

/// Per-message state shared by the rules.
#[derive(Debug)]
pub(crate) struct ScanContext<'a> {
    pub(crate) text: &'a str,
    pub(crate) segmenter: Option<&'a Segmenter>,
    pub(crate) cache: BoundaryCache,
}

impl ScanContext<'_> {
    pub(crate) fn word_aligned(&mut self, range: Range<usize>) -> bool {
        is_word_aligned(self.segmenter, self.text, range, &mut self.cache)
    }
}

/// Negation cues of one rule, normalised.
#[derive(Debug, Clone)]
pub(crate) struct Negation {
    cues: Vec<String>,
    /// The cues' first characters, one bit each by the low bits of the code point: a
    /// position whose character has no bit set starts no cue.
    firsts: [u64; FIRSTS_WORDS],
}

/// Size of [`Negation::firsts`]: 2^12 bits (512 bytes), so that a few dozen cues set
/// few of them.
const FIRSTS_BITS: u32 = 12;
const FIRSTS_WORDS: usize = (1 << FIRSTS_BITS) / 64;

/// The bit of [`Negation::firsts`] for `c`.
fn first_bit(c: char) -> usize {
    (c as usize) & ((1 << FIRSTS_BITS) - 1)
}

impl Negation {
    fn compile(def: &RuleDef, normalizer: &Normalizer) -> Option<Negation> {
        let cues: Vec<String> = match &def.negation {
            Some(cues) => cues.iter().map(|c| normalize(normalizer, c)).collect(),
            None => DEFAULT_NEGATION_CUES
                .iter()
                .map(|c| (*c).to_string())
                .collect(),
        };
        let cues: Vec<String> = cues.into_iter().filter(|c| !c.is_empty()).collect();
        if cues.is_empty() {
            return None;
        }
        let mut firsts = [0u64; FIRSTS_WORDS];
        for first in cues.iter().filter_map(|cue| cue.chars().next()) {
            crate::chars::set_bit(&mut firsts, first_bit(first));
        }
        Some(Negation { cues, firsts })
    }

    /// Whether a cue ends at most `NEGATION_WINDOW` characters before `start`, in the
    /// same clause, and is not part of a word that negates nothing.
    pub(crate) fn negates(&self, text: &str, start: usize) -> bool {
        let mut from = start;
        for (count, (i, c)) in text[..start].char_indices().rev().enumerate() {
            if is_clause_break(c) || count >= NEGATION_WINDOW + 3 {
                break;
            }
            from = i;
        }
        // The window is a dozen characters: comparing each cue at each position is
        // cheaper than building a substring searcher per cue (perf: it was), and only
        // where the character there may begin one (5,900 instructions a call before).
        let window = &text[from..start];
        window.char_indices().any(|(i, c)| {
            if !crate::chars::bit(&self.firsts, first_bit(c)) {
                return false;
            }
            let at = from + i;
            self.cues.iter().any(|cue| {
                window[i..].starts_with(cue.as_str()) && {
                    let gap = text[at + cue.len()..start].chars().count();
                    gap <= NEGATION_WINDOW
                        && !NOT_NEGATIONS.iter().any(|w| text[at..].starts_with(w))
                }
            })
        })
    }
}

/// The compiled form of one rule.
#[derive(Debug)]
pub(crate) struct CompiledRule {
    kind: Kind,
    boundary: Boundary,
    negation: Option<Negation>,
    needs_context: bool,
}

#[derive(Debug)]
enum Kind {
    Terms,
    Regex,
    Near(near::NearRule),
    Requires(requires::RequiresRule),
}

/// Everything rules register while compiling.
pub(crate) struct Registries<'a> {
    pub(crate) dictionary: &'a mut DictionaryBuilder,
    pub(crate) regexes: &'a mut RegexRegistry,
    pub(crate) normalizer: &'a Normalizer,
}

impl CompiledRule {
    /// Whether a negation cue of the rule holds the ASCII character of punctuation that
    /// the scan form keeps full-width (see `Normalizer::with_scan_form`): cues are
    /// compared with the text byte for byte, and would not be found in that form.
    pub(crate) fn compares_kept_punctuation(&self) -> bool {
        (self.negation.as_ref())
            .is_some_and(|negation| negation.cues.iter().any(|c| holds_kept_ascii(c)))
    }

    /// Compiles rule `index` of `pack` as rule number `rule` of the scanner.
    pub(crate) fn compile(
        pack: &RulePack,
        index: usize,
        rule: usize,
        reg: &mut Registries<'_>,
    ) -> Result<CompiledRule, PackError> {
        let def = &pack.def().rules[index];
        let mut add = |literals: &[String], role: Role| -> Result<(), PackError> {
            for literal in literals {
                let normalized = normalize(reg.normalizer, literal);
                if normalized.is_empty() {
                    return Err(pack.rule_error(
                        index,
                        Some(literal),
                        format!("term {literal:?} is empty after normalisation"),
                    ));
                }
                reg.dictionary.add(normalized, rule, role);
            }
            Ok(())
        };
        add(&def.terms, Role::Term)?;
        add(&def.unless, Role::Unless)?;
        add(&def.context, Role::Context)?;
        add(&def.triggers, Role::Trigger)?;
        for (group, terms) in def.all_of.iter().enumerate() {
            add(terms, Role::Group(group as u16))?;
        }
        let kind = match def.kind {
            RuleKind::Terms => Kind::Terms,
            RuleKind::Regex => {
                reg.regexes.register(pack, index, rule)?;
                Kind::Regex
            }
            RuleKind::Near => Kind::Near(near::NearRule::compile(def)),
            RuleKind::Requires => Kind::Requires(requires::RequiresRule::compile(
                pack,
                index,
                reg.regexes.is_deferred(),
            )?),
        };
        Ok(CompiledRule {
            kind,
            boundary: def.boundary(),
            negation: Negation::compile(def, reg.normalizer),
            needs_context: !def.context.is_empty(),
        })
    }

    /// Evaluates the rule on one message. `hits` are this rule's dictionary hits,
    /// sorted by start then longest first; `patterns` the indexes of its regexes that
    /// matched.
    #[inline]
    pub(crate) fn evaluate(
        &self,
        rule: usize,
        ctx: &mut ScanContext<'_>,
        hits: &[RoleHit],
        regexes: &RegexRegistry,
        out: &mut Vec<RawFinding>,
    ) {
        if self.needs_context && !hits.iter().any(|h| h.role == Role::Context) {
            return;
        }
        let unless = Exceptions::of(hits);
        match &self.kind {
            Kind::Terms => terms::evaluate(self, rule, ctx, hits, &unless, out),
            Kind::Regex => regexes.evaluate(self, rule, ctx, hits, &unless, out),
            Kind::Near(near) => near.evaluate(self, rule, ctx, hits, &unless, out),
            Kind::Requires(requires) => requires.evaluate(rule, ctx, hits, out),
        }
    }

    /// Whether a candidate passes the shared context checks: not inside an exception,
    /// not negated, and word-aligned when the rule asks for it.
    fn accepts(&self, ctx: &mut ScanContext<'_>, range: Range<usize>, unless: &Exceptions) -> bool {
        if unless.overlap(&range) {
            return false;
        }
        if let Some(negation) = &self.negation {
            if negation.negates(ctx.text, range.start) {
                return false;
            }
        }
        self.boundary == Boundary::Any || ctx.word_aligned(range)
    }
}

/// Where a rule's `unless` phrases occur, to ask of each candidate in logarithmic time
/// whether one overlaps it. (Asked by scanning all of the rule's hits, a message with
/// thousands of candidates took time quadratic in them.)
#[derive(Debug, Default)]
struct Exceptions {
    /// Starts of the `unless` hits, ascending (hits come sorted by start).
    starts: Vec<u32>,
    /// `ends[i]`: the furthest end among the first `i + 1` of them.
    ends: Vec<u32>,
}

impl Exceptions {
    /// The `unless` hits among a rule's `hits` (sorted by start); none allocates nothing.
    fn of(hits: &[RoleHit]) -> Exceptions {
        let mut unless = Exceptions::default();
        for hit in hits.iter().filter(|h| h.role == Role::Unless) {
            debug_assert!(unless.starts.last().is_none_or(|&s| s <= hit.start));
            let furthest = unless.ends.last().map_or(hit.end, |&e| e.max(hit.end));
            unless.starts.push(hit.start);
            unless.ends.push(furthest);
        }
        unless
    }

    /// Whether an `unless` phrase of the rule overlaps `range`.
    fn overlap(&self, range: &Range<usize>) -> bool {
        let before_end = self.starts.partition_point(|&s| (s as usize) < range.end);
        before_end > 0 && self.ends[before_end - 1] as usize > range.start
    }
}

/// Keeps the leftmost-longest non-overlapping ranges of `candidates` (sorted by start,
/// longest first) and records them.
fn push_leftmost_longest(
    rule: usize,
    candidates: impl IntoIterator<Item = Range<usize>>,
    out: &mut Vec<RawFinding>,
) {
    let mut last_end = 0;
    for range in candidates {
        if range.start >= last_end && range.start < range.end {
            last_end = range.end;
            out.push(RawFinding { rule, range });
        }
    }
}

pub(crate) fn normalize(normalizer: &Normalizer, text: &str) -> String {
    normalizer.normalize(text).as_str().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_overlap_as_a_scan_of_every_hit_says() {
        // Hits sorted by start (then longest first), some of them `unless`: nested,
        // overlapping, touching, empty-free; every range over the span is asked.
        let mut numbers = crate::testing::numbers(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: u32| numbers(n as usize) as u32;
        for _ in 0..300 {
            let mut hits: Vec<RoleHit> = (0..next(12))
                .map(|_| {
                    let start = next(40);
                    let long = next(4) == 0;
                    RoleHit {
                        rule: 0,
                        role: if next(3) == 0 {
                            Role::Unless
                        } else {
                            Role::Term
                        },
                        pattern: 0,
                        start,
                        end: start + 1 + next(if long { 30 } else { 4 }),
                    }
                })
                .collect();
            hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
            let unless = Exceptions::of(&hits);
            for start in 0..75 {
                for end in start + 1..76 {
                    let range = start..end;
                    let scanned = hits.iter().any(|h| {
                        h.role == Role::Unless
                            && (h.start as usize) < range.end
                            && range.start < h.end as usize
                    });
                    assert_eq!(unless.overlap(&range), scanned, "{range:?} in {hits:?}");
                }
            }
        }
    }

    fn negation() -> Negation {
        let def: RuleDef = toml::from_str(
            "id='a.b'\nkind='terms'\nseverity='block'\nmessage='m'\nbasis='b'\nterms=['x']",
        )
        .expect("parses");
        Negation::compile(&def, &Normalizer::default()).expect("default cues")
    }

    fn negated(text: &str, term: &str) -> bool {
        let at = text.find(term).expect("term");
        negation().negates(text, at)
    }

    #[test]
    fn negation_cues_close_before_the_term() {
        assert!(negated("本产品不保本", "保本"));
        assert!(negated("非保本浮动收益", "保本"));
        assert!(negated("广告法禁止使用'最佳'", "最佳"));
        assert!(negated("谨防'稳赚不赔'骗局", "稳赚不赔"));
    }

    #[test]
    fn words_that_negate_nothing_are_not_cues() {
        assert!(!negated("非常实惠的全网最低价", "全网最低价"));
        assert!(!negated("不要错过全网最低价", "全网最低价"));
        assert!(!negated("不买也没关系,保本理财", "保本"));
        assert!(!negated("不同凡响,最佳", "最佳"));
    }
}
