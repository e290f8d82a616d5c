//! `hegui eval`: precision and recall per category on labelled messages, findings per
//! 1,000 lines on ordinary text, and the same for a naive substring baseline.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;
use hegui_core::{Scanner, Severity};
use regex::Regex;
use serde::Serialize;
use serde_json::Value;

use crate::{packs, Outcome};

/// Label field of the labelled data → category id.
const CATEGORIES: &[(&str, &str)] = &[
    ("induce_share", "induce-share"),
    ("exaggeration", "exaggeration"),
    ("finance", "finance"),
    ("bad_link", "external-link"),
];

#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// JSON Lines with `text` and 0/1 labels `induce_share`, `exaggeration`, `finance`, `bad_link`.
    #[arg(long, value_name = "FILE", conflicts_with = "unlabelled")]
    labels: Option<PathBuf>,
    /// Ordinary text, one message per line: report findings per 1,000 lines.
    #[arg(long, value_name = "FILE")]
    unlabelled: Option<PathBuf>,
    /// Rule packs instead of the defaults.
    #[arg(long, value_name = "PATH")]
    packs: Vec<PathBuf>,
    /// Also evaluate the naive baseline: every pack term as a plain substring, no
    /// normalisation, no context.
    #[arg(long)]
    baseline: bool,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

/// Something that decides which categories a message is flagged for (severity ≥ review),
/// with the rule ids that did it.
trait Detector {
    fn flagged(&self, text: &str) -> BTreeMap<String, Vec<String>>;
}

impl Detector for Scanner {
    fn flagged(&self, text: &str) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in self.scan(text).findings {
            if f.severity >= Severity::Review {
                out.entry(f.category.to_string())
                    .or_default()
                    .push(f.rule_id.to_string());
            }
        }
        out
    }
}

/// The naive baseline: raw substrings of every term and raw regexes, no context at all.
struct Naive {
    rules: Vec<(String, String, Vec<String>, Vec<Regex>)>,
}

impl Naive {
    fn new(scanner: &Scanner) -> Naive {
        let rules = scanner
            .rules()
            .iter()
            .filter(|r| r.def.severity >= Severity::Review)
            .map(|r| {
                let d = &r.def;
                let terms = d
                    .terms
                    .iter()
                    .chain(d.all_of.iter().flatten())
                    .chain(&d.triggers);
                let regexes = d
                    .patterns
                    .iter()
                    .filter_map(|p| Regex::new(p).ok())
                    .collect();
                (
                    r.id().to_string(),
                    d.category().to_string(),
                    terms.cloned().collect(),
                    regexes,
                )
            })
            .collect();
        Naive { rules }
    }
}

impl Detector for Naive {
    fn flagged(&self, text: &str) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (id, category, terms, regexes) in &self.rules {
            if terms.iter().any(|t| text.contains(t.as_str()))
                || regexes.iter().any(|r| r.is_match(text))
            {
                out.entry(category.clone()).or_default().push(id.clone());
            }
        }
        out
    }
}

#[derive(Debug, Default, Serialize)]
struct Score {
    positives: usize,
    tp: usize,
    fp: usize,
    #[serde(rename = "fn")]
    fn_: usize,
    precision: f64,
    recall: f64,
    f1: f64,
}

#[derive(Debug, Serialize)]
struct Miss {
    category: String,
    kind: &'static str,
    text: String,
    rules: Vec<String>,
}

#[derive(Debug, Serialize)]
struct LabelledReport {
    detector: &'static str,
    messages: usize,
    categories: BTreeMap<String, Score>,
    errors: Vec<Miss>,
}

pub(crate) fn run(args: &EvalArgs) -> Result<Outcome> {
    let scanner = packs::scanner(&args.packs)?;
    let naive = args.baseline.then(|| Naive::new(&scanner));
    let mut detectors: Vec<(&'static str, &dyn Detector)> = vec![("hegui", &scanner)];
    if let Some(naive) = &naive {
        detectors.push(("naive-baseline", naive));
    }
    match (&args.labels, &args.unlabelled) {
        (Some(path), _) => labelled(path, &detectors, args.json),
        (None, Some(path)) => unlabelled(path, &scanner, args.json),
        (None, None) => bail!("give --labels FILE or --unlabelled FILE"),
    }
}

fn read_labelled(path: &PathBuf) -> Result<Vec<(String, Vec<bool>)>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
    let mut rows = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let value: Value = serde_json::from_str(line)
            .with_context(|| format!("{name}:{}: invalid JSON", i + 1))?;
        let Some(message) = value["text"].as_str() else {
            bail!("{name}:{}: field `text` (a string) is missing", i + 1);
        };
        let labels = CATEGORIES
            .iter()
            .map(|(field, _)| value[field].as_u64() == Some(1))
            .collect();
        rows.push((message.to_string(), labels));
    }
    Ok(rows)
}

fn labelled(
    path: &PathBuf,
    detectors: &[(&'static str, &dyn Detector)],
    json: bool,
) -> Result<Outcome> {
    let rows = read_labelled(path)?;
    for (name, detector) in detectors {
        let report = score(name, *detector, &rows);
        if json {
            println!("{}", serde_json::to_string(&report)?);
        } else {
            print_labelled(&report);
        }
    }
    Ok(Outcome::Clean)
}

fn score(
    name: &'static str,
    detector: &dyn Detector,
    rows: &[(String, Vec<bool>)],
) -> LabelledReport {
    let mut categories: BTreeMap<String, Score> = BTreeMap::new();
    let mut errors = Vec::new();
    for (text, labels) in rows {
        let flagged = detector.flagged(text);
        for ((_, category), &label) in CATEGORIES.iter().zip(labels) {
            let score = categories.entry((*category).to_string()).or_default();
            let rules = flagged.get(*category);
            score.positives += usize::from(label);
            let kind = match (label, rules.is_some()) {
                (true, true) => {
                    score.tp += 1;
                    continue;
                }
                (false, false) => continue,
                (false, true) => {
                    score.fp += 1;
                    "false-positive"
                }
                (true, false) => {
                    score.fn_ += 1;
                    "false-negative"
                }
            };
            errors.push(Miss {
                category: (*category).to_string(),
                kind,
                text: text.clone(),
                rules: rules.cloned().unwrap_or_default(),
            });
        }
    }
    for score in categories.values_mut() {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        score.precision = ratio(score.tp, score.tp + score.fp);
        score.recall = ratio(score.tp, score.tp + score.fn_);
        let sum = score.precision + score.recall;
        score.f1 = if sum == 0.0 {
            0.0
        } else {
            2.0 * score.precision * score.recall / sum
        };
    }
    LabelledReport {
        detector: name,
        messages: rows.len(),
        categories,
        errors,
    }
}

fn print_labelled(report: &LabelledReport) {
    println!("== {} on {} messages", report.detector, report.messages);
    println!(
        "{:<14} {:>9} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}",
        "category", "positives", "TP", "FP", "FN", "precision", "recall", "F1"
    );
    for (category, s) in &report.categories {
        println!(
            "{category:<14} {:>9} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>6.3}",
            s.positives, s.tp, s.fp, s.fn_, s.precision, s.recall, s.f1
        );
    }
    for miss in &report.errors {
        println!(
            "{} {} [{}]: {}",
            miss.kind,
            miss.category,
            miss.rules.join(","),
            miss.text
        );
    }
    println!();
}

fn unlabelled(path: &PathBuf, scanner: &Scanner, json: bool) -> Result<Outcome> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = 0usize;
    let mut by_severity: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_rule: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        lines += 1;
        for f in scanner.scan(line).findings {
            *by_severity.entry(f.severity.to_string()).or_default() += 1;
            let entry = by_rule.entry(f.rule_id.to_string()).or_default();
            entry.0 += 1;
            if entry.1.len() < 5 {
                entry.1.push(line.to_string());
            }
        }
    }
    let per_thousand = |n: usize| n as f64 * 1000.0 / lines.max(1) as f64;
    let mut top: Vec<_> = by_rule.into_iter().collect();
    top.sort_by_key(|(_, (n, _))| std::cmp::Reverse(*n));
    if json {
        let value = serde_json::json!({
            "lines": lines,
            "per_1000": by_severity.iter().map(|(k, v)| (k.clone(), per_thousand(*v))).collect::<BTreeMap<_, _>>(),
            "top_rules": top.iter().map(|(id, (n, ex))| serde_json::json!({"rule_id": id, "findings": n, "examples": ex})).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string(&value)?);
        return Ok(Outcome::Clean);
    }
    println!("{lines} lines of {name}");
    for (severity, n) in &by_severity {
        println!(
            "{severity:<7} {n:>6} findings, {:.2} per 1,000 lines",
            per_thousand(*n)
        );
    }
    for (id, (n, examples)) in top.iter().take(15) {
        println!("{n:>6}  {id}");
        for example in examples {
            println!("          {example}");
        }
    }
    Ok(Outcome::Clean)
}
