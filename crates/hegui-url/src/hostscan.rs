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
/// that carry an explicit scheme.
pub(crate) fn host_at(
    cells: &[Cell],
    at: usize,
    scheme: bool,
    listed: &mut Listed,
) -> Option<HostMatch> {
    if cells.get(at)?.ch == '[' {
        return ipv6_at(cells, at, scheme);
    }
    let (labels, seps) = read_labels(cells, at)?;
    let prefixes = prefix_flags(cells, &labels, &seps);
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

/// The [`Flags`] of every prefix of `labels` (entry `n - 1`: the first `n` labels),
/// computed in one pass: [`host_at`] tries prefixes from the longest down, and reading
/// each prefix again made a run of up to [`MAX_LABELS`] labels cost their square.
fn prefix_flags(cells: &[Cell], labels: &[Label], seps: &[Sep]) -> Vec<Flags> {
    let mut flags = Flags::default();
    labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            if let Some(sep) = i.checked_sub(1).map(|before| seps[before]) {
                flags.disguised |= sep.disguised;
                flags.spaced |= sep.spaced;
            }
            flags.disguised |= cells[label.start..label.end]
                .iter()
                .any(|c| c.trick.is_some());
            flags.cjk |= label.cjk;
            flags
        })
        .collect()
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

/// At most this many labels are read for one host: a DNS name has at most 127. (Reading
/// every label of a long run like `ｗｗｗ．ｗｗｗ．…`, from each of its labels, and trying
/// each of their prefixes took time cubic in the run's length.)
const MAX_LABELS: usize = 127;

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

/// How strictly a candidate host is judged.
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
    let strictness = match (disguised, scheme) {
        (true, _) if flags.spaced => Strictness::Spaced,
        (true, _) => Strictness::Disguised,
        (false, true) => Strictness::Scheme,
        (false, false) => Strictness::Bare,
    };
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
    let last = &labels[labels.len() - 1];
    let tld_listed = match strictness {
        Strictness::Scheme => true,
        Strictness::Bare => {
            label_chars(cells, last, end).all(|c| c.is_ascii())
                || listed.label_in(cells, last, end, TldList::CjkBare)
        }
        Strictness::Disguised => listed.label_in(cells, last, end, TldList::Disguise),
        Strictness::Spaced => listed.label_in(cells, last, end, TldList::Spaced),
    };
    if !tld_listed {
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
const LISTED_CHARS: usize = 8;

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
/// label's first cell for one text: every possible start in a run of labels reads up to
/// [`MAX_LABELS`] of the same labels again and tries each as the last (looking them up
/// anew was most of the time of a long run such as `ｗｗｗ．ｗｗｗ．…`).
///
/// Nothing is allocated until a list is first asked (most texts never get that far).
#[derive(Debug, Default)]
pub(crate) struct Listed {
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
    fn prefix_flags_are_those_of_each_prefix() {
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
            for at in 0..cells.len() {
                let Some((labels, seps)) = read_labels(&cells, at) else {
                    continue;
                };
                let prefixes = prefix_flags(&cells, &labels, &seps);
                for n in 1..=labels.len() {
                    let expected = flags_of(&cells, &labels[..n], &seps[..n - 1]);
                    let got = prefixes[n - 1];
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
