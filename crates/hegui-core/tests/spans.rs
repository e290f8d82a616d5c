//! Property tests: whatever the input, spans are valid and consistent.

use std::sync::OnceLock;

use hegui_core::{Normalizer, Scanner, Severity, Verdict};
use proptest::prelude::*;

fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(Scanner::with_default_packs)
}

/// Pieces that exercise the normaliser and the rules: terms of the default packs,
/// disguises, full-width forms, emoji, combining marks and controls.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("转发".to_string()),
        Just("红包".to_string()),
        Just("最".to_string()),
        Just("最佳".to_string()),
        Just("第一".to_string()),
        Just("保本".to_string()),
        Just("理财".to_string()),
        Just("轉發".to_string()),
        Just("不".to_string()),
        Just("，".to_string()),
        Just("。".to_string()),
        Just(" ".to_string()),
        Just("*".to_string()),
        Just("\u{200B}".to_string()),
        Just("\u{202E}".to_string()),
        Just("👨\u{200D}👩".to_string()),
        Just("🔥".to_string()),
        Just("e\u{301}".to_string()),
        Just("ＮＯ．１".to_string()),
        Just("①".to_string()),
        Just("\n".to_string()),
        Just("薇信".to_string()),
        "\\PC{0,3}",
        "[a-zA-Z0-9%.]{0,4}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn spans_slice_the_original(text in text()) {
        let report = scanner().scan(&text);
        let mut previous = 0;
        let mut highest: Option<Severity> = None;
        for finding in &report.findings {
            let [s, e] = finding.span.byte;
            prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            prop_assert!(s < e);
            prop_assert_eq!(&text[s..e], finding.text.as_str());
            prop_assert_eq!(finding.span.char[0], text[..s].chars().count());
            prop_assert_eq!(finding.span.char[1], text[..e].chars().count());
            prop_assert_eq!(finding.span.utf16[0], text[..s].encode_utf16().count());
            prop_assert_eq!(finding.span.utf16[1], text[..e].encode_utf16().count());
            prop_assert!(s >= previous, "findings sorted by start");
            previous = s;
            highest = highest.max(Some(finding.severity));
        }
        prop_assert_eq!(report.verdict, Verdict::from_highest(highest));
    }

    #[test]
    fn the_offset_map_is_monotonic_and_idempotent(text in text()) {
        let normalizer = Normalizer::new(&[("薇信".into(), "微信".into())]);
        let normalized = normalizer.normalize(&text);
        let mut last_end = 0;
        for c in normalized.chars() {
            prop_assert!(c.source.start >= last_end.min(c.source.start));
            prop_assert!(c.source.start <= c.source.end && c.source.end <= text.len());
            prop_assert!(text.is_char_boundary(c.source.start) && text.is_char_boundary(c.source.end));
            prop_assert!(c.source.start >= last_end || c.source.end == last_end, "monotonic");
            last_end = last_end.max(c.source.end);
        }
        let twice = normalizer.normalize(normalized.as_str());
        prop_assert_eq!(twice.as_str(), normalized.as_str());
    }
}
