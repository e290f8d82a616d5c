//! `regex`: patterns (Rust `regex` syntax, case-insensitive) over the normalised text.
//!
//! A pattern runs only on messages that contain one of its anchors — literals every
//! match contains (see [`super::anchors`]), found by the scanner's one dictionary
//! automaton. Patterns without anchors go into one `RegexSet` that runs on every
//! message and tells which of them match; only those run again to find positions.
//!
//! Patterns compile at build, or — for packs already validated, such as the embedded
//! default packs — at their first use ([`RegexRegistry::deferred`]).

use std::sync::OnceLock;

use ::regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Literal, Repetition,
};

use super::{push_leftmost_longest, CompiledRule, Exceptions, RawFinding, ScanContext};
use crate::error::PackError;
use crate::matcher::{DictionaryBuilder, Role, RoleHit};
use crate::normalize::{full_width, full_width_to_ascii, is_kept_full_width, kept_ascii};
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

/// Compiles one pattern with the engine's settings.
pub(super) fn compile(pattern: &str) -> Result<Regex, ::regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
}

/// A pattern compiled at build, or — for validated packs — when a message first needs
/// it: the patterns of `regex` rules and of channel profiles.
#[derive(Debug)]
pub(crate) struct LazyRegex {
    source: Box<str>,
    /// `None` if compiling at first use failed (a pattern over the size limit).
    regex: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// Checks `pattern` at build: parsed (its syntax tree serves for anchors; when
    /// deferred, the parse is the build's check), and compiled now unless `deferred`.
    /// What is compiled is the pattern for texts in the scan form ([`scan_form`]).
    /// The error is the text of the first failure.
    pub(crate) fn check(pattern: &str, deferred: bool) -> Result<(LazyRegex, Hir), String> {
        let hir = super::anchors::parse(pattern).map_err(|e| e.to_string())?;
        let source: Box<str> = match scan_form(&hir) {
            // The printed syntax tree is case-folded already: folding its classes
            // again (`.` is every character) cost more than the rest of a build.
            Some(alike) => format!("(?-i:{alike})").into(),
            None => pattern.into(),
        };
        let regex = OnceLock::new();
        if !deferred {
            let _ = regex.set(Some(compile(&source).map_err(|e| e.to_string())?));
        }
        Ok((LazyRegex { source, regex }, hir))
    }

    /// The compiled pattern, compiled now if it was deferred.
    pub(crate) fn get(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| compile(&self.source).ok())
            .as_ref()
    }
}

/// [`LazyRegex::check`] for pattern `pattern` of rule `index`, naming the rule and the
/// pattern on error.
fn checked(
    pack: &RulePack,
    index: usize,
    pattern: &str,
    deferred: bool,
) -> Result<(LazyRegex, Hir), PackError> {
    LazyRegex::check(pattern, deferred)
        .map_err(|e| pack.rule_error(index, Some(pattern), format!("invalid regex: {e}")))
}

/// The pattern `hir` for texts in the scan form, which keeps the plain full-width
/// punctuation that the normal form folds to ASCII (`，` for `,`: see
/// `Normalizer::with_scan_form`), if it differs: each kept character matches exactly
/// where its ASCII character does (`[^。!?;]` no longer takes `！`, `[!,.]` takes `，`,
/// the literal `,` becomes `[,，]`), and a kept character written in the pattern, which
/// the normal form never holds, matches nothing. Since the normal form holds no kept
/// character, the pattern matches the normal form as it did: it serves both forms.
fn scan_form(hir: &Hir) -> Option<Hir> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(Literal(bytes)) => {
            // A pattern parsed in UTF-8 mode has UTF-8 literals.
            let text = std::str::from_utf8(bytes).ok()?;
            if !text.chars().any(|c| kept_pair(c).is_some()) {
                return None;
            }
            let mut parts = Vec::new();
            let mut start = 0;
            for (at, c) in text.char_indices() {
                let Some((ascii, wide)) = kept_pair(c) else {
                    continue;
                };
                parts.push(Hir::literal(&bytes[start..at]));
                parts.push(if c == ascii {
                    Hir::class(Class::Unicode(ClassUnicode::new([
                        ClassUnicodeRange::new(ascii, ascii),
                        ClassUnicodeRange::new(wide, wide),
                    ])))
                } else {
                    Hir::fail()
                });
                start = at + c.len_utf8();
            }
            parts.push(Hir::literal(&bytes[start..]));
            Some(Hir::concat(parts))
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut alike = class.clone();
            let mut changed = false;
            // The ranges are sorted and apart.
            let has = |c: char| {
                let after = class.ranges().partition_point(|r| r.end() < c);
                class.ranges().get(after).is_some_and(|r| r.start() <= c)
            };
            for (ascii, wide) in kept_pairs() {
                if has(ascii) != has(wide) {
                    let one = ClassUnicode::new([ClassUnicodeRange::new(wide, wide)]);
                    if has(ascii) {
                        alike.union(&one);
                    } else {
                        alike.difference(&one);
                    }
                    changed = true;
                }
            }
            changed.then(|| Hir::class(Class::Unicode(alike)))
        }
        HirKind::Class(Class::Bytes(class)) => {
            // In UTF-8 mode a class of bytes holds ASCII only; the kept characters of
            // those it holds become alternatives.
            let wides: Vec<Hir> = kept_pairs()
                .filter(|&(ascii, _)| {
                    class
                        .ranges()
                        .iter()
                        .any(|r| r.start() <= ascii as u8 && ascii as u8 <= r.end())
                })
                .map(|(_, wide)| Hir::literal(wide.encode_utf8(&mut [0; 4]).as_bytes()))
                .collect();
            (!wides.is_empty()).then(|| {
                let class = Hir::class(Class::Bytes(class.clone()));
                Hir::alternation(std::iter::once(class).chain(wides).collect())
            })
        }
        HirKind::Repetition(repetition) => scan_form(&repetition.sub).map(|sub| {
            Hir::repetition(Repetition {
                sub: Box::new(sub),
                ..repetition.clone()
            })
        }),
        HirKind::Capture(capture) => scan_form(&capture.sub).map(|sub| {
            Hir::capture(Capture {
                sub: Box::new(sub),
                ..capture.clone()
            })
        }),
        HirKind::Concat(subs) => scan_forms(subs).map(Hir::concat),
        HirKind::Alternation(subs) => scan_forms(subs).map(Hir::alternation),
    }
}

/// [`scan_form`] of each of `subs`, if one differs.
fn scan_forms(subs: &[Hir]) -> Option<Vec<Hir>> {
    let alike: Vec<Option<Hir>> = subs.iter().map(scan_form).collect();
    alike.iter().any(Option::is_some).then(|| {
        alike
            .into_iter()
            .zip(subs)
            .map(|(alike, sub)| alike.unwrap_or_else(|| sub.clone()))
            .collect()
    })
}

/// The kept full-width punctuation with its ASCII characters, as `(ascii, wide)`.
fn kept_pairs() -> impl Iterator<Item = (char, char)> {
    kept_ascii().map(|b| (char::from(b), full_width(b)))
}

/// `(ascii, wide)` if `c` is either character of a kept pair (see [`kept_pairs`]).
fn kept_pair(c: char) -> Option<(char, char)> {
    let ascii = if c.is_ascii() {
        c
    } else {
        full_width_to_ascii(c)?
    };
    let byte = u8::try_from(ascii)
        .ok()
        .filter(|&b| is_kept_full_width(b))?;
    Some((ascii, full_width(byte)))
}

fn compile_set(patterns: &[String]) -> Result<RegexSet, ::regex::Error> {
    RegexSetBuilder::new(patterns)
        .case_insensitive(true)
        .size_limit(SET_SIZE_LIMIT)
        .build()
}

/// The patterns of one field of a rule as a set (`required`, `trigger_patterns`):
/// compiled at build, or at first use for [validated](RegexRegistry::deferred) packs.
#[derive(Debug)]
pub(super) struct PatternSet {
    patterns: Vec<String>,
    set: OnceLock<Option<RegexSet>>,
}

impl PatternSet {
    /// Checks `patterns` of rule `index` one by one (see [`checked`]), so that an
    /// error names the pattern, then compiles the set unless `validated`.
    pub(super) fn new(
        pack: &RulePack,
        index: usize,
        patterns: &[String],
        validated: bool,
    ) -> Result<PatternSet, PackError> {
        let set = OnceLock::new();
        let mut sources = Vec::with_capacity(patterns.len());
        for pattern in patterns {
            // Checked and, if not validated, compiled alone: an error names the pattern.
            let (regex, _) = checked(pack, index, pattern, validated)?;
            sources.push(regex.source.into_string());
        }
        if !validated {
            let compiled = compile_set(&sources)
                .map_err(|e| pack.rule_error(index, None, format!("invalid regex set: {e}")))?;
            let _ = set.set(Some(compiled));
        }
        Ok(PatternSet {
            patterns: sources,
            set,
        })
    }

    /// Whether any pattern matches `text`.
    pub(super) fn is_match(&self, text: &str) -> bool {
        self.set
            .get_or_init(|| compile_set(&self.patterns).ok())
            .as_ref()
            .is_some_and(|set| set.is_match(text))
    }
}

/// One pattern of a `regex` rule.
#[derive(Debug)]
struct Pattern {
    /// Compiled at first use when the registry is [deferred](RegexRegistry::deferred).
    regex: LazyRegex,
    /// Scanner rule index of the rule it belongs to.
    owner: usize,
    /// How many anchor sets it has in the dictionary (none: it is in the set, or its
    /// anchors are not placed yet).
    anchor_sets: u8,
    /// Further sets of which the text must hold a literal each before it runs (see
    /// [`Anchors::checks`](super::anchors::Anchors::checks)).
    checks: Box<[Box<[Box<str>]>]>,
}

/// An anchored pattern whose anchors are not placed yet.
#[derive(Debug)]
struct Unplaced {
    /// Its index in [`RegexRegistry::patterns`].
    pattern: usize,
    /// Its number in its rule.
    local: u16,
    /// Its candidate anchor sets (see [`anchors::candidates`](super::anchors::candidates)).
    candidates: Vec<Vec<String>>,
}

/// The patterns of one scanner rule in [`RegexRegistry::patterns`].
#[derive(Debug, Default, Clone, Copy)]
struct RulePatterns {
    /// Their range.
    first: u32,
    end: u32,
    /// A bit for the number modulo 64 of each of them without anchors:
    /// [`evaluate`](RegexRegistry::evaluate) looks at those with the ones whose first
    /// anchor set has a hit.
    unanchored: u64,
}

/// The patterns of all `regex` rules of a scanner.
#[derive(Debug, Default)]
pub(crate) struct RegexRegistry {
    /// Sorted by owner.
    patterns: Vec<Pattern>,
    /// The patterns of each scanner rule, by its index (a search among the patterns
    /// for a rule's first one missed the caches at every evaluation).
    of_rule: Vec<RulePatterns>,
    /// Indexes in `patterns` of the patterns without anchors (the set's patterns).
    unanchored: Vec<usize>,
    /// The anchored patterns' candidate sets, until they are placed (see
    /// [`place_anchors`](Self::place_anchors)).
    unplaced: Vec<Unplaced>,
    set: Option<RegexSet>,
    deferred: bool,
}

impl RegexRegistry {
    /// A registry that parses each pattern at build (syntax errors are pack errors as
    /// usual) but compiles it only when a message first needs it. Compiling is most
    /// of the regex work of a build; for packs that are known to compile (the
    /// embedded default packs: `cargo test` compiles them eagerly) it need not delay
    /// the first verdict. A pattern over the size limit then never matches instead of
    /// failing the build, which is why packs loaded at run time compile eagerly.
    pub(crate) fn deferred() -> Self {
        RegexRegistry {
            deferred: true,
            ..RegexRegistry::default()
        }
    }

    /// Whether patterns compile at first use (see [`deferred`](Self::deferred)).
    pub(super) fn is_deferred(&self) -> bool {
        self.deferred
    }

    /// Compiles and registers the patterns of rule `index` of `pack` (scanner rule
    /// `rule`). Their anchors go into the dictionary later, with
    /// [`place_anchors`](Self::place_anchors).
    pub(super) fn register(
        &mut self,
        pack: &RulePack,
        index: usize,
        rule: usize,
    ) -> Result<(), PackError> {
        let first = self.patterns.len() as u32;
        let mut unanchored = 0u64;
        for (local, pattern) in pack.def().rules[index].patterns.iter().enumerate() {
            let (regex, hir) = checked(pack, index, pattern, self.deferred)?;
            // The anchors are searched in the same normalised text the pattern runs on.
            let anchored = u16::try_from(local)
                .ok()
                .and_then(|local| Some((local, super::anchors::candidates(&hir)?)));
            match anchored {
                Some((local, candidates)) => self.unplaced.push(Unplaced {
                    pattern: self.patterns.len(),
                    local,
                    candidates,
                }),
                None => {
                    self.unanchored.push(self.patterns.len());
                    unanchored |= 1 << (local % 64);
                }
            }
            self.patterns.push(Pattern {
                regex,
                owner: rule,
                anchor_sets: 0,
                checks: Box::default(),
            });
        }
        if self.of_rule.len() <= rule {
            self.of_rule.resize(rule + 1, RulePatterns::default());
        }
        self.of_rule[rule] = RulePatterns {
            first,
            end: self.patterns.len() as u32,
            unanchored,
        };
        Ok(())
    }

    /// Puts the anchored patterns' anchor sets into `dictionary` and their checks into
    /// the patterns (see [`anchors::place`](super::anchors::place)), the rarest sets
    /// into the dictionary when the words' `frequency` is known.
    pub(crate) fn place_anchors(
        &mut self,
        dictionary: &mut DictionaryBuilder,
        frequency: Option<super::anchors::Frequency>,
    ) {
        for unplaced in std::mem::take(&mut self.unplaced) {
            let Some(anchors) = super::anchors::place(unplaced.candidates, frequency) else {
                continue;
            };
            let pattern = &mut self.patterns[unplaced.pattern];
            pattern.anchor_sets = anchors.sets.len() as u8;
            pattern.checks = anchors
                .checks
                .into_iter()
                .map(|set| set.into_iter().map(String::into_boxed_str).collect())
                .collect();
            for (set, anchors) in (0u8..).zip(anchors.sets) {
                for anchor in anchors {
                    dictionary.add(anchor, pattern.owner, Role::Anchor(unplaced.local, set));
                }
            }
        }
    }

    /// The checks of each pattern of scanner rule `rule` (see
    /// [`place_anchors`](Self::place_anchors)).
    #[cfg(test)]
    pub(crate) fn checks_of(&self, rule: usize) -> Vec<Vec<Vec<String>>> {
        let RulePatterns { first, end, .. } = self.of_rule[rule];
        self.patterns[first as usize..end as usize]
            .iter()
            .map(|p| {
                p.checks
                    .iter()
                    .map(|set| set.iter().map(|l| l.to_string()).collect())
                    .collect()
            })
            .collect()
    }

    /// Builds the set of patterns without anchors once all rules are registered.
    pub(crate) fn finish(&mut self) -> Result<(), String> {
        if self.unanchored.is_empty() {
            return Ok(());
        }
        let sources = self
            .unanchored
            .iter()
            .map(|&i| &*self.patterns[i].regex.source);
        let set = RegexSetBuilder::new(sources)
            .case_insensitive(true)
            .size_limit(SET_SIZE_LIMIT)
            .dfa_size_limit(SET_DFA_CACHE)
            .build()
            .map_err(|e| format!("the regex patterns of all rules together are too large: {e}"))?;
        self.set = Some(set);
        Ok(())
    }

    /// Whether some pattern has no anchors, and so may match a text without a
    /// dictionary hit.
    pub(crate) fn has_unanchored(&self) -> bool {
        self.set.is_some()
    }

    /// Rules with a pattern without anchors that matches `text` (anchored patterns make
    /// their rule a candidate through dictionary hits).
    pub(crate) fn matching_rules(&self, text: &str, out: &mut Vec<usize>) {
        if let Some(set) = &self.set {
            out.extend(
                set.matches(text)
                    .into_iter()
                    .map(|p| self.patterns[self.unanchored[p]].owner),
            );
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
        let mut candidates = Vec::new();
        let RulePatterns {
            first,
            end,
            unanchored,
        } = self.of_rule.get(index).copied().unwrap_or_default();
        let own = self.patterns[first as usize..end as usize]
            .iter()
            .enumerate();
        // The patterns with a hit of their first anchor set, one pass over the hits:
        // a bit for each pattern's number modulo 64 (a shared bit only sends a pattern
        // on to the full check below). Most patterns have none, and the check of each
        // set over all the hits, pattern after pattern, took nearly a fifth of the
        // samples of `raw_findings` itself (perf).
        let first_sets = hits.iter().fold(0u64, |bits, h| match h.role {
            Role::Anchor(local, 0) => bits | 1 << (local % 64),
            _ => bits,
        });
        // Only the patterns of the bits set are looked at, with those without anchors
        // (each bit stands for the patterns whose number is it modulo 64): a rule has up
        // to 15 patterns in the default packs, and most messages hit the anchors of one.
        let mut bits = first_sets | unanchored;
        let looked_at = std::iter::from_fn(|| {
            let bit = bits.trailing_zeros() as usize;
            // The lowest bit cleared; none left ends the patterns.
            bits &= bits.checked_sub(1)?;
            Some(own.clone().skip(bit).step_by(64))
        });
        for (local, pattern) in looked_at.flatten() {
            if pattern.anchor_sets > 0 && first_sets >> (local % 64) & 1 == 0 {
                continue;
            }
            // An anchored pattern cannot match without an anchor of each of its sets.
            let has = |set| {
                hits.iter()
                    .any(|h| h.role == Role::Anchor(local as u16, set))
            };
            if !(0..pattern.anchor_sets).all(has) {
                continue;
            }
            let holds = |set: &[Box<str>]| set.iter().any(|l| ctx.text.contains(&**l));
            if !pattern.checks.iter().all(|set| holds(set)) {
                continue;
            }
            let Some(regex) = pattern.regex.get() else {
                continue;
            };
            for m in regex.find_iter(ctx.text) {
                if !m.range().is_empty() && rule.accepts(ctx, m.range(), unless) {
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
    use std::ops::Range;

    use crate::testing::{flagged_texts, pack_with, scanner_with};

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
        flagged_texts(&scanner_with(RULE), text)
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
    fn patterns_without_anchors_fire_on_texts_without_dictionary_hits() {
        // A class too broad to anchor on: the pattern has no literal to put in the
        // dictionary, so a text that matches it has no hit at all.
        let scanner = scanner_with(
            r#"
[[rule]]
id = "finance.long-number"
kind = "regex"
severity = "review"
message = "长数字"
basis = "测试"
patterns = ['[a-z0-9]{11}']
negation = []
"#,
        );
        assert!(scanner.has_unanchored_patterns());
        assert_eq!(
            flagged_texts(&scanner, "请拨打13812345678"),
            vec!["13812345678"]
        );
        assert!(scanner.scan("请拨打电话").findings.is_empty());
    }

    /// Each pattern is looked at through its number modulo 64: a rule of 70 patterns
    /// finds its 3rd and 67th (one bit), and its unanchored one beside anchored ones.
    #[test]
    fn every_pattern_of_a_long_rule_is_looked_at() {
        let mut patterns: Vec<String> = (0..70).map(|i| format!("'第{i}号奖品'")).collect();
        patterns[66] = "'集赞.{0,3}送礼'".to_string();
        patterns[69] = "'[a-z]{3}[0-9]{3}'".to_string();
        let rule = format!(
            r#"
[[rule]]
id = "induce-share.like-collection"
kind = "regex"
severity = "block"
message = "集赞"
basis = "测试"
patterns = [{}]
negation = []
"#,
            patterns.join(", ")
        );
        let scanner = scanner_with(&rule);
        let found = |text: &str| flagged_texts(&scanner, text);
        assert_eq!(found("转发第2号奖品"), vec!["第2号奖品"]);
        assert_eq!(found("快来集赞就送礼"), vec!["集赞就送礼"]);
        assert_eq!(found("集赞第2号奖品送礼"), vec!["第2号奖品"]);
        assert_eq!(found("代码abc123"), vec!["abc123"]);
        assert_eq!(found("第65号奖品，abc123"), vec!["第65号奖品", "abc123"]);
        assert!(found("第号奖品").is_empty());
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

    /// A text in the normal form and in the scan form.
    fn both_forms(text: &str) -> (String, String) {
        let normal = crate::Normalizer::default().normalize(text);
        let scan = crate::Normalizer::default()
            .with_scan_form(true)
            .normalize_scan(text);
        (normal.as_str().to_string(), scan.as_str().to_string())
    }

    /// `pattern` compiled, and its scan form's pattern ([`super::scan_form`]) compiled
    /// as a scanner compiles it.
    fn both_patterns(pattern: &str) -> (::regex::Regex, ::regex::Regex) {
        let (alike, _) = super::LazyRegex::check(pattern, false).expect("valid");
        let alike = alike.get().expect("its scan form compiles").clone();
        (super::compile(pattern).expect("compiles"), alike)
    }

    /// The character ranges of the matches of `regex` in `text`.
    fn matches(regex: &::regex::Regex, text: &str) -> Vec<Range<usize>> {
        let char_at = |byte: usize| text[..byte].chars().count();
        regex
            .find_iter(text)
            .map(|m| char_at(m.start())..char_at(m.end()))
            .collect()
    }

    /// Every default pattern finds in the scan form of every example text of the
    /// default packs what it finds in the normal form, at the same characters; also
    /// with the texts' punctuation written all full-width, and all ASCII.
    #[test]
    fn default_patterns_find_the_same_in_the_scan_form() {
        let kept: Vec<(char, char)> = super::kept_pairs().collect();
        let ascii: String = kept.iter().map(|k| k.0).collect();
        assert_eq!(ascii, "!\"$'(),:;<>?]{}", "［ can begin a link: not kept");
        assert!(kept.contains(&(',', '，')) && kept.contains(&('!', '！')));
        let mut texts = Vec::new();
        for text in crate::testing::default_example_texts() {
            let wide: String = text
                .chars()
                .map(|c| kept.iter().find(|k| k.0 == c).map_or(c, |k| k.1))
                .collect();
            let ascii: String = text
                .chars()
                .map(|c| kept.iter().find(|k| k.1 == c).map_or(c, |k| k.0))
                .collect();
            texts.extend([text, wide, ascii]);
        }
        let texts: Vec<(String, String)> = texts.iter().map(|t| both_forms(t)).collect();
        let (mut patterns, mut changed, mut found) = (0, 0, 0);
        for pack in crate::defaults::default_packs() {
            for rule in &pack.def().rules {
                for pattern in rule
                    .patterns
                    .iter()
                    .chain(&rule.required)
                    .chain(&rule.trigger_patterns)
                {
                    patterns += 1;
                    let hir = crate::rules::anchors::parse(pattern).expect("valid");
                    changed += usize::from(super::scan_form(&hir).is_some());
                    let (original, alike) = both_patterns(pattern);
                    for (normal, scan) in &texts {
                        let found_normal = matches(&original, normal);
                        assert_eq!(found_normal, matches(&alike, scan), "{pattern} in {scan:?}");
                        found += found_normal.len();
                    }
                }
            }
        }
        assert!(
            patterns >= 80 && changed >= 20 && found > 700,
            "{patterns} {changed} {found}"
        );
    }

    /// Small patterns made of punctuation in both widths, classes, negated classes and
    /// repeats find in the scan form of any text what they find in its normal form.
    #[test]
    fn generated_patterns_find_the_same_in_the_scan_form() {
        let leaves = [
            ",",
            "，",
            "!",
            "！",
            ";",
            "转",
            "a",
            "。",
            "[!,.]",
            "[^。!?;]",
            "[^,]",
            "[，]",
            "(?-u:[,;a])",
            ".",
            "\\b",
            "\\s",
            "\\[",
            "［",
            "\\(",
        ];
        let alphabet = [
            ',', '，', '!', '！', '；', ';', '转', 'a', '。', '[', '［', ' ', '（', '(',
        ];
        let mut next = crate::testing::numbers(11);
        let mut found = 0;
        for _ in 0..3000 {
            let mut pattern = String::new();
            for _ in 0..1 + next(4) {
                let leaf = leaves[next(leaves.len())];
                match next(5) {
                    0 => pattern.push_str(&format!("(?:{leaf}){{0,2}}")),
                    1 => pattern.push_str(&format!("({leaf}|{})", leaves[next(leaves.len())])),
                    _ => pattern.push_str(leaf),
                }
            }
            let (original, alike) = both_patterns(&pattern);
            for _ in 0..4 {
                let text: String = (0..next(12))
                    .map(|_| alphabet[next(alphabet.len())])
                    .collect();
                let (normal, scan) = both_forms(&text);
                let found_normal = matches(&original, &normal);
                assert_eq!(
                    found_normal,
                    matches(&alike, &scan),
                    "{pattern} in {text:?}"
                );
                found += found_normal.len();
            }
        }
        assert!(found > 1000, "{found}");
    }
}
