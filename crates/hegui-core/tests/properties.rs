//! Property tests of the invariants the fuzz targets in `fuzz/` check, so that stable CI
//! covers them too. `spans.rs` checks spans on texts built from pack terms; these use
//! arbitrary Unicode, link-like text, disguised variants, arbitrary pack text and
//! generated packs.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use hegui_core::evasion::Mutator;
use hegui_core::{Normalizer, PackDef, PackError, Report, RulePack, Scanner, Severity, Verdict};
use proptest::prelude::*;

fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(Scanner::with_default_packs)
}

fn mutator() -> &'static Mutator {
    static MUTATOR: OnceLock<Mutator> = OnceLock::new();
    MUTATOR.get_or_init(|| Mutator::for_scanner(scanner()))
}

/// Every invariant of a report: spans on char boundaries slicing to `text`, char and
/// UTF-16 spans agreeing with the byte span, findings sorted and unique, the verdict the
/// highest severity, normalisation steps sorted and unique.
fn check_report(text: &str, report: &Report) -> Result<(), TestCaseError> {
    let mut previous: Option<([usize; 2], &str)> = None;
    let mut highest: Option<Severity> = None;
    for f in &report.findings {
        let [s, e] = f.span.byte;
        prop_assert!(s < e && e <= text.len(), "{f:?}");
        prop_assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "{f:?}"
        );
        prop_assert_eq!(&text[s..e], f.text.as_str());
        prop_assert_eq!(f.span.char[0], text[..s].chars().count());
        prop_assert_eq!(f.span.char[1], text[..e].chars().count());
        prop_assert_eq!(f.span.utf16[0], text[..s].encode_utf16().count());
        prop_assert_eq!(f.span.utf16[1], text[..e].encode_utf16().count());
        let key = (f.span.byte, &*f.rule_id);
        if let Some(prev) = previous {
            prop_assert!(
                prev < key,
                "findings sorted and unique: {prev:?} then {key:?}"
            );
        }
        previous = Some(key);
        let mut steps = f.normalized.clone();
        steps.sort();
        steps.dedup();
        prop_assert_eq!(&steps, &f.normalized);
        highest = highest.max(Some(f.severity));
    }
    prop_assert_eq!(report.verdict, Verdict::from_highest(highest));
    Ok(())
}

/// Pieces of marketing text: pack terms, disguises, links, emoji, controls, bidi.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "转发", "分享", "朋友圈", "红包", "领取", "免费领", "最", "最佳", "最低价", "全网",
            "第一", "NO.1", "100%", "有效", "根治", "保本", "稳赚不赔", "理财", "年化收益",
            "6%", "投资须谨慎", "不", "谨防", "微信", "薇信", "v信", "蕞", "轉發", "紅包",
            "集赞", "助力", "砍一刀", "不转不是中国人", "关注公众号", "下载APP",
        ]).prop_map(str::to_string),
        2 => prop::sample::select(vec![
            "，", "。", "！", "？", "、", " ", "*", "|", "~", "·", "\n", "\r\n", "\t",
            "\u{200B}", "\u{200D}", "\u{FEFF}", "\u{202E}", "\u{2066}", "\u{0301}", "\u{0}",
            "🔥", "❤️", "👍🏻", "🇨🇳", "👨\u{200D}👩", "①", "❶", "1\u{FE0F}\u{20E3}",
            "ＮＯ．１", "１００％", "㈱", "ড়", "\u{FFFD}", "𠀀", "Ａ", "ǅ", "İ",
        ]).prop_map(str::to_string),
        1 => prop::sample::select(vec![
            "http://t.cn/AbC1", "https://47.98.1.2:8080/hb.apk", "www点example点com",
            "example。com", "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ", "a@b.com", "http://user@evil.com",
            "xn--fsqu00a.xn--fiqs8s", "例子.中国", "[::1]", "t.cn/", "http://", "1.2.3",
        ]).prop_map(str::to_string),
        2 => "\\PC{0,4}",
        1 => "(?s).{0,3}",
        1 => "[a-zA-Z0-9%./:@?#-]{0,8}",
    ]
}

/// Every variant and target of the default packs' `[variants]` tables: texts where
/// replacements meet (`v信用咔`) come from these.
fn variant_piece() -> impl Strategy<Value = String> {
    let mut all: Vec<String> = hegui_core::default_packs()
        .iter()
        .flat_map(|p| {
            p.def()
                .variants
                .iter()
                .flat_map(|(k, v)| [k.clone(), v.clone()])
                .collect::<Vec<_>>()
        })
        .collect();
    all.sort();
    all.dedup();
    prop::sample::select(all)
}

fn marketing() -> impl Strategy<Value = String> {
    let piece = prop_oneof![4 => piece(), 1 => variant_piece()];
    prop::collection::vec(piece, 0..32).prop_map(|p| p.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![marketing(), "(?s).{0,64}", any::<String>()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn scan_reports_are_consistent(text in any_text()) {
        check_report(&text, &scanner().scan(&text))?;
    }

    /// The offset map: in bounds, on char boundaries, monotonic, contiguous in the
    /// normalised text; whatever it skips of the input is what the normaliser removes
    /// (invisible characters, separators between Chinese characters).
    #[test]
    fn the_offset_map_covers_the_input(text in any_text()) {
        let normalizer = scanner().normalizer();
        let n = normalizer.normalize(&text);
        let mut norm_at = 0;
        let mut covered = 0;
        let mut previous: Option<std::ops::Range<usize>> = None;
        for c in n.chars() {
            prop_assert_eq!(c.norm.start, norm_at);
            prop_assert!(c.norm.end > c.norm.start);
            norm_at = c.norm.end;
            let src = c.source.clone();
            prop_assert!(src.start < src.end && src.end <= text.len(), "{src:?}");
            prop_assert!(text.is_char_boundary(src.start) && text.is_char_boundary(src.end));
            if let Some(prev) = &previous {
                // One original character (or variant) may produce several normalised
                // ones, and a variant found after another was replaced spans both.
                prop_assert!(
                    src.start >= prev.start && src.end >= prev.end,
                    "{prev:?} then {src:?}"
                );
            }
            if src.start > covered {
                let gap = &text[covered..src.start];
                let around = format!("一{gap}一");
                let folded = Normalizer::default().normalize(&around);
                prop_assert_eq!(
                    folded.as_str(), "一一",
                    "skipped {:?}", gap
                );
            }
            covered = covered.max(src.end);
            previous = Some(src);
        }
        prop_assert_eq!(norm_at, n.as_str().len());
        if covered < text.len() {
            let gap = &text[covered..];
            let around = format!("一{gap}一");
            let folded = Normalizer::default().normalize(&around);
            prop_assert_eq!(folded.as_str(), "一一", "skipped {:?} at the end", gap);
        }
        // Whole-range mapping stays in bounds and on boundaries.
        let all = n.source_range(0..n.as_str().len());
        prop_assert!(all.end <= text.len() && text.is_char_boundary(all.start));
    }

    #[test]
    fn normalising_twice_changes_nothing(text in any_text()) {
        let normalizer = scanner().normalizer();
        let once = normalizer.normalize(&text);
        let twice = normalizer.normalize(once.as_str());
        prop_assert_eq!(twice.as_str(), once.as_str());
    }

    /// Every disguise `hegui rules fuzz` makes is undone by the normaliser, maps back to
    /// the whole text, and leaves the set of pack rules that fire unchanged.
    #[test]
    fn disguises_normalise_back(text in marketing(), seed in any::<u64>()) {
        let normalizer = scanner().normalizer();
        let want = normalizer.normalize(&text);
        let rules = |t: &str| -> BTreeSet<String> {
            scanner()
                .scan(t)
                .findings
                .iter()
                .filter(|f| &*f.category != "external-link")
                .map(|f| f.rule_id.to_string())
                .collect()
        };
        let fired = rules(&text);
        for v in mutator().variants(&text, seed, 3) {
            let disguised = normalizer.normalize(&v.text);
            prop_assert_eq!(
                disguised.as_str(), want.as_str(),
                "{:?} ({:?})", v.text, v.mutations
            );
            prop_assert_eq!(v.map_range(0..text.len()), 0..v.text.len());
            prop_assert_eq!(rules(&v.text), fired.clone(), "{:?}", v.text);
        }
    }

    #[test]
    fn extracted_links_are_valid_and_reparse(text in any_text()) {
        let links = hegui_core::hegui_url::extract(&text);
        let mut end = 0;
        for link in &links {
            let span = link.span.clone();
            prop_assert!(span.start >= end && span.start < span.end && span.end <= text.len());
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            prop_assert_eq!(&text[span.clone()], link.text.as_str());
            end = span.end;
            let parsed = hegui_core::hegui_url::parse(&link.normalized);
            prop_assert!(parsed.is_some(), "{:?} does not parse", link.normalized);
            let parsed = parsed.expect("checked");
            prop_assert!(parsed.host.is_some(), "{:?} has no host", link.normalized);
            let again = hegui_core::hegui_url::parse(parsed.url.as_str()).map(|p| p.url);
            prop_assert_eq!(again.as_ref(), Some(&parsed.url), "{}", parsed.url);
        }
    }
}

/// Lines and fragments of packs, valid and broken, to splice into pack text.
fn pack_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "id = \"p\"", "version = \"1\"", "title = \"t\"", "[categories.exaggeration]",
            "name = \"虚假宣传\"", "consequence = \"限制\"", "[variants]", "\"蕞\" = \"最\"",
            "[[rule]]", "id = \"exaggeration.x\"", "id = \"exaggeration.y\"", "kind = \"terms\"",
            "kind = \"regex\"", "kind = \"near\"", "kind = \"requires\"", "severity = \"review\"",
            "severity = \"block\"", "message = \"m\"", "basis = \"b\"", "terms = [\"最好\"]",
            "terms = [\"\"]", "patterns = ['最(好|佳']", "patterns = ['\\w{1000}{1000}']",
            "patterns = ['a{0,5}']", "all-of = [[\"转发\"], [\"红包\"]]", "within = 0",
            "within = 18446744073709551615", "triggers = [\"理财\"]", "required = ['有风险']",
            "min-triggers = 3", "fires = [\"最好\"]", "passes = [\"很好\"]", "unless = [\"最近\"]",
            "negation = []", "boundary = \"any\"", "colour = \"red\"", "severity = 3",
            "[links]", "deny = [\"bad.example\"]", "[categories.external-link]",
            "id = \"Bad Id\"", "\"\" = \"x\"", "context = [\"基金\"]",
        ]).prop_map(str::to_string),
        1 => "(?s).{0,12}",
        1 => "[a-z=\\[\\]\"' .{}-]{0,16}",
    ]
}

fn pack_text() -> impl Strategy<Value = String> {
    prop::collection::vec(pack_line(), 0..40).prop_map(|lines| lines.join("\n"))
}

/// An error from loading or building must name a place inside the pack's text.
fn check_error(text: &str, err: &PackError) -> Result<(), TestCaseError> {
    let location = err.location();
    prop_assert!(location.is_some(), "no location: {err}");
    let location = location.expect("checked");
    prop_assert_eq!(&*location.path, "p.toml");
    prop_assert!(
        location.line >= 1 && location.line <= text.lines().count() + 1,
        "{err}"
    );
    prop_assert!(location.column >= 1, "{err}");
    prop_assert!(err.to_string().starts_with("p.toml:"), "{err}");
    Ok(())
}

fn load_and_build(text: &str, json: bool) -> Result<(), TestCaseError> {
    let loaded = if json {
        RulePack::from_json_str("p.toml", text)
    } else {
        RulePack::from_toml_str("p.toml", text)
    };
    match loaded {
        Err(err) => check_error(text, &err),
        Ok(pack) => match Scanner::builder().pack(pack).build() {
            Err(err) => check_error(text, &err),
            Ok(scanner) => {
                let run = scanner.check_examples();
                prop_assert!(run.failures.len() <= run.checked);
                for rule in scanner.rules() {
                    for example in rule.def.fires.iter().chain(&rule.def.passes) {
                        check_report(example, &scanner.scan(example))?;
                    }
                }
                Ok(())
            }
        },
    }
}

fn words() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec!["最好", "转发", "红包", "理财", "", " ", "a", "最"])
                .prop_map(str::to_string),
            "\\PC{0,3}",
        ],
        0..4,
    )
}

fn patterns() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec!["最(好|佳)", "(", "\\d+%", "a{2,}", "[", "\\w{50}{50}"])
                .prop_map(str::to_string),
            "[a-z()|*+?{}0-9\\\\.\\[\\]]{0,8}",
        ],
        0..3,
    )
}

prop_compose! {
    /// A rule as JSON (so that the test keeps compiling when the schema gains fields).
    fn rule_def()(
        what in "[a-z-]{0,6}",
        kind in prop::sample::select(vec!["terms", "regex", "near", "requires", "other"]),
        severity in prop::sample::select(vec!["notice", "review", "block", "fatal"]),
        message in prop_oneof![Just(String::from("m")), Just(String::new())],
        fires in words(),
        passes in words(),
        terms in words(),
        boundary in prop::option::of(prop::sample::select(vec!["word", "any"])),
        unless in words(),
        negation in prop::option::of(words()),
        context in words(),
        patterns in patterns(),
        all_of in prop::collection::vec(words(), 0..3),
        within in prop::option::of(0usize..50),
        triggers in words(),
        min_triggers in prop::option::of(0usize..4),
        trigger_patterns in patterns(),
        required in patterns(),
    ) -> serde_json::Value {
        let mut rule = serde_json::json!({
            "id": format!("exaggeration.{what}"),
            "kind": kind, "severity": severity, "message": message, "basis": "b",
            "fires": fires, "passes": passes,
        });
        let fields = [
            ("terms", serde_json::json!(terms)),
            ("unless", serde_json::json!(unless)),
            ("context", serde_json::json!(context)),
            ("patterns", serde_json::json!(patterns)),
            ("all-of", serde_json::json!(all_of)),
            ("triggers", serde_json::json!(triggers)),
            ("trigger-patterns", serde_json::json!(trigger_patterns)),
            ("required", serde_json::json!(required)),
            ("boundary", serde_json::json!(boundary)),
            ("negation", serde_json::json!(negation)),
            ("within", serde_json::json!(within)),
            ("min-triggers", serde_json::json!(min_triggers)),
        ];
        for (key, value) in fields {
            let empty = value.is_null() || value.as_array().is_some_and(Vec::is_empty);
            if !empty {
                rule[key] = value;
            }
        }
        rule
    }
}

prop_compose! {
    fn pack_def()(
        rules in prop::collection::vec(rule_def(), 0..4),
        variants in prop::collection::btree_map(
            prop::sample::select(vec!["蕞", "v信", "", "最", "🧧"]).prop_map(str::to_string),
            prop::sample::select(vec!["最", "微信", "", "最好", "红包"]).prop_map(str::to_string),
            0..3,
        ),
    ) -> serde_json::Value {
        serde_json::json!({
            "id": "p", "version": "1", "title": "t",
            "categories": {"exaggeration": {"name": "虚假宣传", "consequence": "限制"}},
            "variants": variants,
            "rule": rules,
        })
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_pack_text_loads_or_fails_with_a_location(text in pack_text()) {
        load_and_build(&text, false)?;
    }

    #[test]
    fn generated_packs_load_or_fail_with_a_location(value in pack_def()) {
        let json = serde_json::to_string_pretty(&value).expect("serialises");
        load_and_build(&json, true)?;
        // What loads, loads back to itself from its own serialisation.
        if let Ok(pack) = RulePack::from_json_str("p.toml", &json) {
            let again = serde_json::to_string(pack.def()).expect("serialises");
            let reloaded = RulePack::from_json_str("p.toml", &again).expect("reloads");
            let def: &PackDef = reloaded.def();
            prop_assert_eq!(def, pack.def());
        }
    }
}
