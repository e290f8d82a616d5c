//! Writes (or checks) the two dictionaries of `crates/hegui-core/data/`, from jieba's
//! `dict.txt` (`word freq tag` lines): `jieba-dict.txt`, all of it as sorted `word freq`
//! lines (what native builds segment with), and `boundary-dict.txt`, the reduced
//! dictionary that the wasm build segments with. Run through `wasm/dict/generate.sh`.
//!
//! The engine asks jieba one question: is this edge of a term match a word boundary?
//! jieba picks the segmentation of a window that maximises the product of
//! `freq / total` over its words, so the reduced dictionary keeps
//!
//! 1. every word inside a pack literal (all literals are added to jieba with a frequency
//!    that jieba derives from these words);
//! 2. every word that can *cross* an edge of a literal whose edges are checked (terms,
//!    groups and triggers of rules with `boundary = "word"`): a proper suffix of the word
//!    is a prefix of the literal (or contains it), or a proper prefix of the word is a
//!    suffix of the literal (or contains it). Without these a boundary would appear
//!    where the full dictionary has none;
//! 3. every word of frequency at least [`MIN_FREQ`]: the common neighbours that decide
//!    between a crossing word and a cut;
//!
//! and its `# total` line is the total frequency of all of jieba's words, so `total`,
//! and the score of every path of kept words, is unchanged.
//! `wasm/bench/dict-diff.mjs` and the parity test measure what is left (README.md, "Size").
//!
//! Usage: `generate <jieba dict.txt> <data dir> [--check]`.

use std::collections::{BTreeMap, HashSet};
use std::process::ExitCode;

use hegui_core::{Boundary, Scanner};

/// Words at least this frequent are kept whatever they contain (see README.md, "Size").
const MIN_FREQ: u64 = 100;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(source), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: generate <jieba dict.txt> <data dir> [--check]");
        return ExitCode::from(2);
    };
    let check = args.iter().any(|a| a == "--check");
    let full = match std::fs::read_to_string(source) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("cannot read {source}: {e}");
            return ExitCode::from(2);
        }
    };
    let scanner = Scanner::with_default_packs();
    let outputs = [
        ("jieba-dict.txt", whole(&full)),
        (
            "boundary-dict.txt",
            reduce(&full, &literals(&scanner, false), &literals(&scanner, true)),
        ),
    ];
    let mut status = ExitCode::SUCCESS;
    for (name, text) in outputs {
        let out = format!("{dir}/{name}");
        if check {
            let current = std::fs::read_to_string(&out).unwrap_or_default();
            if current != text {
                eprintln!(
                    "{out} is stale (jieba's dictionary or the default packs' terms changed): run wasm/dict/generate.sh"
                );
                status = ExitCode::from(1);
            } else {
                eprintln!("{out} is up to date");
            }
        } else if let Err(e) = std::fs::write(&out, &text) {
            eprintln!("cannot write {out}: {e}");
            return ExitCode::from(2);
        }
    }
    status
}

/// The literals of the packs, normalised as the scanner matches them: all of them
/// (terms, exceptions, context, triggers, groups), or only those whose edges the scanner
/// checks (`checked`: terms, triggers and groups of rules with word boundaries).
fn literals(scanner: &Scanner, checked: bool) -> Vec<Vec<char>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for rule in scanner.rules() {
        let d = &rule.def;
        if checked && d.boundary() != Boundary::Word {
            continue;
        }
        let (unless, context): (&[String], &[String]) = if checked {
            (&[], &[])
        } else {
            (&d.unless, &d.context)
        };
        let all = d
            .terms
            .iter()
            .chain(&d.triggers)
            .chain(d.all_of.iter().flatten())
            .chain(unless)
            .chain(context);
        for literal in all {
            let normalized = scanner.normalizer().normalize(literal).as_str().to_string();
            if seen.insert(normalized.clone()) {
                out.push(normalized.chars().collect());
            }
        }
    }
    out
}

fn contains(hay: &[char], needle: &[char]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Whether `word` crosses an edge of `literal` where the literal occurs (rule 2 above).
fn crosses_edge(word: &[char], literal: &[char]) -> bool {
    (1..word.len()).any(|i| {
        let (head, tail) = word.split_at(i);
        // The tail starts at the literal's start; the head ends at the literal's end.
        literal.starts_with(tail)
            || tail.starts_with(literal)
            || literal.ends_with(head)
            || head.ends_with(literal)
    })
}

/// The entries of jieba's `dict.txt` (`word freq tag` lines; others are skipped), by
/// word; a word on two lines has the frequency of the last, as in jieba.
fn entries(full: &str) -> BTreeMap<&str, u64> {
    full.lines()
        .filter_map(|line| {
            let mut fields = line.split_ascii_whitespace();
            let (word, freq) = (fields.next()?, fields.next()?);
            Some((word, freq.parse().unwrap_or(0)))
        })
        .collect()
}

/// `header`, `# total` (the frequencies of all of jieba's words, kept or not), then
/// a `word freq` line per word, sorted by word (a `BTreeMap` iterates `&str` keys in
/// byte order, the order the lexicon searches in).
fn sorted(header: String, total: u64, words: &BTreeMap<&str, u64>) -> String {
    let mut out = header;
    out.push_str(&format!("# total {total}\n"));
    for (word, freq) in words {
        out.push_str(&format!("{word} {freq}\n"));
    }
    out
}

/// The whole dictionary, sorted: the same words and frequencies in 4.2 MB instead of
/// 5.1 (no tags).
fn whole(full: &str) -> String {
    let words = entries(full);
    let header = format!(
        "# The jieba-rs 0.11 dictionary (MIT; jieba, Copyright (c) 2013 Sun Junyi): all {} entries,\n\
         # sorted, without part-of-speech tags. Generated by wasm/dict/generate.sh: do not edit.\n",
        words.len()
    );
    sorted(header, words.values().sum(), &words)
}

/// The reduced dictionary text: header, `# total`, then the kept words, sorted.
fn reduce(full: &str, literals: &[Vec<char>], checked: &[Vec<char>]) -> String {
    let words = entries(full);
    let total = words.values().sum();
    let kept: BTreeMap<&str, u64> = words
        .iter()
        .filter(|&(word, &freq)| {
            let chars: Vec<char> = word.chars().collect();
            freq >= MIN_FREQ
                || literals.iter().any(|l| contains(l, &chars))
                || checked.iter().any(|l| crosses_edge(&chars, l))
        })
        .map(|(&word, &freq)| (word, freq))
        .collect();
    let header = format!(
        "# The jieba-rs 0.11 dictionary (MIT), reduced to what word-boundary decisions around\n\
         # the default packs' terms need. Generated by wasm/dict/generate.sh: do not edit.\n\
         # {} of {} entries: frequency >= {MIN_FREQ}, inside a term, or crossing a term's edge.\n",
        kept.len(),
        words.len()
    );
    sorted(header, total, &kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_crossing_an_edge() {
        let literal: Vec<char> = "第一".chars().collect();
        let crosses = |w: &str| crosses_edge(&w.chars().collect::<Vec<_>>(), &literal);
        assert!(crosses("门第")); // crosses the start edge
        assert!(crosses("一个")); // crosses the end edge
        assert!(crosses("第一名"));
        assert!(crosses("天下第一"));
        assert!(!crosses("第"));
        assert!(!crosses("名次"));
        assert!(!crosses("第二"));
    }

    #[test]
    fn whole_keeps_every_word_and_frequency_sorted() {
        let text = whole("第一名 5 m\n名次 3 n\n我们 500 r\n保本 5 v\n名次 4 n\n");
        assert!(text.contains("all 4 entries"), "{text}");
        assert!(
            text.ends_with("# total 514\n保本 5\n名次 4\n我们 500\n第一名 5\n"),
            "{text}"
        );
    }

    #[test]
    fn reduce_keeps_frequent_inside_and_crossing_words_and_the_total() {
        let full = "第一名 5 m\n名次 3 n\n我们 500 r\n保本 7 v\n本息 2 n\n";
        let text = reduce(full, &[vec!['保', '本']], &[vec!['第', '一']]);
        assert!(text.contains("3 of 5 entries"), "{text}");
        assert!(
            text.ends_with("# total 517\n保本 7\n我们 500\n第一名 5\n"),
            "{text}"
        );
    }
}
