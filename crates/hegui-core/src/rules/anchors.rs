//! Required literals of a regex ("anchors"): sets of strings such that every match of
//! the pattern contains at least one string of each set.
//!
//! The scanner puts the anchors of every `regex` pattern into its one dictionary
//! automaton and runs a pattern only on messages where each of its anchor sets occurs.
//! Most messages contain none, so most messages never touch a regex engine. A pattern
//! without a usable anchor set (one that can match an empty string, or starts only
//! with broad classes) runs on every message, as before.
//!
//! A concatenation has an anchor set per required part: `(销量|全国|…)(第一|no1)` needs
//! one of the first words *and* one of the second, so a message with 全国 alone (17 %
//! of the corpus's messages had one of the first words) does not run it.
//!
//! Which sets the dictionary searches and which are only checked in the messages that
//! hold the others ([`place`]) is decided by how often their words occur, when the
//! boundary dictionary's word frequencies are known: every occurrence of a
//! dictionary set's word costs the search, in every message, so the rarest set goes
//! there (`买入|加仓|…` rather than `建议|可以|…`, `第一|no1` rather than
//! `中国|世界|全国|…`). Without frequencies, the longer literals are taken for the rarer.

use regex_syntax::hir::{Class, Hir, HirKind};

use crate::normalize::{holds_kept_ascii, is_kept_full_width};

/// At most this many anchors per set (a cross product of small classes grows fast).
/// The longest alternation of the default packs, `最` and its hundred-odd qualities,
/// fits: with 64 its pattern was anchored on `最` alone and ran 9,700 times a pass
/// over the corpus, 6 % of them matching.
const MAX_ANCHORS: usize = 128;
/// At most this many sets per pattern in the dictionary, the most selective ones.
const MAX_SETS: usize = 3;
/// With word frequencies, a set after the rarest goes into the dictionary only if its
/// words' frequencies add up to no more than this (jieba's counts: `可以` 70,958,
/// `就是` 9,283, `第一` 17,725, `买入` 213); the others are checked. Over the corpus,
/// the dictionary then compares 79,139 literal occurrences a pass instead of 163,549,
/// with the same findings; putting only the rarest set there (a limit of 0) searched
/// 0.5 % more instructions.
const FURTHER_SET_LIMIT: usize = 20_000;
/// At most this many further sets checked in the text (see [`Anchors::checks`]).
const MAX_CHECKS: usize = 4;
/// A class with more characters than this is too broad to anchor on.
const MAX_CLASS_CHARS: usize = 16;

/// A set of literals every match contains; `exact` when the literals are the whole
/// match (so adjacent exact sets can be joined into longer literals).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Required {
    literals: Vec<String>,
    exact: bool,
}

impl Required {
    fn exact(literals: Vec<String>) -> Self {
        Required {
            literals,
            exact: true,
        }
    }

    /// How selective the set is: longer shortest literal first (capped: beyond four
    /// Chinese characters it hardly matters), then fewer literals.
    fn score(&self) -> (usize, std::cmp::Reverse<usize>) {
        let shortest = self.literals.iter().map(String::len).min().unwrap_or(0);
        (shortest.min(12), std::cmp::Reverse(self.literals.len()))
    }
}

/// What a pattern requires of a text: literal sets such that every match contains a
/// literal of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Anchors {
    /// The sets the dictionary searches for, most selective first: the pattern runs
    /// only on messages where each occurs.
    pub(crate) sets: Vec<Vec<String>>,
    /// Further required sets that are too common for the dictionary (single
    /// characters such as `赞` or `送|就|领`, whose every occurrence it would compare):
    /// a message with the dictionary's sets is searched for them, a few substring
    /// searches, before the pattern runs. `集…赞…(送|就|…)` ran on every message with
    /// `集`, 2,000 times a pass over the corpus, and matched none.
    pub(crate) checks: Vec<Vec<String>>,
}

/// The anchor sets of `pattern` as the regex engine compiles it (case-insensitive),
/// most selective first, or `None` when the pattern has no usable anchor set and must
/// run on every message.
///
/// Sound by construction: every rule below only ever claims a literal set that each
/// match of the sub-expression contains.
#[cfg(test)]
pub(crate) fn anchors(pattern: &str) -> Option<Vec<Vec<String>>> {
    Some(place(candidates(&parse(pattern).ok()?)?, None)?.sets)
}

/// Every set `pattern` requires ([`candidates`]): whichever of them [`place`] takes,
/// in the dictionary or as checks, every match holds a literal of each.
#[cfg(test)]
pub(crate) fn required_sets(pattern: &str) -> Option<Vec<Vec<String>>> {
    candidates(&parse(pattern).ok()?)
}

/// Parses `pattern` as the regex engine does (case-insensitive).
pub(crate) fn parse(pattern: &str) -> Result<Hir, Box<regex_syntax::Error>> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .map_err(Box::new)
}

/// Every literal set a parsed pattern requires, the longer literals first (see
/// [`Required::score`]), or `None` when it requires none: every match contains a
/// literal of each.
pub(crate) fn candidates(hir: &Hir) -> Option<Vec<Vec<String>>> {
    let mut top = hir;
    while let HirKind::Capture(capture) = top.kind() {
        top = &capture.sub;
    }
    let mut candidates = match top.kind() {
        HirKind::Concat(parts) => concat_candidates(parts).0,
        _ => vec![required(top)?],
    };
    // Most selective first; equal scores keep the pattern's order.
    candidates.sort_by_key(|c| std::cmp::Reverse(c.score()));
    // A one-byte anchor (`%`, a digit) would make the pattern run on most messages;
    // that is still correct, and no worse than running it always.
    let usable = |literals: Vec<String>| {
        let mut literals: Vec<String> = literals.into_iter().map(without_kept).collect();
        literals.sort();
        literals.dedup();
        (!literals.is_empty() && literals.iter().all(|l| !l.is_empty())).then_some(literals)
    };
    let sets: Vec<Vec<String>> = candidates
        .into_iter()
        .filter_map(|c| usable(c.literals))
        .collect();
    (!sets.is_empty()).then_some(sets)
}

/// How often a word occurs: its frequency in the boundary dictionary, `None` when it
/// is not one of its words.
pub(crate) type Frequency<'f> = &'f dyn Fn(&str) -> Option<usize>;

/// Splits a pattern's `candidates` (as [`candidates`] gives them) between the
/// dictionary's sets and the checks. The first set goes to the dictionary; a further
/// one too when all its literals have two characters or more (a single character's
/// every occurrence would be compared), up to [`MAX_SETS`]; then up to [`MAX_CHECKS`]
/// checks. With `frequency`, the sets are taken rarest first ([`occurrences`]), and a
/// further set goes to the dictionary only if it is rare as well
/// ([`FURTHER_SET_LIMIT`]). Sets beyond the limits are left out: any of them is sound.
pub(crate) fn place(candidates: Vec<Vec<String>>, frequency: Option<Frequency>) -> Option<Anchors> {
    let mut ranked: Vec<(usize, Vec<String>)> = candidates
        .into_iter()
        .map(|set| (frequency.map_or(0, |f| occurrences(&set, f)), set))
        .collect();
    // Rarest first; equal estimates (all of them without frequencies) keep the order
    // of the longer literals.
    ranked.sort_by_key(|&(rarity, _)| rarity);
    let (mut sets, mut checks) = (Vec::new(), Vec::new());
    for (i, (rarity, set)) in ranked.into_iter().enumerate() {
        let words = set.iter().all(|l| l.chars().nth(1).is_some());
        if i == 0 || words && rarity <= FURTHER_SET_LIMIT && sets.len() < MAX_SETS {
            sets.push(set);
        } else if checks.len() < MAX_CHECKS {
            checks.push(set);
        }
    }
    (!sets.is_empty()).then_some(Anchors { sets, checks })
}

/// How often a set's literals occur together, estimated from `frequency`: the sum of
/// their estimates. A literal that is no word of the dictionary is estimated by its
/// kind: one ASCII character (a digit, `%`) occurs in most messages; another single
/// character, one the dictionary does not hold, is rare; so is a Chinese phrase that
/// is no word (`不转`, `个赞`); an ASCII string of two or more (`vip`, `no`) is taken
/// to be as common as a common word.
fn occurrences(set: &[String], frequency: Frequency) -> usize {
    set.iter()
        .map(|literal| {
            frequency(literal).unwrap_or_else(|| {
                let mut chars = literal.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if c.is_ascii() => 1_000_000,
                    _ if literal.is_ascii() => 10_000,
                    _ => 100,
                }
            })
        })
        .fold(0, usize::saturating_add)
}

/// `literal`, or its longest piece between ASCII punctuation that the scan form keeps
/// full-width (`最好,` → `最好`; see `Normalizer::with_scan_form`), which every match
/// holds as well: anchors are searched in the text as scanned, where `,` may be `，`.
/// (The pattern itself matches both alike.) An empty piece makes the set unusable.
fn without_kept(literal: String) -> String {
    if !holds_kept_ascii(&literal) {
        return literal;
    }
    let is_kept = |c: char| u8::try_from(c).is_ok_and(is_kept_full_width);
    let longest = literal.split(is_kept).max_by_key(|piece| piece.len());
    longest.unwrap_or_default().to_string()
}

fn required(hir: &Hir) -> Option<Required> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(literal) => {
            let text = std::str::from_utf8(&literal.0).ok()?;
            Some(Required::exact(vec![text.to_owned()]))
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut chars = Vec::new();
            for range in class.iter() {
                let count = (range.end() as u32 - range.start() as u32) as usize + 1;
                if chars.len() + count > MAX_CLASS_CHARS {
                    return None;
                }
                chars.extend((range.start()..=range.end()).map(String::from));
            }
            (!chars.is_empty()).then(|| Required::exact(chars))
        }
        HirKind::Class(Class::Bytes(_)) => None,
        HirKind::Repetition(repetition) => {
            if repetition.min == 0 {
                return None;
            }
            let inner = required(&repetition.sub)?;
            let exact = inner.exact && repetition.min == 1 && repetition.max == Some(1);
            Some(Required {
                literals: inner.literals,
                exact,
            })
        }
        HirKind::Capture(capture) => required(&capture.sub),
        HirKind::Concat(parts) => concat(parts),
        HirKind::Alternation(branches) => {
            let mut literals = Vec::new();
            let mut exact = true;
            for branch in branches {
                let branch = required(branch)?;
                exact &= branch.exact;
                literals.extend(branch.literals);
                if literals.len() > MAX_ANCHORS {
                    return None;
                }
            }
            Some(Required { literals, exact })
        }
    }
}

/// The best anchor set of a concatenation: runs of adjacent exact parts are joined
/// (`最` then `(佳|优)` gives `最佳`, `最优`), and the most selective candidate wins.
fn concat(parts: &[Hir]) -> Option<Required> {
    let (candidates, all_exact) = concat_candidates(parts);
    let mut best: Option<Required> = None;
    for candidate in candidates {
        consider(candidate, &mut best);
    }
    best.map(|mut b| {
        b.exact &= all_exact;
        b
    })
}

/// Every anchor set of a concatenation (each required of every match: one per run of
/// adjacent exact parts and one per other part that has one), and whether all parts
/// were exact and joined into one run.
fn concat_candidates(parts: &[Hir]) -> (Vec<Required>, bool) {
    let mut candidates = Vec::new();
    let mut run: Option<Vec<String>> = None;
    let mut all_exact = true;
    for part in parts {
        let part = required(part);
        match part {
            Some(part) if part.exact => {
                run = Some(match run.take() {
                    None => part.literals,
                    Some(prefixes) => match join(&prefixes, &part.literals) {
                        Some(joined) => joined,
                        None => {
                            // Too many combinations: keep the run so far as a candidate
                            // and start a new one here.
                            all_exact = false;
                            candidates.push(Required::exact(prefixes));
                            part.literals
                        }
                    },
                });
            }
            other => {
                all_exact = false;
                if let Some(prefixes) = run.take() {
                    candidates.push(Required::exact(prefixes));
                }
                if let Some(part) = other {
                    candidates.push(part);
                }
            }
        }
    }
    if let Some(prefixes) = run.take() {
        candidates.push(Required::exact(prefixes));
    }
    (candidates, all_exact)
}

fn consider(candidate: Required, best: &mut Option<Required>) {
    if best.as_ref().is_none_or(|b| candidate.score() > b.score()) {
        *best = Some(candidate);
    }
}

/// Every prefix followed by every suffix, or `None` above [`MAX_ANCHORS`].
fn join(prefixes: &[String], suffixes: &[String]) -> Option<Vec<String>> {
    if prefixes.len() * suffixes.len() > MAX_ANCHORS {
        return None;
    }
    Some(
        prefixes
            .iter()
            .flat_map(|p| suffixes.iter().map(move |s| format!("{p}{s}")))
            .collect(),
    )
}

/// The first match of `regex` in `text` that contains none of the anchors of one of
/// `sets`: the property the tests below check never exists.
#[cfg(test)]
fn match_without_anchor<'t>(
    regex: &::regex::Regex,
    sets: &[Vec<String>],
    text: &'t str,
) -> Option<&'t str> {
    regex.find_iter(text).map(|m| m.as_str()).find(|m| {
        sets.iter()
            .any(|set| !set.iter().any(|a| m.contains(a.as_str())))
    })
}

#[cfg(test)]
mod tests {
    use super::{
        anchors, candidates, match_without_anchor, parse, place, required_sets, Frequency,
    };

    fn anchored(pattern: &str) -> Vec<Vec<String>> {
        anchors(pattern).unwrap_or_else(|| panic!("{pattern} has anchors"))
    }

    #[test]
    fn joins_literal_runs_and_alternations() {
        assert_eq!(anchored("最(佳|优)"), [["最优", "最佳"]]);
        assert_eq!(
            anchored("不转.{0,6}不是中国人"),
            [vec!["不是中国人"], vec!["不转"]]
        );
        assert_eq!(
            anchored("(推荐|介绍)[^!?]{0,20}(奖励|红包)"),
            [["介绍", "推荐"], ["奖励", "红包"]]
        );
    }

    #[test]
    fn every_required_part_gives_a_set() {
        // The ranking pattern of the default packs: a prefix word and 第一 / no1 / top1.
        let sets = anchored("(销量|全国|中国)(排名|排行)?(第一|no\\.?1|top\\.?1)");
        assert_eq!(sets.len(), 2, "{sets:?}");
        assert_eq!(sets[0], ["中国", "全国", "销量"]);
        assert!(
            sets[1].contains(&"第一".to_string()) && sets[1].contains(&"no".to_string()),
            "{sets:?}"
        );
        // Sets of single characters are left to the first set, and checked after it.
        assert_eq!(anchored("(转发|分享)[^。]{0,9}(送|领)"), [["分享", "转发"]]);
        assert_eq!(anchored("集[\\dx]+个赞"), [["个赞"]]);
        let all = |p| required_sets(p).unwrap_or_else(|| panic!("{p} has anchors"));
        assert_eq!(
            all("(转发|分享)[^。]{0,9}(送|领)"),
            [vec!["分享", "转发"], vec!["送", "领"]]
        );
        assert_eq!(
            all("集(满|齐)?[\\dx]+个?赞[^。]{0,20}?(送|就|免费)"),
            [vec!["集"], vec!["赞"], vec!["免费", "就", "送"]]
        );
    }

    #[test]
    fn word_frequencies_put_the_rarest_set_in_the_dictionary() {
        let counts = [
            ("建议", 27_436),
            ("可以", 70_958),
            ("买入", 213),
            ("加仓", 7),
        ];
        let frequency = |word: &str| counts.iter().find(|c| c.0 == word).map(|c| c.1);
        let frequency: Frequency = &frequency;
        let placed = |pattern: &str, frequency| {
            let candidates = candidates(&parse(pattern).expect("valid")).expect("anchored");
            let anchors = place(candidates, frequency).expect("a set");
            (anchors.sets, anchors.checks)
        };
        let sets = |sets: &[&[&str]]| -> Vec<Vec<String>> {
            sets.iter()
                .map(|set| set.iter().map(|l| l.to_string()).collect())
                .collect()
        };
        let pattern = "(建议|可以)[^。]{0,12}(买入|加仓)";
        // Without frequencies both sets are searched, in the pattern's order.
        assert_eq!(
            placed(pattern, None),
            (sets(&[&["可以", "建议"], &["买入", "加仓"]]), sets(&[]))
        );
        // With them, the rare buy words are searched and the common advice words are
        // only checked in the messages that hold one.
        assert_eq!(
            placed(pattern, Some(frequency)),
            (sets(&[&["买入", "加仓"]]), sets(&[&["可以", "建议"]]))
        );
        // A further set that is rare too is searched as well. A phrase that is no word
        // (`不转`) counts as rarer than the words; one ASCII character as common.
        assert_eq!(
            placed("不转.{0,6}(买入|加仓)", Some(frequency)),
            (sets(&[&["不转"], &["买入", "加仓"]]), sets(&[]))
        );
        assert_eq!(
            placed("(买入|可以)[^。]{0,9}%", Some(frequency)),
            (sets(&[&["买入", "可以"]]), sets(&[&["%"]]))
        );
    }

    #[test]
    fn case_insensitive_letters_give_every_case() {
        let set = &anchored("内部(vip)?群|no\\.?1")[0];
        assert!(set.contains(&"内部".to_string()), "{set:?}");
        assert!(set.contains(&"NO".to_string()) && set.contains(&"no".to_string()));
    }

    #[test]
    fn patterns_that_can_match_anything_short_have_none() {
        assert_eq!(anchors("[\\dx]+%?"), None);
        assert_eq!(anchors("a*"), None);
        assert_eq!(anchors("^"), None);
        assert_eq!(anchors("(最|\\w+)"), None);
        assert_eq!(anchors("("), None);
    }

    #[test]
    fn anchors_are_sound_on_examples() {
        // Every match contains an anchor.
        let cases = [
            ("最好(的|吃|[!,.。]|$)", "这是最好的"),
            ("[036][\\dx]{5}[^。]{0,12}(启涨|主升浪?)", "600519明天主升"),
            ("(一|[\\dx]+|两)个?(天|周)(就|内)?(见效|根治)", "3天见效"),
            (
                "集(满|齐)?[\\dx一二]+个?赞[^。]{0,20}?(送|领)",
                "集满30个赞送",
            ),
            ("是中国人就(转|分享|顶)", "是中国人就转"),
        ];
        for (pattern, text) in cases {
            let set = required_sets(pattern).expect("anchored");
            let regex = crate::rules::regex::compile(pattern).expect("valid");
            assert!(regex.is_match(text), "{pattern} matches {text:?}");
            assert_eq!(
                match_without_anchor(&regex, &set, text),
                None,
                "{pattern}: {set:?}"
            );
        }
    }
}

#[cfg(test)]
mod default_pack_tests {
    use super::{match_without_anchor, required_sets};
    use crate::pack::RuleKind;

    /// Every match of every default `regex` pattern in every example text of the
    /// default packs (normalised) contains one of the anchors of each set the pattern
    /// requires (searched by the dictionary or checked).
    #[test]
    fn default_pattern_anchors_are_in_every_match() {
        let packs = crate::defaults::default_packs();
        let scanner = crate::Scanner::with_default_packs();
        let texts: Vec<String> = crate::testing::default_example_texts()
            .iter()
            .map(|t| scanner.normalizer().normalize(t).as_str().to_owned())
            .collect();
        let mut anchored = 0;
        for rule in packs.iter().flat_map(|p| p.def().rules.iter()) {
            if rule.kind != RuleKind::Regex {
                continue;
            }
            for pattern in &rule.patterns {
                let Some(set) = required_sets(pattern) else {
                    continue;
                };
                anchored += 1;
                let regex =
                    crate::rules::regex::compile(pattern).expect("default patterns compile");
                for text in &texts {
                    let stray = match_without_anchor(&regex, &set, text);
                    assert_eq!(stray, None, "{}: {pattern}, anchors {set:?}", rule.id);
                }
            }
        }
        assert!(anchored >= 40, "only {anchored} default patterns anchored");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::{match_without_anchor, required_sets};

    /// Small regexes over a small alphabet, in the shapes packs use: literals, classes,
    /// negated classes, alternations, optional parts, bounded and unbounded repeats,
    /// anchors and case-insensitive letters.
    fn pattern() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            8 => prop::sample::select(vec!["转", "发", "最", "佳", "a", "B", "1", "%", "。"])
                .prop_map(String::from),
            2 => Just("[转发]".to_string()),
            1 => Just("[^。!]".to_string()),
            1 => Just("\\d".to_string()),
            1 => Just(".".to_string()),
            1 => Just("$".to_string()),
            1 => Just("^".to_string()),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(|parts| parts.concat()),
                prop::collection::vec(inner.clone(), 2..4)
                    .prop_map(|branches| format!("({})", branches.join("|"))),
                (
                    inner.clone(),
                    prop::sample::select(vec!["?", "*", "+", "{0,3}", "{1,2}", "{2}"])
                )
                    .prop_map(|(p, op)| format!("(?:{p}){op}")),
            ]
        })
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                '转', '发', '最', '佳', 'a', 'b', '1', '%', '。', '!', 'x',
            ]),
            0..24,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// Every match of a pattern with anchors contains one of each set it requires.
        #[test]
        fn every_match_contains_an_anchor(pattern in pattern(), texts in prop::collection::vec(text(), 1..8)) {
            let Some(set) = required_sets(&pattern) else { return Ok(()) };
            let regex = crate::rules::regex::compile(&pattern).expect("generated patterns are valid");
            for text in &texts {
                let stray = match_without_anchor(&regex, &set, text);
                prop_assert_eq!(stray, None, "{}: in {:?}, anchors {:?}", pattern, text, set);
            }
        }
    }
}
