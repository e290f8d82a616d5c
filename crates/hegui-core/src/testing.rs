//! Helpers for unit tests: a pack header around rule snippets, a fixed pseudo-random
//! sequence for generated inputs.

use crate::error::PackError;
use crate::pack::RulePack;
use crate::scanner::Scanner;

const HEADER: &str = r#"
id = "test"
version = "0"
title = "测试"

[categories.induce-share]
name = "诱导分享"
consequence = "封禁群发功能7天，需提交承诺书"

[categories.exaggeration]
name = "虚假宣传"
consequence = "限制消息传播范围，整改后48小时"

[categories.finance]
name = "金融资质缺失"
consequence = "消息被屏蔽"
"#;

/// A pack made of the test header and `rules`.
pub(crate) fn pack_with(rules: &str) -> Result<Scanner, PackError> {
    Scanner::builder().pack(test_pack(rules)?).build()
}

/// The rule pack of [`pack_with`], not yet compiled.
pub(crate) fn test_pack(rules: &str) -> Result<RulePack, PackError> {
    RulePack::from_toml_str("test.toml", &format!("{HEADER}{rules}"))
}

/// Like [`pack_with`], for rules known to be valid.
pub(crate) fn scanner_with(rules: &str) -> Scanner {
    pack_with(rules).expect("test pack compiles")
}

/// The original texts of the findings of `scanner` in `text`, in order.
pub(crate) fn flagged_texts(scanner: &Scanner, text: &str) -> Vec<String> {
    scanner
        .scan(text)
        .findings
        .into_iter()
        .map(|f| f.text)
        .collect()
}

/// Every `fires` and `passes` example of the default packs.
pub(crate) fn default_example_texts() -> Vec<String> {
    crate::defaults::default_packs()
        .iter()
        .flat_map(|p| p.def().rules.iter())
        .flat_map(|r| r.fires.iter().chain(&r.passes).cloned())
        .collect()
}

/// Numbers below `n`, pseudo-random (xorshift) from `seed`: generated test inputs that
/// are the same on every run.
pub(crate) fn numbers(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    }
}
