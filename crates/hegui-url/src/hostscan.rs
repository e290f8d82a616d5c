//! Reading a host name out of the cell stream: labels, (disguised) dots,
//! bracketed IPv6 literals, and the decision of how many labels form the host.

use crate::chars::{Cell, Class};
use crate::extract::Obfuscation;

/// Where a host ends in the cell stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HostMatch {
    /// Cell index just past the host.
    pub(crate) end: usize,
}

#[derive(Debug, Clone, Copy)]
struct Label {
    start: usize,
    end: usize,
    cjk: bool,
}

/// Separator between two labels; `disguised` when it is not a plain `.`
/// (a dot word, an ideographic or full-width dot, or spaces around it).
#[derive(Debug, Clone, Copy)]
struct Sep {
    disguised: bool,
    spaced: bool,
}

/// Top-level domains accepted for hosts written in a disguised form. Kept
/// short on purpose: `AI。AI` or `8点am` in prose must not become links.
const DISGUISE_TLDS: &[&str] = &[
    "app", "asia", "au", "biz", "ca", "cc", "club", "cn", "co", "com", "de", "fr", "fun", "gd",
    "gl", "hk", "icu", "im", "info", "ink", "io", "jp", "kr", "la", "link", "live", "ltd", "ly",
    "me", "mo", "mobi", "my", "net", "online", "org", "pro", "ren", "ru", "sg", "shop", "site",
    "so", "store", "tech", "top", "tv", "tw", "uk", "us", "vip", "wang", "work", "xin", "xyz",
];

/// TLDs accepted for hosts disguised with spaces.
const SPACED_TLDS: &[&str] = &["cc", "cn", "com", "net", "org", "top", "vip", "xyz"];

/// Whether `name` (ASCII, lower case) is one of [`DISGUISE_TLDS`], of which
/// [`SPACED_TLDS`] is a part: a disguised host's top-level domain is one of them.
pub(crate) fn is_disguise_tld(name: &[u8]) -> bool {
    DISGUISE_TLDS.iter().any(|tld| tld.as_bytes() == name)
}

/// The link pre-filter (`chars::may_contain_link`) lets a CJK suffix through only after
/// a plain `.`: a disguised host takes its TLD from the two lists above, all ASCII.
const _: () = assert!(all_ascii(DISGUISE_TLDS) && all_ascii(SPACED_TLDS));

const fn all_ascii(words: &[&str]) -> bool {
    let mut i = 0;
    while i < words.len() {
        if !words[i].is_ascii() {
            return false;
        }
        i += 1;
    }
    true
}

/// At most this many digits in a number of a dotted quad (`192.168.0.1`).
pub(crate) const OCTET_DIGITS: usize = 3;

/// Non-ASCII TLDs accepted for CJK hosts without scheme (`例子.中国`); others
/// such as `.手机` occur in prose (`听不到.手机`).
pub(crate) const CJK_BARE_TLDS: &[&str] = &["中国", "中國", "公司", "网络", "網絡"];

/// Generic TLDs accepted without scheme besides country codes and
/// [`DISGUISE_TLDS`].
const BARE_GTLDS: &[&str] = &[
    "aero", "cloud", "coop", "edu", "email", "gov", "group", "int", "jobs", "mil", "museum",
    "name", "net", "news", "red", "run", "space", "today", "travel", "website", "wiki",
];

/// Reads a host starting at cell `at`.
///
/// `scheme` relaxes the rules (single labels, unknown suffixes) for links
/// that carry an explicit scheme. `memo` keeps what the reader learnt of the text
/// (the runs of labels, the lists' answers) for the next start.
pub(crate) fn host_at(
    cells: &[Cell],
    at: usize,
    scheme: bool,
    memo: &mut HostMemo,
) -> Option<HostMatch> {
    if cells.get(at)?.ch == '[' {
        return ipv6_at(cells, at, scheme);
    }
    let HostMemo { runs, listed } = memo;
    let first = runs.label_at(cells, at, listed)?;
    // The host's labels: at most `MAX_LABELS` of the run, from this one on.
    let last = (first + MAX_LABELS).min(runs.run_end[first] as usize) - 1;
    let mut host_to = |k: usize| {
        let labels = &runs.labels[first..=k];
        accept(
            cells,
            labels,
            runs.flags(first, k),
            scheme,
            k == last,
            listed,
        )
    };
    if let Some(found) = host_to(last) {
        return Some(found);
    }
    // Then the shorter prefixes, longest first, among those that can end a host (see
    // `Runs::ends`): the prefixes from `first` are plain up to the label where they
    // turn disguised, disguised up to the one where they turn spaced, spaced after.
    let turns = runs.turns[first];
    let (disguised_from, spaced_from) = (turns.disguised as usize, turns.spaced as usize);
    let plain = Strictness::of(Flags::default(), scheme);
    // The last label before `below` that can end a host judged with `strictness`.
    let end_before = |below: usize, strictness: Strictness| {
        below
            .checked_sub(1)
            .map_or(NONE, |k| runs.ends[k][strictness as usize])
    };
    let segments = [
        (spaced_from, last, Strictness::Spaced),
        (disguised_from, spaced_from.min(last), Strictness::Disguised),
        (first, disguised_from.min(last), plain),
    ];
    for (from, below, strictness) in segments {
        let mut k = end_before(below, strictness);
        while k != NONE && k as usize >= from.max(first) {
            if let Some(found) = host_to(k as usize) {
                return Some(found);
            }
            k = end_before(k as usize, strictness);
        }
    }
    None
}

/// What [`host_at`] keeps of one text from one start to the next.
#[derive(Debug, Default)]
pub(crate) struct HostMemo {
    runs: Runs,
    listed: Listed,
}

/// The runs of labels of one text, each read once, whole, from the first of its labels
/// that a host was looked for at. A start inside a run takes the rest of it from here:
/// the labels that follow a label, and the separators between them, depend on that
/// label alone. (Each start read up to [`MAX_LABELS`] labels again before, and tried
/// every prefix, so a long run such as `ｗｗｗ．ｗｗｗ．…` was read 127 times over.)
///
/// Nothing is allocated until a label is first read.
#[derive(Debug, Default)]
struct Runs {
    /// The labels of the runs, one run after the other.
    labels: Vec<Label>,
    /// `run_end[i]`: one past the last label of the run of `labels[i]`.
    run_end: Vec<u32>,
    /// `turns[i]`: where the prefixes that start at `labels[i]` turn (see [`Turns`]).
    turns: Vec<Turns>,
    /// `ends[k][s]`: the last label at or before `labels[k]` in its run that can end a
    /// shorter host judged with [`Strictness`] `s` ([`NONE`]: none). A label can when
    /// the separator after it is disguised or a CJK label follows (the only places
    /// where `host_at` cuts a run), and it is CJK or passes [`tld_listed`].
    ends: Vec<[u32; 4]>,
    /// By cell, once a run has been read: 1 + the index of the label that starts there,
    /// 0 where none is known.
    by_cell: Vec<u32>,
}

/// No label (in [`Runs::ends`]), or never (in [`Turns`]).
const NONE: u32 = u32::MAX;

/// Where the prefixes of a run that start at a label turn disguised, spaced and CJK:
/// the index of the first label whose prefix is ([`NONE`]: none is). A prefix is
/// disguised once it has a label with an obfuscated character or a disguised
/// separator, spaced once it has a spaced separator, CJK once it has a CJK label.
#[derive(Debug, Clone, Copy)]
struct Turns {
    disguised: u32,
    spaced: u32,
    cjk: u32,
}

impl Runs {
    /// The index of the label that starts at cell `at`, its run read first if no run
    /// read so far has it; `None` where no label starts.
    fn label_at(&mut self, cells: &[Cell], at: usize, listed: &mut Listed) -> Option<usize> {
        if let Some(&known) = self.by_cell.get(at).filter(|&&i| i != 0) {
            return Some(known as usize - 1);
        }
        let label = read_label(cells, at)?;
        if self.by_cell.is_empty() {
            self.by_cell.resize(cells.len(), 0);
        }
        let first = self.labels.len();
        let mut seps = Vec::new();
        let mut next = Some(label);
        while let Some(label) = next {
            // A label of another run that starts here has the same continuation.
            if self.by_cell[label.start] == 0 {
                self.by_cell[label.start] = self.labels.len() as u32 + 1;
            }
            self.labels.push(label);
            next = read_separator(cells, label).map(|(label, sep)| {
                seps.push(sep);
                label
            });
        }
        let end = self.labels.len();
        self.run_end.resize(end, end as u32);
        self.turn_points(cells, first, &seps);
        self.end_points(cells, first, &seps, listed);
        Some(first)
    }

    /// [`Turns`] of the run from label `first` on, whose separators are `seps`: from its
    /// last label back.
    fn turn_points(&mut self, cells: &[Cell], first: usize, seps: &[Sep]) {
        let end = self.labels.len();
        let mut turns = vec![
            Turns {
                disguised: NONE,
                spaced: NONE,
                cjk: NONE,
            };
            end - first
        ];
        let mut after = turns[end - first - 1];
        for i in (first..end).rev() {
            let label = self.labels[i];
            let mut here = after;
            // The separator after label `i` counts from label `i + 1` on.
            if let Some(sep) = seps.get(i - first) {
                if sep.disguised {
                    here.disguised = i as u32 + 1;
                }
                if sep.spaced {
                    here.spaced = i as u32 + 1;
                }
            }
            if cells[label.start..label.end]
                .iter()
                .any(|c| c.trick.is_some())
            {
                here.disguised = i as u32;
            }
            if label.cjk {
                here.cjk = i as u32;
            }
            turns[i - first] = here;
            after = here;
        }
        self.turns.extend(turns);
    }

    /// [`Runs::ends`] of the run from label `first` on, whose separators are `seps`.
    fn end_points(&mut self, cells: &[Cell], first: usize, seps: &[Sep], listed: &mut Listed) {
        const ALL: [Strictness; 4] = [
            Strictness::Scheme,
            Strictness::Bare,
            Strictness::Disguised,
            Strictness::Spaced,
        ];
        let mut before = [NONE; 4];
        for k in first..self.labels.len() {
            let label = self.labels[k];
            let cut = seps.get(k - first).is_some_and(|sep| sep.disguised)
                || self.labels.get(k + 1).is_some_and(|next| next.cjk);
            for strictness in ALL {
                let can =
                    cut && (label.cjk || tld_listed(cells, &label, label.end, strictness, listed));
                if can {
                    before[strictness as usize] = k as u32;
                }
            }
            self.ends.push(before);
        }
    }

    /// The [`Flags`] of the labels from `first` to `k` (of one run).
    fn flags(&self, first: usize, k: usize) -> Flags {
        let turns = self.turns[first];
        let k = k as u32;
        Flags {
            disguised: turns.disguised <= k,
            spaced: turns.spaced <= k,
            cjk: turns.cjk <= k,
        }
    }
}

/// What [`accept`] needs to know of a run of labels as a whole.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    /// A separator is disguised, or a label holds an obfuscated character.
    disguised: bool,
    /// A separator has spaces around its dot.
    spaced: bool,
    /// A label is CJK.
    cjk: bool,
}

fn ipv6_at(cells: &[Cell], at: usize, scheme: bool) -> Option<HostMatch> {
    let mut k = at + 1;
    let mut text = String::new();
    while let Some(c) = cells.get(k).filter(|c| c.trick.is_none()) {
        if !(c.ch.is_ascii_hexdigit() || c.ch == ':' || c.ch == '.') {
            break;
        }
        text.push(c.ch);
        k += 1;
    }
    let closes = cells.get(k).is_some_and(|c| c.ch == ']');
    let valid = scheme || text.parse::<std::net::Ipv6Addr>().is_ok();
    (closes && valid && text.matches(':').count() >= 2).then_some(HostMatch { end: k + 1 })
}

/// At most this many labels are taken for one host: a DNS name has at most 127. (Reading
/// every label of a long run like `ｗｗｗ．ｗｗｗ．…`, from each of its labels, and trying
/// each of their prefixes took time cubic in the run's length.)
const MAX_LABELS: usize = 127;

/// The labels from cell `at` on, up to [`MAX_LABELS`], read anew: what [`host_at`]
/// takes from its [`Runs`] (the tests compare the two).
#[cfg(test)]
fn read_labels(cells: &[Cell], at: usize) -> Option<(Vec<Label>, Vec<Sep>)> {
    let mut labels = vec![read_label(cells, at)?];
    let mut seps = Vec::new();
    while let Some(last) = labels.last().copied().filter(|_| labels.len() < MAX_LABELS) {
        let Some((next, sep)) = read_separator(cells, last) else {
            break;
        };
        labels.push(next);
        seps.push(sep);
    }
    Some((labels, seps))
}

/// A label: a run of CJK letters, or of ASCII/other letters, digits, `-`, `_`
/// with zero-width characters allowed between them.
fn read_label(cells: &[Cell], at: usize) -> Option<Label> {
    let first = cells.get(at)?;
    let cjk = first.class == Class::Cjk;
    if !(cjk || matches!(first.class, Class::Word | Class::Letter)) {
        return None;
    }
    let fits = |c: &Cell| {
        if cjk {
            c.class == Class::Cjk
        } else {
            matches!(c.class, Class::Word | Class::Letter)
        }
    };
    let mut end = at + 1;
    let mut k = at + 1;
    while let Some(c) = cells.get(k) {
        if fits(c) {
            end = k + 1;
        } else if c.class != Class::ZeroWidth {
            break;
        }
        k += 1;
    }
    Some(Label {
        start: at,
        end,
        cjk,
    })
}

/// Reads `<spaces> dot <spaces>` after `label` and the label that follows.
fn read_separator(cells: &[Cell], label: Label) -> Option<(Label, Sep)> {
    let (dot_at, spaced_before) = skip_filler(cells, label.end);
    let dot = cells.get(dot_at).filter(|c| c.class == Class::Dot)?;
    let (next_at, spaced_after) = skip_filler(cells, dot_at + 1);
    let next = read_label(cells, next_at)?;
    let plain_dot = matches!(dot.trick, None | Some(Obfuscation::FullWidthDot));
    let disguised = dot.trick.is_some() || spaced_before || spaced_after;
    let capitalised = cells
        .get(next.start)
        .is_some_and(|c| c.ch.is_ascii_uppercase());
    if spaced_after && capitalised {
        return None; // `money.  My children`: a new sentence
    }
    if (label.cjk || next.cjk) && (!plain_dot || spaced_before || spaced_after) {
        return None;
    }
    let spaced = spaced_before || spaced_after;
    Some((next, Sep { disguised, spaced }))
}

/// Skips at most two spaces (and any zero-width characters); returns the
/// next index and whether a space was skipped.
fn skip_filler(cells: &[Cell], mut k: usize) -> (usize, bool) {
    let mut spaces = 0;
    while let Some(c) = cells.get(k) {
        match c.class {
            Class::ZeroWidth => {}
            Class::Space if spaces < 2 && c.ch == ' ' => spaces += 1,
            _ => break,
        }
        k += 1;
    }
    (k, spaces > 0)
}

/// How strictly a candidate host is judged (see [`Strictness::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strictness {
    /// After an explicit scheme: any known suffix.
    Scheme,
    /// Scheme-less, plainly written: a known suffix that prose rarely
    /// produces by accident (see [`plausible_bare`]).
    Bare,
    /// Disguised: a common TLD and a letter before the suffix.
    Disguised,
    /// Disguised with spaces around a dot: as `Disguised`, with a few
    /// TLDs only, since prose has `word. word` everywhere.
    Spaced,
}

impl Strictness {
    /// The strictness for a run of labels with `flags`, after a scheme or not.
    fn of(flags: Flags, scheme: bool) -> Strictness {
        match (flags.disguised, scheme) {
            (true, _) if flags.spaced => Strictness::Spaced,
            (true, _) => Strictness::Disguised,
            (false, true) => Strictness::Scheme,
            (false, false) => Strictness::Bare,
        }
    }
}

/// Decides whether `labels` (whose [`Flags`] are `flags`) form an acceptable host.
fn accept(
    cells: &[Cell],
    labels: &[Label],
    flags: Flags,
    scheme: bool,
    all: bool,
    listed: &mut Listed,
) -> Option<HostMatch> {
    let last = labels.last()?;
    let disguised = flags.disguised;
    let strictness = Strictness::of(flags, scheme);
    if !scheme && flags.cjk && !(labels.len() == 2 && labels.iter().all(|l| l.cjk)) {
        return None; // `3.手机`, `好像动过.md`: numbered lists and prose
    }
    if last.cjk {
        return (last.start + 1..=last.end)
            .rev()
            .find(|&end| known_host(cells, labels, end, strictness, listed))
            .map(|end| HostMatch { end });
    }
    let end = last.end;
    if strictness == Strictness::Scheme {
        return Some(HostMatch { end });
    }
    let ipv4 = !disguised && all && is_dotted_quad(cells, labels);
    (ipv4 || known_host(cells, labels, end, strictness, listed)).then_some(HostMatch { end })
}

/// Is the host (with the last label cut at `end`) a domain under a known
/// public suffix, judged with `strictness`?
fn known_host(
    cells: &[Cell],
    labels: &[Label],
    end: usize,
    strictness: Strictness,
    listed: &mut Listed,
) -> bool {
    if labels.len() < 2 {
        return false;
    }
    // The lists of top-level domains first, on the last label alone and without writing
    // it: most candidates in prose fail them, and they cost less than writing the whole
    // host and the Public Suffix List (IDNA for a Chinese label).
    if !tld_listed(cells, &labels[labels.len() - 1], end, strictness, listed) {
        return false;
    }
    let host = host_string(cells, labels, end);
    let tld = host.rsplit('.').next().unwrap_or_default();
    let Some(suffix) = crate::host::known_suffix(&host) else {
        return false;
    };
    match strictness {
        Strictness::Scheme => true,
        Strictness::Bare => plausible_bare(cells, labels, &host, tld),
        // The top-level domain is listed (above); a letter before the suffix.
        Strictness::Disguised | Strictness::Spaced => host
            [..host.len().saturating_sub(suffix.len())]
            .chars()
            .any(char::is_alphabetic),
    }
}

/// Whether the last label `last`, cut at cell `end`, can be the top-level domain of a
/// host judged with `strictness`: any after a scheme, an ASCII or a common CJK one
/// plainly written, one of the short lists when disguised.
fn tld_listed(
    cells: &[Cell],
    last: &Label,
    end: usize,
    strictness: Strictness,
    listed: &mut Listed,
) -> bool {
    match strictness {
        Strictness::Scheme => true,
        Strictness::Bare => {
            label_chars(cells, last, end).all(|c| c.is_ascii())
                || listed.label_in(cells, last, end, TldList::CjkBare)
        }
        Strictness::Disguised => listed.label_in(cells, last, end, TldList::Disguise),
        Strictness::Spaced => listed.label_in(cells, last, end, TldList::Spaced),
    }
}

/// Extra conditions for a plainly written host without scheme, against
/// prose like `suitable.In`, `3.Java`, `8.NEC`: the TLD is a country code,
/// a common generic one or a common CJK one (or the host starts with `www.`); the
/// TLD is not capitalised unlike the rest; and two-label hosts do not start
/// with a one- or two-digit list number.
fn plausible_bare(cells: &[Cell], labels: &[Label], host: &str, tld: &str) -> bool {
    if !tld.is_ascii() {
        // `known_host` found it in the list of CJK top-level domains already.
        debug_assert!(CJK_BARE_TLDS.contains(&tld), "{tld}");
        return true;
    }
    let common = tld.len() == 2
        || BARE_GTLDS.contains(&tld)
        || DISGUISE_TLDS.contains(&tld)
        || host.starts_with("www.");
    let text = |l: &Label| {
        cells[l.start..l.end]
            .iter()
            .map(|c| c.ch)
            .collect::<String>()
    };
    let tld_upper = labels
        .last()
        .is_some_and(|l| text(l).chars().any(|c| c.is_ascii_uppercase()));
    let head_lower = labels[..labels.len() - 1]
        .iter()
        .any(|l| text(l).chars().any(|c| c.is_ascii_lowercase()));
    let first = text(&labels[0]);
    let list_number =
        labels.len() == 2 && first.len() <= 2 && first.chars().all(|c| c.is_ascii_digit());
    common && !(tld_upper && head_lower) && !list_number
}

/// The host text: labels lower-cased and joined with `.`, zero-width
/// characters dropped, the last label cut at cell `end`.
fn host_string(cells: &[Cell], labels: &[Label], end: usize) -> String {
    let mut host = String::new();
    for (i, label) in labels.iter().enumerate() {
        if i > 0 {
            host.push('.');
        }
        let stop = if i + 1 == labels.len() {
            end
        } else {
            label.end
        };
        host.extend(label_chars(cells, label, stop));
    }
    host
}

/// The characters of `label` up to `end` as a host is written: zero-width characters
/// left out, letters in lower case.
fn label_chars<'a>(
    cells: &'a [Cell],
    label: &Label,
    end: usize,
) -> impl Iterator<Item = char> + 'a {
    cells[label.start..end]
        .iter()
        .filter(|c| c.class != Class::ZeroWidth)
        .flat_map(|c| c.ch.to_lowercase())
}

/// Whether `label` up to `end`, written as in a host, is one of `names` (each at most
/// [`LISTED_CHARS`] characters).
fn label_in(cells: &[Cell], label: &Label, end: usize, names: &[&str]) -> bool {
    // Written once (case folding a character is a table search), then compared.
    let mut written = ['\0'; LISTED_CHARS];
    let mut len = 0;
    for c in label_chars(cells, label, end) {
        let Some(slot) = written.get_mut(len) else {
            return false; // longer than any listed name
        };
        *slot = c;
        len += 1;
    }
    let written = &written[..len];
    names
        .iter()
        .any(|name| name.chars().eq(written.iter().copied()))
}

/// The longest name in the lists of top-level domains, in characters.
pub(crate) const LISTED_CHARS: usize = 8;

/// A list of top-level domains [`known_host`] looks a last label up in.
#[derive(Debug, Clone, Copy)]
enum TldList {
    Disguise,
    Spaced,
    CjkBare,
}

impl TldList {
    fn names(self) -> &'static [&'static str] {
        match self {
            TldList::Disguise => DISGUISE_TLDS,
            TldList::Spaced => SPACED_TLDS,
            TldList::CjkBare => CJK_BARE_TLDS,
        }
    }

    /// The bit of a [`Listed`] answer that says the answer for this list is known; the
    /// bit above it holds the answer.
    fn known_bit(self) -> u8 {
        1 << (2 * self as u8)
    }
}

/// Whether whole labels are in the lists of top-level domains, remembered by the
/// label's first cell for one text: every possible start in a run of labels tries up to
/// [`MAX_LABELS`] of the same labels as the last (looking them up anew was most of the
/// time of a long run such as `ｗｗｗ．ｗｗｗ．…`).
///
/// Nothing is allocated until a list is first asked (most texts never get that far).
#[derive(Debug, Default)]
struct Listed {
    /// By cell, once a list has been asked: two bits for each list.
    answers: Vec<u8>,
}

impl Listed {
    /// [`label_in`] of the list's names, remembered for whole labels.
    fn label_in(&mut self, cells: &[Cell], label: &Label, end: usize, list: TldList) -> bool {
        if self.answers.is_empty() {
            self.answers.resize(cells.len(), 0);
        }
        let answer = self
            .answers
            .get_mut(label.start)
            .filter(|_| end == label.end);
        let Some(answer) = answer else {
            return label_in(cells, label, end, list.names());
        };
        let (known, yes) = (list.known_bit(), list.known_bit() << 1);
        if *answer & known == 0 {
            *answer |= known;
            if label_in(cells, label, end, list.names()) {
                *answer |= yes;
            }
        }
        *answer & yes != 0
    }
}

fn is_dotted_quad(cells: &[Cell], labels: &[Label]) -> bool {
    labels.len() == 4
        && labels.iter().all(|l| {
            let digits: String = cells[l.start..l.end].iter().map(|c| c.ch).collect();
            digits.len() <= OCTET_DIGITS && digits.parse::<u8>().is_ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`host_at`] as it was before the runs were kept: the labels read anew from each
    /// start and every prefix that the separators allow given to [`accept`].
    fn host_at_reference(
        cells: &[Cell],
        at: usize,
        scheme: bool,
        listed: &mut Listed,
    ) -> Option<HostMatch> {
        if cells.get(at)?.ch == '[' {
            return ipv6_at(cells, at, scheme);
        }
        let (labels, seps) = read_labels(cells, at)?;
        let prefixes: Vec<Flags> = (1..=labels.len())
            .map(|n| flags_of(cells, &labels[..n], &seps[..n - 1]))
            .collect();
        (1..=labels.len())
            .rev()
            .filter(|&n| n == labels.len() || seps[n - 1].disguised || labels[n].cjk)
            .find_map(|n| {
                accept(
                    cells,
                    &labels[..n],
                    prefixes[n - 1],
                    scheme,
                    n == labels.len(),
                    listed,
                )
            })
    }

    /// Both readers from every cell of `text`, one memo each for the whole text (as the
    /// extractor uses them); returns how many hosts they found.
    fn hosts_agree(text: &str) -> usize {
        let cells = crate::chars::cells(text);
        let mut found = 0;
        for scheme in [false, true] {
            let (mut memo, mut listed) = (HostMemo::default(), Listed::default());
            for at in 0..cells.len() {
                let got = host_at(&cells, at, scheme, &mut memo);
                let expected = host_at_reference(&cells, at, scheme, &mut listed);
                assert_eq!(got, expected, "{text:?} from cell {at}, scheme {scheme}");
                found += usize::from(got.is_some());
            }
        }
        found
    }

    #[test]
    fn hosts_are_those_the_labels_read_anew_give() {
        let texts = [
            "www.example.com ｗｗｗ．ＣＯＭ．cn and www点example点com",
            "ｗｗｗ．ｗｗｗ．ｗｗｗ．ｃｏｍ．ｗｗｗ．ｃｎ",
            "x . top . vip dot xyz 例子.中国 公司.網絡 a.网络 例子.中国人.公司",
            "1.2.3.4 и пример.рф [::1] ｅｘａｍｐｌｅ。ｃｏｍ",
            "a\u{200b}b.com\u{200b}.cn Com.NET.org.ltd 3.Java suitable.In",
        ];
        let found: usize = texts.iter().map(|t| hosts_agree(t)).sum();
        assert!(found > 20, "{found} hosts");
        // Runs longer than a host may be: a start early in the run sees 127 labels.
        let long = "ｗｗｗ．".repeat(300) + "ｃｏｍ";
        assert!(hosts_agree(&long) > 0);
        assert!(hosts_agree(&"ab.cd. ".repeat(200)) > 0);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3_000))]

        /// On texts made of link pieces, the reader finds from every start the host the
        /// labels read anew from that start give.
        #[test]
        fn kept_runs_read_the_hosts_of_fresh_reads(pieces in proptest::collection::vec(proptest::sample::select(vec![
            ".", "。", "．", "点", "點", " . ", " ", "  ", "\u{200B}", "dot",
            "www", "ｗｗｗ", "example", "ｅｘａｍｐｌｅ", "com", "ｃｏｍ", "cn", "net", "top", "vip", "io",
            "COM", "In", "t", "1", "47", "255", "例子", "中国", "中国人", "公司", "网络", "手机", "，", "-", "_",
            "[", "::1", "]", "@", "пример", "рф", "é",
        ]), 0..24)) {
            hosts_agree(&pieces.concat());
        }
    }

    /// Each prefix's flags, as `accept` computed them from the prefix itself before.
    fn flags_of(cells: &[Cell], labels: &[Label], seps: &[Sep]) -> Flags {
        Flags {
            disguised: seps.iter().any(|s| s.disguised)
                || labels
                    .iter()
                    .any(|l| cells[l.start..l.end].iter().any(|c| c.trick.is_some())),
            spaced: seps.iter().any(|s| s.spaced),
            cjk: labels.iter().any(|l| l.cjk),
        }
    }

    #[test]
    fn listed_names_fit_the_written_label() {
        for list in [DISGUISE_TLDS, SPACED_TLDS, CJK_BARE_TLDS, BARE_GTLDS] {
            for name in list {
                assert!(name.chars().count() <= LISTED_CHARS, "{name}");
            }
        }
    }

    /// The link pre-filter asks a disguised host's top-level domain of one list.
    #[test]
    fn the_spaced_list_is_part_of_the_disguised_one() {
        for name in SPACED_TLDS {
            assert!(is_disguise_tld(name.as_bytes()), "{name}");
        }
        assert!(!is_disguise_tld(b"life") && !is_disguise_tld(b"s"));
    }

    #[test]
    fn remembered_answers_are_the_lists_answers() {
        let texts = [
            "www.example.com ｗｗｗ．ＣＯＭ．cn",
            "例子.中国 公司.網絡 a.网络",
            "x.top . vip點xyz。io dot cc",
            "Com.NET.org\u{200b}.ltd",
        ];
        let lists = [TldList::Disguise, TldList::Spaced, TldList::CjkBare];
        let mut asked = 0;
        let mut yes = 0;
        for text in texts {
            let cells = crate::chars::cells(text);
            let mut listed = Listed::default();
            // Twice over: the second round is answered from what the first remembered.
            for _ in 0..2 {
                for at in 0..cells.len() {
                    let Some(label) = read_label(&cells, at) else {
                        continue;
                    };
                    for end in label.start + 1..=label.end {
                        for list in lists {
                            let expected = label_in(&cells, &label, end, list.names());
                            let got = listed.label_in(&cells, &label, end, list);
                            assert_eq!(got, expected, "{text:?} cells {at}..{end} {list:?}");
                            asked += 1;
                            yes += usize::from(got);
                        }
                    }
                }
            }
        }
        assert!(asked > 300 && yes > 20, "{asked} asked, {yes} listed");
    }

    #[test]
    fn runs_hold_the_labels_and_flags_of_each_start() {
        let texts = [
            "www.example.com",
            "ｗｗｗ．例子．com . cn",
            "a . b.中国.c\u{200b}d。e點f dot g",
            "x.y．z. w .公司.v",
            "ａｂｃ.def.ｇｈｉ",
        ];
        let mut checked = 0;
        for text in texts {
            let cells = crate::chars::cells(text);
            let (mut runs, mut listed) = (Runs::default(), Listed::default());
            for at in 0..cells.len() {
                let Some((labels, seps)) = read_labels(&cells, at) else {
                    assert!(runs.label_at(&cells, at, &mut listed).is_none());
                    continue;
                };
                let first = runs.label_at(&cells, at, &mut listed).expect("a label");
                let kept = &runs.labels[first..runs.run_end[first] as usize];
                assert!(kept.len() >= labels.len(), "{text:?} from cell {at}");
                for n in 1..=labels.len() {
                    let (a, b) = (labels[n - 1], kept[n - 1]);
                    assert_eq!((a.start, a.end, a.cjk), (b.start, b.end, b.cjk));
                    let expected = flags_of(&cells, &labels[..n], &seps[..n - 1]);
                    let got = runs.flags(first, first + n - 1);
                    assert_eq!(
                        (got.disguised, got.spaced, got.cjk),
                        (expected.disguised, expected.spaced, expected.cjk),
                        "{text:?} from cell {at}, {n} labels"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 40, "{checked} prefixes checked");
    }
}
