//! `pack_structured`: structurally generated packs (every rule kind and field, terms and
//! patterns from a vocabulary or arbitrary) written as TOML and as JSON either load or
//! fail with a located error, load back to the same pack, build within the time limit
//! (or fail with a located error) and scan their examples consistently.
//!
//! Scanners are built with jieba's full dictionary, as in production (see `pack.rs`).
#![no_main]

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use hegui_core::{PackDef, RulePack};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const WORDS: &[&str] = &[
    "最好",
    "最佳",
    "最",
    "转发",
    "红包",
    "领取",
    "理财",
    "收益",
    "基金",
    "保本",
    "稳赚不赔",
    "最近",
    "第一次",
    "不",
    "谨防",
    "薇信",
    "微信",
    "v信",
    "vx",
    "no.1",
    "100%",
    "🧧",
    "轉發",
    "全 网",
    "\u{200B}",
    "a",
    "",
    " ",
    "ｖｘ",
    "①",
    "转*发",
];

const PATTERNS: &[&str] = &[
    "最(好|佳)",
    r"\d+%",
    "(",
    "[",
    "a{2,}",
    r"\w{40}{40}",
    r"(?-i)NO\.1",
    "^",
    "$",
    ".*",
    "(投资|入市)(需|须)谨慎",
    r"\bvx\b",
    "x{0}",
    "(?:)",
    r"\p{Han}+",
    "[^\\s]+?",
];

#[derive(Debug, Arbitrary)]
enum Word {
    Known(u8),
    Free(String),
}

impl Word {
    fn text(&self, from: &[&str]) -> String {
        match self {
            Word::Known(i) => from[*i as usize % from.len()].to_string(),
            Word::Free(s) => s.chars().take(12).collect(),
        }
    }
}

#[derive(Debug, Arbitrary)]
struct Rule {
    what: u8,
    kind: u8,
    severity: u8,
    empty_message: bool,
    fires: Vec<Word>,
    passes: Vec<Word>,
    terms: Vec<Word>,
    boundary: Option<bool>,
    unless: Vec<Word>,
    negation: Option<Vec<Word>>,
    context: Vec<Word>,
    patterns: Vec<Word>,
    all_of: Vec<Vec<Word>>,
    within: Option<u16>,
    triggers: Vec<Word>,
    min_triggers: Option<u8>,
    trigger_patterns: Vec<Word>,
    required: Vec<Word>,
}

#[derive(Debug, Arbitrary)]
struct Pack {
    rules: Vec<Rule>,
    variants: Vec<(Word, Word)>,
}

fn words(list: &[Word]) -> Vec<String> {
    list.iter().take(6).map(|w| w.text(WORDS)).collect()
}

fn patterns(list: &[Word]) -> Vec<String> {
    list.iter().take(4).map(|w| w.text(PATTERNS)).collect()
}

/// A rule as JSON (so that the target keeps compiling when the schema gains fields).
fn rule(r: &Rule) -> Value {
    let kinds = ["terms", "regex", "near", "requires"];
    let severities = ["notice", "review", "block"];
    let mut rule = json!({
        "id": format!("exaggeration.r{}", r.what % 8),
        "kind": kinds[r.kind as usize % kinds.len()],
        "severity": severities[r.severity as usize % severities.len()],
        "message": if r.empty_message { "" } else { "绝对化用语" },
        "basis": "《广告法》第九条",
        "fires": words(&r.fires),
        "passes": words(&r.passes),
    });
    let fields = [
        ("terms", json!(words(&r.terms))),
        ("unless", json!(words(&r.unless))),
        ("context", json!(words(&r.context))),
        ("patterns", json!(patterns(&r.patterns))),
        (
            "all-of",
            json!(r
                .all_of
                .iter()
                .take(4)
                .map(|g| words(g))
                .collect::<Vec<_>>()),
        ),
        ("triggers", json!(words(&r.triggers))),
        ("trigger-patterns", json!(patterns(&r.trigger_patterns))),
        ("required", json!(patterns(&r.required))),
        (
            "boundary",
            json!(r.boundary.map(|b| if b { "word" } else { "any" })),
        ),
        ("negation", json!(r.negation.as_deref().map(words))),
        ("within", json!(r.within)),
        ("min-triggers", json!(r.min_triggers)),
    ];
    for (key, value) in fields {
        let empty = value.is_null() || value.as_array().is_some_and(Vec::is_empty);
        if !empty {
            rule[key] = value;
        }
    }
    rule
}

fn pack(p: &Pack) -> PackDef {
    let variants: BTreeMap<String, String> = p
        .variants
        .iter()
        .take(6)
        .map(|(k, v)| (k.text(WORDS), v.text(WORDS)))
        .collect();
    let value = json!({
        "id": "fuzz",
        "version": "1",
        "title": "模糊测试",
        "categories": {"exaggeration": {"name": "虚假宣传", "consequence": "限制消息传播范围"}},
        "variants": variants,
        "rule": p.rules.iter().take(6).map(rule).collect::<Vec<_>>(),
    });
    serde_json::from_value(value).expect("a generated pack fits the schema's types")
}

fuzz_target!(|input: Pack| {
    let def = pack(&input);
    if let Ok(text) = toml::to_string(&def) {
        if let Some(loaded) = hegui_fuzz::check_pack("fuzz.toml", &text, false) {
            assert_eq!(
                loaded.def(),
                &def,
                "TOML did not load back to the same pack"
            );
        }
    }
    let json = serde_json::to_string_pretty(&def).expect("a pack serialises to JSON");
    if let Some(loaded) = hegui_fuzz::check_pack("fuzz.json", &json, true) {
        assert_eq!(
            loaded.def(),
            &def,
            "JSON did not load back to the same pack"
        );
    }
    // The same def must be judged the same way in both formats.
    let toml_ok = toml::to_string(&def)
        .ok()
        .map(|t| RulePack::from_toml_str("a.toml", &t).is_ok());
    let json_ok = RulePack::from_json_str("a.json", &json).is_ok();
    if let Some(toml_ok) = toml_ok {
        assert_eq!(toml_ok, json_ok, "TOML and JSON disagree on validity");
    }
});
