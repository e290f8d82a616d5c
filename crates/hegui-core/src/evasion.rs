//! Evasion variants: a message rewritten the way marketers disguise it, and a check that
//! every rule still fires on its disguised `fires` examples and still passes its disguised
//! `passes` examples.
//!
//! The mutations are the ones seen in real campaigns, applied only where a reader still
//! reads the same message:
//!
//! | mutation | what | where |
//! |---|---|---|
//! | `separator` | 1–3 of `* - _ . | / ~ · ★ ♥ …` | between two Chinese characters |
//! | `emoji` | 🔥 ❤️ 👍🏻 🧧 🇨🇳 … | between two Chinese characters |
//! | `line-break` | `\n` or `\r\n` | between two Chinese characters |
//! | `zero-width` | U+200B, U+200C, U+200D, U+2060, U+FEFF | between any two characters |
//! | `full-width` | `ＮＯ．１`, `１００％` | printable ASCII |
//! | `case` | `No.1`, `VX` | ASCII letters |
//! | `traditional` | `转发` → `轉發` (the inverted traditional → simplified table) | Chinese characters |
//! | `homophone` | `微信` → `薇信` (the inverted `[variants]` tables of the packs) | a variant's target |
//! | `circled-digit` | `①⓪⓪%`, `❶`, `1️⃣` | ASCII digits |
//!
//! Links (as `hegui_url::extract` finds them) are never touched: a changed URL is a
//! different URL. Separators go only between Chinese characters, never inside ASCII
//! words; a separator or emoji that a pack's variants give a meaning (`"🧧" = "红包"`) is
//! not used as one. A homophone is placed only where the normaliser's rules read it as
//! such: not continuing an ASCII word (`a` + `vx`), and not turning separators between
//! Chinese characters into separators before a Latin word (`转🔥微信` → `转🔥vx`).
//! Everything is deterministic for a seed (SplitMix64, no global state).
//!
//! ```
//! use hegui_core::evasion::{Mutation, Mutator};
//! let mutator = Mutator::new(&[("薇信".to_string(), "微信".to_string())]);
//! let variants = mutator.variants("加微信领红包", 7, 8);
//! assert_eq!(variants.len(), 8);
//! for v in &variants {
//!     assert_ne!(v.text, "加微信领红包");
//!     // The disguised form of "领红包" is where "领红包" was.
//!     let mapped = v.map_range(9..18);
//!     assert!(!v.text[mapped].is_empty());
//! }
//! assert_eq!(variants, mutator.variants("加微信领红包", 7, 8), "deterministic");
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::chars::{is_han, is_separator};
use crate::error::Location;
use crate::examples::Expectation;
use crate::normalize::Normalizer;
use crate::scanner::Scanner;
use crate::t2s_table::T2S;

/// One way of disguising text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mutation {
    /// Symbols or spaces between Chinese characters (`转*发`).
    Separator,
    /// Emoji between Chinese characters (`转🔥发`).
    Emoji,
    /// A line break between Chinese characters.
    LineBreak,
    /// Zero-width characters between characters.
    ZeroWidth,
    /// Full-width ASCII (`ＶＸ`).
    FullWidth,
    /// Upper/lower case of ASCII letters.
    Case,
    /// Traditional characters (`轉發`).
    Traditional,
    /// A homophone or look-alike from the packs' `[variants]` (`薇信`).
    Homophone,
    /// Circled, dingbat or keycap digits (`①`, `❶`, `1️⃣`).
    CircledDigit,
}

impl Mutation {
    /// Every mutation, in a fixed order.
    pub const ALL: [Mutation; 9] = [
        Mutation::Separator,
        Mutation::Emoji,
        Mutation::LineBreak,
        Mutation::ZeroWidth,
        Mutation::FullWidth,
        Mutation::Case,
        Mutation::Traditional,
        Mutation::Homophone,
        Mutation::CircledDigit,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mutation::Separator => "separator",
            Mutation::Emoji => "emoji",
            Mutation::LineBreak => "line-break",
            Mutation::ZeroWidth => "zero-width",
            Mutation::FullWidth => "full-width",
            Mutation::Case => "case",
            Mutation::Traditional => "traditional",
            Mutation::Homophone => "homophone",
            Mutation::CircledDigit => "circled-digit",
        }
    }

    /// Whether the mutation inserts characters into a gap between two characters.
    fn inserts(self) -> bool {
        matches!(
            self,
            Mutation::Separator | Mutation::Emoji | Mutation::LineBreak | Mutation::ZeroWidth
        )
    }
}

impl fmt::Display for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Separators marketers put between characters (each is one the normaliser removes
/// between Chinese characters).
const SEPARATORS: &[&str] = &[
    " ", "*", "-", "_", ".", "|", "/", "~", "·", "\u{3000}", "^", "#", "+", "=", "•", "★", "☆",
    "♥", "✿", "❀", "→", "‧", "∙", "｜", "／", "＊", "～", "．", "\u{00A0}",
];

/// Emoji marketers put between characters, including sequences with variation
/// selectors, skin tones, flags and joiners.
const EMOJI: &[&str] = &[
    "🔥",
    "❤️",
    "👍",
    "👍🏻",
    "🧧",
    "💰",
    "✨",
    "🎁",
    "⭐",
    "☀️",
    "✅",
    "♨️",
    "🇨🇳",
    "👨\u{200D}👩",
    "😂",
    "〰️",
];

const LINE_BREAKS: &[&str] = &["\n", "\r\n"];

const ZERO_WIDTH: &[&str] = &["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}"];

/// Circled digits 0–9 (NFKC folds them to ASCII).
const CIRCLED: [char; 10] = ['⓪', '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨'];
/// Negative circled digits 0–9 (the normaliser's digit table folds them).
const DINGBAT: [char; 10] = ['⓿', '❶', '❷', '❸', '❹', '❺', '❻', '❼', '❽', '❾'];

/// A small deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// FNV-1a, for deriving per-example seeds that do not depend on the order of rules.
fn fnv(seed: u64, parts: &[&[u8]]) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325u64 ^ seed;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01B3);
        }
        h ^= 0xFF;
        h = h.wrapping_mul(0x0100_0000_01B3);
    }
    h
}

/// Makes disguised variants of texts. Built once; cheap to use.
#[derive(Debug, Clone)]
pub struct Mutator {
    /// Simplified → traditional forms (the inverted traditional → simplified table).
    s2t: BTreeMap<char, Vec<char>>,
    /// Canonical text → its variants, longest canonical first.
    homophones: Vec<(String, Vec<String>)>,
    /// Separators and emoji to insert: those that no homophone uses (`🧧` stands for
    /// `红包` when a pack says so, and is then not a meaningless separator).
    separators: Vec<&'static str>,
    emoji: Vec<&'static str>,
}

impl Default for Mutator {
    fn default() -> Self {
        Mutator::new(&[])
    }
}

/// A piece of a variant: the original byte range it stands for (empty for inserted
/// characters) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Unit {
    src: Range<usize>,
    text: String,
    /// Part of a link, or already replaced: no further changes.
    locked: bool,
    /// Inside a link: no insertions before it either.
    in_link: bool,
}

/// A disguised variant of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The disguised text.
    pub text: String,
    /// The mutations applied, in [`Mutation::ALL`] order.
    pub mutations: Vec<Mutation>,
    /// `(original byte range, variant byte range)` of every piece taken from the original.
    pieces: Vec<(Range<usize>, Range<usize>)>,
}

impl Variant {
    /// The byte range of the variant that original byte range `original` became: from
    /// the first to the last piece taken from it (characters inserted before or after
    /// it are outside, characters inserted inside it are inside).
    pub fn map_range(&self, original: Range<usize>) -> Range<usize> {
        let mut start = None;
        let mut end = None;
        for (src, out) in &self.pieces {
            let overlaps = if original.is_empty() {
                src.start <= original.start && original.start < src.end
            } else {
                src.start < original.end && original.start < src.end
            };
            if overlaps {
                start.get_or_insert(out.start);
                end = Some(out.end);
            }
        }
        match (start, end) {
            (Some(s), Some(e)) => s..e,
            _ => {
                // Past the end (or an empty text): map to the end of what precedes it.
                let at = self
                    .pieces
                    .iter()
                    .take_while(|(src, _)| src.end <= original.start)
                    .last()
                    .map_or(0, |(_, out)| out.end);
                at..at
            }
        }
    }
}

impl Mutator {
    /// A mutator whose homophones are the given `(variant, canonical)` pairs (a pack's
    /// `[variants]` table).
    pub fn new(variants: &[(String, String)]) -> Mutator {
        let mut s2t: BTreeMap<char, Vec<char>> = BTreeMap::new();
        for &(t, s) in T2S {
            s2t.entry(s).or_default().push(t);
        }
        let mut homophones: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (variant, canonical) in variants {
            if variant.is_empty() || canonical.is_empty() || variant == canonical {
                continue;
            }
            let list = homophones.entry(canonical.clone()).or_default();
            if !list.contains(variant) {
                list.push(variant.clone());
            }
        }
        let mut homophones: Vec<(String, Vec<String>)> = homophones.into_iter().collect();
        homophones.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let used: Vec<char> = homophones
            .iter()
            .flat_map(|(_, variants)| variants.iter().flat_map(|v| v.chars()))
            .collect();
        let free = |list: &[&'static str]| -> Vec<&'static str> {
            list.iter()
                .copied()
                .filter(|s| !s.chars().any(|c| used.contains(&c)))
                .collect()
        };
        Mutator {
            s2t,
            separators: free(SEPARATORS),
            emoji: free(EMOJI),
            homophones,
        }
    }

    /// A mutator with the variant tables of every pack of `scanner`.
    pub fn for_scanner(scanner: &Scanner) -> Mutator {
        let pairs: Vec<(String, String)> = scanner
            .normalizer()
            .variant_pairs()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Mutator::new(&pairs)
    }

    /// Up to `count` distinct variants of `text`, each different from `text`.
    ///
    /// Variant `i` applies mutation `i` (cycling through those that apply to the text)
    /// and, with some probability, others. Fewer than `count` are returned when the
    /// text allows fewer distinct variants.
    pub fn variants(&self, text: &str, seed: u64, count: usize) -> Vec<Variant> {
        let base = self.units(text);
        let applicable: Vec<Mutation> = Mutation::ALL
            .into_iter()
            .filter(|&m| self.applies(&base, m))
            .collect();
        let mut out: Vec<Variant> = Vec::new();
        if applicable.is_empty() {
            return out;
        }
        let mut rng = Rng::new(fnv(seed, &[text.as_bytes()]));
        let mut attempt = 0;
        while out.len() < count && attempt < count.saturating_mul(4).max(8) {
            let primary = applicable[attempt % applicable.len()];
            attempt += 1;
            let mut chosen = vec![primary];
            for &m in &applicable {
                if m != primary && rng.chance(25) {
                    chosen.push(m);
                }
            }
            chosen.sort();
            let variant = self.apply(&base, &chosen, &mut rng);
            if variant.text != text && !out.iter().any(|v| v.text == variant.text) {
                out.push(variant);
            }
        }
        out
    }

    /// One unit per character; links locked.
    fn units(&self, text: &str) -> Vec<Unit> {
        let links: Vec<Range<usize>> = hegui_url::extract(text)
            .into_iter()
            .map(|l| l.span)
            .collect();
        text.char_indices()
            .map(|(i, c)| {
                let src = i..i + c.len_utf8();
                let in_link = links.iter().any(|l| l.start <= i && i < l.end);
                Unit {
                    src,
                    text: c.to_string(),
                    locked: in_link,
                    in_link,
                }
            })
            .collect()
    }

    fn applies(&self, units: &[Unit], m: Mutation) -> bool {
        match m {
            Mutation::Separator | Mutation::Emoji | Mutation::LineBreak => {
                (1..units.len()).any(|i| han_gap(units, i))
            }
            Mutation::ZeroWidth => (1..units.len()).any(|i| free_gap(units, i)),
            Mutation::Homophone => !self.homophone_sites(units).is_empty(),
            _ => units.iter().any(|u| self.char_mutation(u, m).is_some()),
        }
    }

    /// Whether mutation `m` can change unit `u`, and the characters it may produce.
    fn char_mutation(&self, u: &Unit, m: Mutation) -> Option<Vec<String>> {
        if u.locked {
            return None;
        }
        let mut chars = u.text.chars();
        let c = chars.next()?;
        if chars.next().is_some() {
            return None;
        }
        match m {
            Mutation::Traditional => self
                .s2t
                .get(&c)
                .map(|ts| ts.iter().map(char::to_string).collect()),
            Mutation::Case if c.is_ascii_alphabetic() => {
                let flipped = if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                };
                Some(vec![flipped.to_string()])
            }
            Mutation::FullWidth if c.is_ascii_graphic() => {
                char::from_u32(c as u32 + 0xFEE0).map(|w| vec![w.to_string()])
            }
            Mutation::CircledDigit if c.is_ascii_digit() => {
                let d = c as usize - '0' as usize;
                Some(vec![
                    CIRCLED[d].to_string(),
                    DINGBAT[d].to_string(),
                    format!("{c}\u{FE0F}\u{20E3}"),
                ])
            }
            _ => None,
        }
    }

    /// Places where a homophone's canonical text occurs: `(first unit, unit count,
    /// homophone index)`, leftmost-longest, not overlapping, on ASCII word edges.
    fn homophone_sites(&self, units: &[Unit]) -> Vec<(usize, usize, usize)> {
        let mut sites = Vec::new();
        let mut i = 0;
        'outer: while i < units.len() {
            for (h, (canonical, variants)) in self.homophones.iter().enumerate() {
                let n = canonical.chars().count();
                if i + n > units.len() || units[i..i + n].iter().any(|u| u.locked) {
                    continue;
                }
                let joined: String = units[i..i + n].iter().map(|u| u.text.as_str()).collect();
                if joined != *canonical {
                    continue;
                }
                let (before, after) = neighbours(units, i, n);
                if variants
                    .iter()
                    .any(|v| fits_edges(canonical, v, before, after))
                {
                    sites.push((i, n, h));
                    i += n;
                    continue 'outer;
                }
            }
            i += 1;
        }
        sites
    }

    fn apply(&self, base: &[Unit], chosen: &[Mutation], rng: &mut Rng) -> Variant {
        let mut units = base.to_vec();
        let mut applied: Vec<Mutation> = Vec::new();
        if chosen.contains(&Mutation::Homophone) && self.homophones_into(&mut units, rng) {
            applied.push(Mutation::Homophone);
        }
        // Character mutations: each character changes with probability 1/2, and one
        // eligible character is forced so that the mutation really happens.
        for &m in chosen
            .iter()
            .filter(|m| !m.inserts() && **m != Mutation::Homophone)
        {
            let eligible: Vec<usize> = (0..units.len())
                .filter(|&i| self.char_mutation(&units[i], m).is_some())
                .collect();
            if eligible.is_empty() {
                continue;
            }
            let forced = eligible[rng.below(eligible.len())];
            for &i in &eligible {
                if i == forced || rng.chance(50) {
                    if let Some(options) = self.char_mutation(&units[i], m) {
                        units[i].text = rng.pick(&options).clone();
                        // A digit becomes circled or full-width, not both.
                        if m == Mutation::CircledDigit || m == Mutation::FullWidth {
                            units[i].locked = true;
                        }
                    }
                }
            }
            applied.push(m);
        }
        // Insertions into gaps, at most one kind of run per gap.
        let inserting: Vec<Mutation> = chosen.iter().copied().filter(|m| m.inserts()).collect();
        let mut inserts: Vec<(usize, String)> = Vec::new();
        for &m in &inserting {
            let gaps: Vec<usize> = (1..units.len())
                .filter(|&i| {
                    if m == Mutation::ZeroWidth {
                        free_gap(&units, i)
                    } else {
                        han_gap(&units, i)
                    }
                })
                .filter(|&i| m == Mutation::ZeroWidth || !inserts.iter().any(|(g, _)| *g == i))
                .collect();
            if gaps.is_empty() {
                continue;
            }
            let forced = gaps[rng.below(gaps.len())];
            let percent = if m == Mutation::ZeroWidth { 30 } else { 40 };
            for &gap in &gaps {
                if gap == forced || rng.chance(percent) {
                    inserts.push((gap, self.run(m, rng)));
                }
            }
            applied.push(m);
        }
        inserts.sort_by_key(|(gap, _)| *gap);
        applied.sort();
        assemble(&units, &inserts, applied)
    }

    /// Replaces homophone sites (each with probability 1/2, at least one).
    fn homophones_into(&self, units: &mut Vec<Unit>, rng: &mut Rng) -> bool {
        let sites = self.homophone_sites(units);
        if sites.is_empty() {
            return false;
        }
        let forced = rng.below(sites.len());
        // Right to left, so that earlier indexes stay valid.
        for (k, &(start, n, h)) in sites.iter().enumerate().rev() {
            if k != forced && !rng.chance(50) {
                continue;
            }
            let (before, after) = neighbours(units, start, n);
            let options: Vec<&String> = self.homophones[h]
                .1
                .iter()
                .filter(|v| fits_edges(&self.homophones[h].0, v, before, after))
                .collect();
            if options.is_empty() {
                continue;
            }
            let variant = (*rng.pick(&options)).clone();
            let src = units[start].src.start..units[start + n - 1].src.end;
            units.splice(
                start..start + n,
                [Unit {
                    src,
                    text: variant,
                    locked: true,
                    in_link: false,
                }],
            );
        }
        true
    }
}

/// The characters just before and just after units `start..start + n` as the
/// normaliser's variant table sees them: folded, with invisible characters removed
/// (`1️⃣` before a homophone is a `1`).
fn neighbours(units: &[Unit], start: usize, n: usize) -> (Option<char>, Option<char>) {
    const CONTEXT: usize = 8;
    let plain = Normalizer::default();
    let end = (start + n).min(units.len());
    let before: String = units[start.saturating_sub(CONTEXT)..start]
        .iter()
        .map(|u| u.text.as_str())
        .collect();
    let after: String = units[end..(end + CONTEXT).min(units.len())]
        .iter()
        .map(|u| u.text.as_str())
        .collect();
    (
        plain.normalize(&before).as_str().chars().next_back(),
        plain.normalize(&after).as_str().chars().next(),
    )
}

/// Whether `variant` can stand for `canonical` between `before` and `after`:
///
/// * next to an ASCII letter or digit, neither it nor what it replaces may start or end
///   with one: like the normaliser's variant table, a homophone does not continue an
///   ASCII word (`a` + `vx`), and replacing `qq` in `qqgu票` would cut the word `qqgu`
///   and let `gu票` be read as a homophone of its own;
/// * separators next to it stay between the same kinds of characters (`转🔥微信` → `转🔥v信`
///   would turn separators between Chinese characters, which the normaliser removes,
///   into a symbol before a Latin word, which it keeps).
fn fits_edges(canonical: &str, variant: &str, before: Option<char>, after: Option<char>) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let han = |c: Option<char>| c.is_some_and(is_han);
    let (cf, vf) = (canonical.chars().next(), variant.chars().next());
    let (cl, vl) = (canonical.chars().next_back(), variant.chars().next_back());
    let separated = |c: Option<char>| c.is_some_and(is_separator);
    !((alnum(vf) || alnum(cf)) && alnum(before)
        || (alnum(vl) || alnum(cl)) && alnum(after)
        || han(cf) != han(vf) && separated(before)
        || han(cl) != han(vl) && separated(after))
}

/// Whether gap `i` (before unit `i`) lies between two Chinese characters outside links.
fn han_gap(units: &[Unit], i: usize) -> bool {
    free_gap(units, i)
        && units[i - 1].text.chars().last().is_some_and(is_han)
        && units[i].text.chars().next().is_some_and(is_han)
}

/// Whether gap `i` (before unit `i`) may receive characters: not inside or at the edge
/// of a link.
fn free_gap(units: &[Unit], i: usize) -> bool {
    !units[i - 1].in_link && !units[i].in_link
}

impl Mutator {
    /// The characters one insertion adds.
    fn run(&self, m: Mutation, rng: &mut Rng) -> String {
        match m {
            Mutation::Separator => {
                let n = 1 + rng.below(3);
                (0..n).map(|_| *rng.pick(&self.separators)).collect()
            }
            Mutation::Emoji => (*rng.pick(&self.emoji)).to_string(),
            Mutation::LineBreak => (*rng.pick(LINE_BREAKS)).to_string(),
            _ => (*rng.pick(ZERO_WIDTH)).to_string(),
        }
    }
}

fn assemble(units: &[Unit], inserts: &[(usize, String)], mutations: Vec<Mutation>) -> Variant {
    let mut text = String::new();
    let mut pieces = Vec::with_capacity(units.len());
    let mut next = inserts.iter().peekable();
    for (i, unit) in units.iter().enumerate() {
        while let Some((_, s)) = next.next_if(|(gap, _)| *gap == i) {
            text.push_str(s);
        }
        let start = text.len();
        text.push_str(&unit.text);
        pieces.push((unit.src.clone(), start..text.len()));
    }
    Variant {
        text,
        mutations,
        pieces,
    }
}

/// Settings of an evasion run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvasionOptions {
    /// Seed; the same seed gives the same variants.
    pub seed: u64,
    /// Variants per example.
    pub variants: usize,
}

impl Default for EvasionOptions {
    fn default() -> Self {
        EvasionOptions {
            seed: 1,
            variants: 20,
        }
    }
}

/// Evasion results of one rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RuleEvasion {
    /// The rule id.
    pub rule_id: String,
    /// Variants of `fires` examples scanned.
    pub variants: usize,
    /// Of those, variants on which the rule fired over the disguised text.
    pub still_fire: usize,
    /// Variants of `passes` examples scanned.
    pub pass_variants: usize,
    /// Of those, variants on which the rule fired.
    pub passes_broken: usize,
}

impl RuleEvasion {
    /// `still_fire / variants` (1 when there are no variants).
    pub fn robustness(&self) -> f64 {
        ratio(self.still_fire, self.variants)
    }
}

/// A disguised example that the rule did not handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvasionFailure {
    /// The rule id.
    pub rule_id: String,
    /// What the example expects.
    pub expected: Expectation,
    /// Where the example is written.
    pub location: Location,
    /// The example as written.
    pub example: String,
    /// The disguised variant.
    pub variant: String,
    /// The mutations that made it.
    pub mutations: Vec<Mutation>,
    /// What went wrong.
    pub reason: String,
}

impl fmt::Display for EvasionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<&str> = self.mutations.iter().map(|m| m.as_str()).collect();
        write!(
            f,
            "{}: rule `{}`: {:?} disguised as {:?} ({}): {}",
            self.location,
            self.rule_id,
            self.example,
            self.variant,
            kinds.join(", "),
            self.reason
        )
    }
}

/// The result of [`Scanner::check_evasions`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvasionRun {
    /// The options used.
    pub seed: u64,
    /// Variants of `fires` examples scanned.
    pub variants: usize,
    /// Of those, variants on which their rule fired over the disguised text.
    pub still_fire: usize,
    /// Variants of `passes` examples scanned.
    pub pass_variants: usize,
    /// Of those, variants on which their rule fired.
    pub passes_broken: usize,
    /// Examples left out because they fail undisguised (`hegui rules test` reports them).
    pub skipped: usize,
    /// Per rule, in scanner order.
    pub rules: Vec<RuleEvasion>,
    /// Every variant that failed.
    pub failures: Vec<EvasionFailure>,
}

impl EvasionRun {
    /// `still_fire / variants` (1 when there are no variants).
    pub fn robustness(&self) -> f64 {
        ratio(self.still_fire, self.variants)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

impl Scanner {
    /// Disguises every `fires` and `passes` example of every rule (see
    /// [`evasion`](crate::evasion)) and checks that each disguised `fires` example still
    /// fires its rule at a span covering the disguised text, and that each disguised
    /// `passes` example still passes. Examples that fail undisguised are skipped.
    pub fn check_evasions(&self, options: &EvasionOptions) -> EvasionRun {
        self.check_evasions_with(&Mutator::for_scanner(self), options)
    }

    /// [`check_evasions`](Scanner::check_evasions) with a given mutator (e.g. with
    /// homophones the packs do not know yet).
    pub fn check_evasions_with(&self, mutator: &Mutator, options: &EvasionOptions) -> EvasionRun {
        let mut run = EvasionRun {
            seed: options.seed,
            ..EvasionRun::default()
        };
        for rule in self.rules() {
            let id = rule.id();
            let mut stats = RuleEvasion {
                rule_id: id.to_string(),
                ..RuleEvasion::default()
            };
            let fires = rule.def.fires.iter().zip(rule.fires_at());
            for (n, (example, location)) in fires.enumerate() {
                let spans: Vec<Range<usize>> = self
                    .scan(example)
                    .findings
                    .iter()
                    .filter(|f| &*f.rule_id == id)
                    .map(|f| f.span.bytes())
                    .collect();
                if spans.is_empty() {
                    run.skipped += 1;
                    continue;
                }
                let seed = fnv(options.seed, &[id.as_bytes(), b"fires", &n.to_le_bytes()]);
                for variant in mutator.variants(example, seed, options.variants) {
                    stats.variants += 1;
                    match self.fires_over(id, example, &spans, &variant) {
                        Ok(()) => stats.still_fire += 1,
                        Err(reason) => run.failures.push(EvasionFailure {
                            rule_id: id.to_string(),
                            expected: Expectation::Fires,
                            location: location.clone(),
                            example: example.clone(),
                            variant: variant.text,
                            mutations: variant.mutations,
                            reason,
                        }),
                    }
                }
            }
            let passes = rule.def.passes.iter().zip(rule.passes_at());
            for (n, (example, location)) in passes.enumerate() {
                if self
                    .scan(example)
                    .findings
                    .iter()
                    .any(|f| &*f.rule_id == id)
                {
                    run.skipped += 1;
                    continue;
                }
                let seed = fnv(options.seed, &[id.as_bytes(), b"passes", &n.to_le_bytes()]);
                for variant in mutator.variants(example, seed, options.variants) {
                    stats.pass_variants += 1;
                    let report = self.scan(&variant.text);
                    if let Some(f) = report.findings.iter().find(|f| &*f.rule_id == id) {
                        stats.passes_broken += 1;
                        let reason =
                            format!("fired on {:?}{}", f.text, self.hint(example, &variant));
                        run.failures.push(EvasionFailure {
                            rule_id: id.to_string(),
                            expected: Expectation::Passes,
                            location: location.clone(),
                            example: example.clone(),
                            variant: variant.text,
                            mutations: variant.mutations,
                            reason,
                        });
                    }
                }
            }
            run.variants += stats.variants;
            run.still_fire += stats.still_fire;
            run.pass_variants += stats.pass_variants;
            run.passes_broken += stats.passes_broken;
            run.rules.push(stats);
        }
        run
    }

    /// Whether rule `id` fires on `variant` over the disguised form of every span it
    /// fired on in `example`.
    fn fires_over(
        &self,
        id: &str,
        example: &str,
        spans: &[Range<usize>],
        variant: &Variant,
    ) -> Result<(), String> {
        let report = self.scan(&variant.text);
        let found: Vec<Range<usize>> = report
            .findings
            .iter()
            .filter(|f| &*f.rule_id == id)
            .map(|f| f.span.bytes())
            .collect();
        if found.is_empty() {
            return Err(format!("did not fire{}", self.hint(example, variant)));
        }
        for span in spans {
            let want = variant.map_range(span.clone());
            if !found
                .iter()
                .any(|f| f.start <= want.start && want.end <= f.end)
            {
                let got: Vec<&str> = found.iter().map(|f| &variant.text[f.clone()]).collect();
                return Err(format!(
                    "fired on {got:?}, not over the disguised {:?}{}",
                    &variant.text[want],
                    self.hint(example, variant)
                ));
            }
        }
        Ok(())
    }

    /// A note when the normaliser does not undo the disguise.
    fn hint(&self, example: &str, variant: &Variant) -> String {
        let a = self.normalizer().normalize(example);
        let b = self.normalizer().normalize(&variant.text);
        if a.as_str() == b.as_str() {
            String::new()
        } else {
            format!(
                " (normalised {:?}, undisguised normalises to {:?})",
                b.as_str(),
                a.as_str()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mutator() -> Mutator {
        Mutator::new(&[
            ("薇信".to_string(), "微信".to_string()),
            ("v信".to_string(), "微信".to_string()),
        ])
    }

    #[test]
    fn every_mutation_undoes_under_normalisation() {
        let normalizer = Normalizer::new(&[
            ("薇信".to_string(), "微信".to_string()),
            ("v信".to_string(), "微信".to_string()),
        ]);
        for text in [
            "加微信领红包，NO.1，100%有效",
            "转发本文到朋友圈 http://t.cn/AbC1 即可领取",
            "a微信b",
        ] {
            let want = normalizer.normalize(text);
            for v in mutator().variants(text, 3, 40) {
                assert_eq!(
                    normalizer.normalize(&v.text).as_str(),
                    want.as_str(),
                    "{:?} {:?}",
                    v.text,
                    v.mutations
                );
            }
        }
    }

    #[test]
    fn links_are_left_alone() {
        let text = "转发http://t.cn/AbC1领取";
        for v in mutator().variants(text, 9, 40) {
            assert!(v.text.contains("http://t.cn/AbC1"), "{:?}", v.text);
        }
    }

    #[test]
    fn each_mutation_kind_is_used() {
        let text = "加微信领红包，NO.1，100%有效";
        let mut seen: Vec<Mutation> = mutator()
            .variants(text, 1, 30)
            .into_iter()
            .flat_map(|v| v.mutations)
            .collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen, Mutation::ALL.to_vec());
    }

    #[test]
    fn ranges_map_to_the_disguised_text() {
        let text = "转发领红包";
        for v in Mutator::default().variants(text, 5, 20) {
            let whole = v.map_range(0..text.len());
            assert_eq!(whole, 0..v.text.len(), "{:?}", v.text);
            let inner = v.map_range("转".len().."转发".len());
            let normalized = Normalizer::default().normalize(&v.text[inner]);
            assert_eq!(normalized.as_str(), "发", "{:?}", v.text);
        }
    }

    #[test]
    fn homophones_respect_ascii_edges_past_invisible_and_styled_characters() {
        let m = Mutator::new(&[("pyq".to_string(), "朋友圈".to_string())]);
        for text in [
            "1\u{FE0F}\u{20E3}朋友圈",
            "Ａ朋友圈",
            "①朋友圈",
            "x\u{200B}朋友圈",
        ] {
            assert!(
                m.variants(text, 1, 10)
                    .iter()
                    .all(|v| !v.text.contains("pyq")),
                "{text:?}"
            );
        }
    }

    #[test]
    fn homophones_respect_ascii_edges() {
        let m = Mutator::new(&[("v信".to_string(), "微信".to_string())]);
        assert!(m
            .variants("a微信", 1, 10)
            .iter()
            .all(|v| !v.text.contains("v信")));
        assert!(m
            .variants("加微信", 1, 10)
            .iter()
            .any(|v| v.text.contains("v信")));
    }
}
