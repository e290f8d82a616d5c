//! `hegui rules lint`: problems in rule packs that load fine but will not do what their
//! authors think. Each problem names `path:line:column` and the rule.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::PathBuf;

use anyhow::Result;
use hegui_core::{Boundary, Location, Normalizer, RuleDef, RuleKind, RulePack, Severity};
use regex::{Regex, RegexBuilder};

use crate::Outcome;

/// How bad a lint problem is: errors make the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Warning,
    Error,
}

/// One problem.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub(crate) level: Level,
    /// Stable code, e.g. `duplicate-term`.
    pub(crate) code: &'static str,
    pub(crate) location: Location,
    pub(crate) rule_id: Option<String>,
    pub(crate) message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Warning => "warning",
            Level::Error => "error",
        };
        write!(f, "{level}[{}]: {}: ", self.code, self.location)?;
        if let Some(id) = &self.rule_id {
            write!(f, "rule `{id}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Where a term was seen first: pack index, rule index, severity.
#[derive(Debug, Clone, Copy)]
struct Seen {
    pack: usize,
    rule: usize,
    severity: Severity,
}

/// Lints packs (loaded, not compiled, so that every problem is reported, not the first).
pub(crate) fn lint(packs: &[RulePack]) -> Vec<Problem> {
    let normalizer = Normalizer::for_packs(packs);
    let mut linter = Linter {
        packs,
        normalizer,
        problems: Vec::new(),
        ids: HashMap::new(),
        terms: HashMap::new(),
    };
    for (p, pack) in packs.iter().enumerate() {
        for (r, rule) in pack.def().rules.iter().enumerate() {
            linter.rule(p, r, rule);
        }
    }
    linter.problems
}

struct Linter<'a> {
    packs: &'a [RulePack],
    normalizer: Normalizer,
    problems: Vec<Problem>,
    ids: HashMap<String, Location>,
    /// Normalised dictionary term → where it was seen first.
    terms: HashMap<String, Seen>,
}

impl Linter<'_> {
    fn push(
        &mut self,
        level: Level,
        code: &'static str,
        at: (usize, usize, Option<&str>),
        message: String,
    ) {
        let (p, r, value) = at;
        let pack = &self.packs[p];
        let location = match value {
            Some(value) => pack.value_location(r, value),
            None => pack.rule_location(r),
        };
        self.problems.push(Problem {
            level,
            code,
            location,
            rule_id: Some(pack.def().rules[r].id.clone()),
            message,
        });
    }

    fn norm(&self, text: &str) -> String {
        self.normalizer.normalize(text).as_str().to_owned()
    }

    fn rule(&mut self, p: usize, r: usize, rule: &RuleDef) {
        let location = self.packs[p].rule_location(r);
        if let Some(first) = self.ids.insert(rule.id.clone(), location) {
            self.push(
                Level::Error,
                "duplicate-id",
                (p, r, None),
                format!("duplicate rule id (first defined at {first})"),
            );
        }
        if rule.fires.is_empty() || rule.passes.is_empty() {
            let missing = match (rule.fires.is_empty(), rule.passes.is_empty()) {
                (true, true) => "`fires` and `passes` examples",
                (true, false) => "`fires` examples",
                _ => "`passes` examples",
            };
            self.push(
                Level::Warning,
                "no-examples",
                (p, r, None),
                format!("no {missing}: `hegui rules test` cannot check this rule"),
            );
        }
        let terms: Vec<&String> = match rule.kind {
            RuleKind::Terms => rule.terms.iter().collect(),
            RuleKind::Near => rule.all_of.iter().flatten().collect(),
            RuleKind::Requires => rule.triggers.iter().collect(),
            RuleKind::Regex => Vec::new(),
        };
        self.terms_of(p, r, rule, &terms);
        let patterns = self.patterns(p, r, rule);
        self.unless(p, r, rule, &terms, &patterns);
    }

    fn terms_of(&mut self, p: usize, r: usize, rule: &RuleDef, terms: &[&String]) {
        let mut in_rule: HashMap<String, &str> = HashMap::new();
        for &term in terms {
            let normalized = self.norm(term);
            if normalized.is_empty() {
                self.push(
                    Level::Error,
                    "empty-term",
                    (p, r, Some(term)),
                    format!("term `{term}` is empty after normalisation and can never match"),
                );
                continue;
            }
            if normalized != *term {
                self.push(
                    Level::Warning,
                    "unnormalised-term",
                    (p, r, Some(term)),
                    format!(
                        "term `{term}` is matched as `{normalized}` (the normaliser folds full-width, traditional, case and variants); write `{normalized}`"
                    ),
                );
            }
            if let Some(first) = in_rule.insert(normalized.clone(), term) {
                self.push(
                    Level::Warning,
                    "duplicate-term",
                    (p, r, Some(term)),
                    format!("term `{term}` duplicates `{first}` in this rule"),
                );
                continue;
            }
            if rule.boundary() == Boundary::Any && normalized.chars().count() == 1 {
                self.push(
                    Level::Warning,
                    "single-char-any",
                    (p, r, Some(term)),
                    format!(
                        "single-character term `{term}` with `boundary = \"any\"` matches inside every word that contains it; use a longer term or `boundary = \"word\"`"
                    ),
                );
            }
            if rule.kind != RuleKind::Terms {
                continue;
            }
            let here = Seen {
                pack: p,
                rule: r,
                severity: rule.severity,
            };
            match self.terms.get(&normalized).copied() {
                None => {
                    self.terms.insert(normalized, here);
                }
                Some(first) => {
                    let other = &self.packs[first.pack].def().rules[first.rule];
                    let (level, code, what) = if first.severity == rule.severity {
                        (Level::Warning, "duplicate-term", "also a term of")
                    } else {
                        (
                            Level::Warning,
                            "severity-conflict",
                            "has another severity in",
                        )
                    };
                    let location = self.packs[first.pack].value_location(first.rule, term);
                    self.push(
                        level,
                        code,
                        (p, r, Some(term)),
                        format!(
                            "term `{term}` ({}) {what} rule `{}` ({}, {location})",
                            rule.severity, other.id, first.severity
                        ),
                    );
                }
            }
        }
    }

    /// Compiles the patterns (errors for invalid ones) and warns about patterns that can
    /// never match normalised text or match none of the rule's `fires` examples.
    fn patterns(&mut self, p: usize, r: usize, rule: &RuleDef) -> Vec<Regex> {
        let mut compiled = Vec::new();
        let all = rule
            .patterns
            .iter()
            .chain(&rule.trigger_patterns)
            .chain(&rule.required);
        let fires: Vec<String> = rule.fires.iter().map(|f| self.norm(f)).collect();
        for pattern in all {
            let regex = match RegexBuilder::new(pattern)
                .case_insensitive(true)
                .size_limit(1 << 22)
                .build()
            {
                Ok(regex) => regex,
                Err(e) => {
                    self.push(
                        Level::Error,
                        "invalid-regex",
                        (p, r, Some(pattern)),
                        format!("invalid regex `{pattern}`: {e}"),
                    );
                    continue;
                }
            };
            let folded: Vec<char> = pattern
                .chars()
                .filter(|c| !c.is_ascii())
                .filter(|c| {
                    let s = c.to_string();
                    let n = self.norm(&s);
                    !n.is_empty() && n != s
                })
                .collect();
            if !folded.is_empty() {
                let shown: String = folded.iter().collect();
                self.push(
                    Level::Warning,
                    "unnormalised-regex",
                    (p, r, Some(pattern)),
                    format!(
                        "regex `{pattern}` contains `{shown}`, which never occurs in normalised text (patterns run after full-width, traditional and variant folding)"
                    ),
                );
            }
            let is_match_pattern = rule.patterns.contains(pattern);
            if is_match_pattern && !fires.is_empty() && !fires.iter().any(|f| regex.is_match(f)) {
                self.push(
                    Level::Warning,
                    "never-matching-regex",
                    (p, r, Some(pattern)),
                    format!("regex `{pattern}` matches none of the rule's `fires` examples: add one, or the pattern may never match"),
                );
            }
            if is_match_pattern {
                compiled.push(regex);
            }
        }
        compiled
    }

    fn unless(
        &mut self,
        p: usize,
        r: usize,
        rule: &RuleDef,
        terms: &[&String],
        patterns: &[Regex],
    ) {
        if rule.kind == RuleKind::Requires {
            // A `requires` rule is off for the whole message when an exception occurs.
            return;
        }
        let terms: Vec<String> = terms.iter().map(|t| self.norm(t)).collect();
        for phrase in &rule.unless {
            let normalized = self.norm(phrase);
            // An exception excuses a match it overlaps (see rules/mod.rs), so it is alive
            // when it can overlap an occurrence of a term (or of a pattern's match).
            let alive = terms.iter().any(|t| can_overlap(&normalized, t))
                || patterns.iter().any(|re| re.is_match(&normalized))
                || (rule.kind == RuleKind::Regex
                    && rule
                        .patterns
                        .iter()
                        .any(|p| normalized.chars().any(|c| !c.is_ascii() && p.contains(c))));
            if !alive {
                self.push(
                    Level::Warning,
                    "unless-without-term",
                    (p, r, Some(phrase)),
                    format!(
                        "`unless` phrase `{phrase}` can never overlap a term of this rule, so it never excuses a match"
                    ),
                );
            }
        }
    }
}

/// Whether occurrences of `a` and `b` can overlap in some text: one contains the other,
/// or a proper suffix of one is a prefix of the other.
fn can_overlap(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a.contains(b) || b.contains(a) {
        return true;
    }
    let suffix_is_prefix = |x: &str, y: &str| {
        x.char_indices()
            .skip(1)
            .any(|(i, _)| y.starts_with(&x[i..]))
    };
    suffix_is_prefix(a, b) || suffix_is_prefix(b, a)
}

/// `hegui rules lint`: prints every problem; exit 1 when there is an error.
pub(crate) fn run(paths: &[PathBuf]) -> Result<Outcome> {
    let packs = if paths.is_empty() {
        hegui_core::default_packs()
    } else {
        match crate::packs::load(paths) {
            Ok(packs) => packs,
            Err(e) => {
                println!("error[load]: {e:#}");
                return Ok(Outcome::Findings);
            }
        }
    };
    let mut problems = lint(&packs);
    problems.sort_by(|a, b| {
        (&*a.location.path, a.location.line, a.location.column).cmp(&(
            &*b.location.path,
            b.location.line,
            b.location.column,
        ))
    });
    let mut counts: BTreeMap<Level, usize> = BTreeMap::new();
    for problem in &problems {
        println!("{problem}");
        *counts.entry(problem.level).or_default() += 1;
    }
    let errors = counts.get(&Level::Error).copied().unwrap_or(0);
    let warnings = counts.get(&Level::Warning).copied().unwrap_or(0);
    let rules: usize = packs.iter().map(|p| p.def().rules.len()).sum();
    println!(
        "{} packs, {rules} rules: {errors} errors, {warnings} warnings",
        packs.len()
    );
    Ok(if errors > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(toml: &str) -> Vec<(&'static str, String)> {
        let pack = RulePack::from_toml_str("t.toml", toml).expect("pack loads");
        lint(&[pack])
            .into_iter()
            .map(|p| (p.code, p.location.to_string()))
            .collect()
    }

    const HEAD: &str = "id = \"t\"\nversion = \"1\"\ntitle = \"t\"\n[categories.x]\nname = \"x\"\nconsequence = \"\"\n";

    fn rule(body: &str) -> String {
        format!("{HEAD}[[rule]]\nid = \"x.a\"\nseverity = \"review\"\nmessage = \"m\"\nbasis = \"b\"\n{body}\n")
    }

    #[test]
    fn default_packs_have_no_errors() {
        let problems = lint(&hegui_core::default_packs());
        let errors: Vec<String> = problems
            .iter()
            .filter(|p| p.level == Level::Error)
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn each_problem_is_found_and_located() {
        let found = codes(&rule(
            "kind = \"terms\"\nboundary = \"any\"\nterms = [\"最佳\", \"最佳\", \"轉發\", \"\u{200B}\", \"赚\"]\nunless = [\"今天天气\"]\nfires = [\"最佳\"]\npasses = [\"你好\"]",
        ));
        let has = |code: &str| found.iter().any(|(c, _)| *c == code);
        for code in [
            "duplicate-term",
            "unnormalised-term",
            "empty-term",
            "single-char-any",
            "unless-without-term",
        ] {
            assert!(has(code), "{code}: {found:?}");
        }
        let (_, at) = found
            .iter()
            .find(|(c, _)| *c == "unnormalised-term")
            .expect("found");
        assert_eq!(at, "t.toml:14:23");

        let found = codes(&rule(
            "kind = \"regex\"\npatterns = [\"(unclosed\", \"轉發\", \"xyz\"]\nfires = [\"转发\"]",
        ));
        let has = |code: &str| found.iter().any(|(c, _)| *c == code);
        for code in [
            "invalid-regex",
            "unnormalised-regex",
            "never-matching-regex",
            "no-examples",
        ] {
            assert!(has(code), "{code}: {found:?}");
        }
    }

    #[test]
    fn exceptions_that_overlap_a_term_are_alive() {
        assert!(can_overlap("最佳赏味期", "最佳"));
        assert!(can_overlap("高度关注", "关注公众号"));
        assert!(can_overlap("分享会", "经验分享"));
        assert!(!can_overlap("今天天气", "最佳"));
        let found = codes(&rule(
            "kind = \"terms\"\nterms = [\"关注公众号\"]\nunless = [\"高度关注\", \"你好\"]\nfires = [\"关注公众号\"]\npasses = [\"好\"]",
        ));
        let dead = found
            .iter()
            .filter(|(c, _)| *c == "unless-without-term")
            .count();
        assert_eq!(dead, 1, "{found:?}");
    }

    #[test]
    fn duplicate_ids_and_conflicting_severities_across_packs() {
        let first =
            rule("kind = \"terms\"\nterms = [\"最佳\"]\nfires = [\"最佳\"]\npasses = [\"好\"]");
        let second = first.replace("\"review\"", "\"block\"");
        let packs = [
            RulePack::from_toml_str("a.toml", &first).expect("loads"),
            RulePack::from_toml_str("b.toml", &second).expect("loads"),
        ];
        let found: Vec<String> = lint(&packs).iter().map(ToString::to_string).collect();
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("error[duplicate-id]: b.toml:8:7")),
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("warning[severity-conflict]: b.toml:")),
            "{found:#?}"
        );
    }
}
