//! Properties the fuzz targets check. Each function panics (which libFuzzer reports as a
//! crash, with the input saved under `artifacts/`) when a property does not hold.
//!
//! The same properties run as proptest cases in `crates/hegui-core/tests/properties.rs`.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use hegui_core::{Normalizer, PackError, Report, RulePack, Scanner, Severity, Verdict};

/// Longest acceptable time to load and build one fuzzed pack (a hang is a bug). libFuzzer's
/// `-timeout` is the backstop; this names the cause.
pub const PACK_BUILD_LIMIT: Duration = Duration::from_secs(10);

/// The scanner with the default packs, built once per process.
pub fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(Scanner::with_default_packs)
}

/// Every finding's byte span lies on char boundaries and slices to its `text`; char and
/// UTF-16 spans agree with it; findings are sorted by (span, rule) without duplicates; the
/// verdict is the highest severity; each finding's steps are sorted and unique.
pub fn check_report(text: &str, report: &Report) {
    let mut previous: Option<([usize; 2], &str)> = None;
    let mut highest: Option<Severity> = None;
    for f in &report.findings {
        let [s, e] = f.span.byte;
        assert!(s < e && e <= text.len(), "span out of bounds: {f:?}");
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "span not on char boundaries: {f:?}"
        );
        assert_eq!(&text[s..e], f.text, "text is not the slice of the span");
        assert_eq!(f.span.char[0], text[..s].chars().count(), "char start");
        assert_eq!(f.span.char[1], text[..e].chars().count(), "char end");
        assert_eq!(
            f.span.utf16[0],
            text[..s].encode_utf16().count(),
            "utf16 start"
        );
        assert_eq!(
            f.span.utf16[1],
            text[..e].encode_utf16().count(),
            "utf16 end"
        );
        let key = (f.span.byte, &*f.rule_id);
        if let Some(prev) = previous {
            assert!(
                prev < key,
                "findings not sorted or duplicated: {prev:?} then {key:?}"
            );
        }
        previous = Some(key);
        assert!(
            f.normalized.windows(2).all(|w| w[0] < w[1]),
            "steps not sorted and unique: {:?}",
            f.normalized
        );
        highest = highest.max(Some(f.severity));
    }
    assert_eq!(report.verdict, Verdict::from_highest(highest), "verdict");
}

/// The offset map of `normalizer` on `text`: contiguous over the normalised text; every
/// source range non-empty, in bounds, on char boundaries; sources monotonic (start and
/// end never decrease; one original character or variant may give several normalised
/// ones, and a variant found after another was replaced spans both); whatever the map
/// skips of the input is what the normaliser removes (invisible characters, separators
/// between Chinese characters). Normalising twice changes nothing.
pub fn check_normalized(normalizer: &Normalizer, text: &str) {
    let n = normalizer.normalize(text);
    let mut norm_at = 0;
    let mut covered = 0;
    let mut previous: Option<std::ops::Range<usize>> = None;
    let plain = Normalizer::default();
    let removable = |gap: &str| {
        let around = format!("一{gap}一");
        assert_eq!(
            plain.normalize(&around).as_str(),
            "一一",
            "the map skips {gap:?}, which the normaliser does not remove"
        );
    };
    for c in n.chars() {
        assert_eq!(c.norm.start, norm_at, "normalised ranges not contiguous");
        assert!(c.norm.end > c.norm.start);
        norm_at = c.norm.end;
        let src = c.source.clone();
        assert!(
            src.start < src.end && src.end <= text.len(),
            "source {src:?}"
        );
        assert!(text.is_char_boundary(src.start) && text.is_char_boundary(src.end));
        if let Some(prev) = &previous {
            assert!(
                src.start >= prev.start && src.end >= prev.end,
                "map not monotonic: {prev:?} then {src:?}"
            );
        }
        if src.start > covered {
            removable(&text[covered..src.start]);
        }
        covered = covered.max(src.end);
        previous = Some(src);
    }
    assert_eq!(
        norm_at,
        n.as_str().len(),
        "map does not cover the normalised text"
    );
    if covered < text.len() {
        removable(&text[covered..]);
    }
    let len = n.as_str().len();
    for (a, b) in [(0, len), (len / 3, len / 2), (len / 2, len)] {
        let (a, b) = (floor(n.as_str(), a), floor(n.as_str(), b));
        let r = n.source_range(a..b);
        assert!(
            r.start <= r.end && r.end <= text.len(),
            "source_range {r:?}"
        );
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    }
    let twice = normalizer.normalize(n.as_str());
    assert_eq!(
        twice.as_str(),
        n.as_str(),
        "normalising twice changed the text"
    );
}

fn floor(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Extraction spans are in order, non-overlapping, on char boundaries and slice to the
/// link's text; every extracted URL parses (with a host) and re-parses to itself; the link
/// checker's findings are on the same spans.
pub fn check_links(text: &str) {
    let links = hegui_url::extract(text);
    let mut end = 0;
    for link in &links {
        let span = link.span.clone();
        assert!(
            span.start >= end && span.start < span.end && span.end <= text.len(),
            "link span {span:?} after {end}"
        );
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert_eq!(&text[span.clone()], link.text, "link text is not the slice");
        end = span.end;
        let parsed = hegui_url::parse(&link.normalized)
            .unwrap_or_else(|| panic!("extracted URL {:?} does not parse", link.normalized));
        assert!(parsed.host.is_some(), "{:?} has no host", link.normalized);
        let again = hegui_url::parse(parsed.url.as_str())
            .unwrap_or_else(|| panic!("serialised URL {} does not re-parse", parsed.url));
        assert_eq!(again.url, parsed.url, "re-parsing changed the URL");
    }
    let scanned = hegui_url::scan(text, &hegui_url::Policy::default());
    assert_eq!(scanned.len(), links.len(), "the checker saw other links");
    for (s, l) in scanned.iter().zip(&links) {
        assert_eq!(s.link.span, l.span);
    }
}

/// An error must name a place in the pack: `path:line:column` with the line inside it.
pub fn check_pack_error(path: &str, text: &str, err: &PackError) {
    let location = err
        .location()
        .unwrap_or_else(|| panic!("pack error without a location: {err}"));
    assert_eq!(&*location.path, path, "{err}");
    assert!(
        location.line >= 1 && location.line <= text.lines().count() + 1,
        "line out of range: {err}"
    );
    assert!(location.column >= 1, "{err}");
    assert!(err.to_string().starts_with(&format!("{path}:")), "{err}");
}

/// Loads `text` as a pack (TOML or JSON) and builds a scanner from it within
/// [`PACK_BUILD_LIMIT`]; errors must have a location. A built scanner scans its own
/// examples with consistent reports.
pub fn check_pack(path: &str, text: &str, json: bool) -> Option<RulePack> {
    let started = Instant::now();
    let loaded = if json {
        RulePack::from_json_str(path, text)
    } else {
        RulePack::from_toml_str(path, text)
    };
    let pack = match loaded {
        Ok(pack) => pack,
        Err(err) => {
            check_pack_error(path, text, &err);
            return None;
        }
    };
    let built = Scanner::builder().pack(pack.clone()).build();
    let elapsed = started.elapsed();
    assert!(
        elapsed < PACK_BUILD_LIMIT,
        "loading and building took {elapsed:?}"
    );
    match built {
        Err(err) => check_pack_error(path, text, &err),
        Ok(scanner) => {
            let run = scanner.check_examples();
            assert!(run.failures.len() <= run.checked);
            for rule in scanner.rules() {
                for example in rule.def.fires.iter().chain(&rule.def.passes) {
                    check_report(example, &scanner.scan(example));
                }
            }
        }
    }
    Some(pack)
}
