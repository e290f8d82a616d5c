//! The default rule packs of `rulesets/`, embedded in the library.

use crate::pack::RulePack;

/// `(path, TOML text)` of every default pack.
pub const DEFAULT_PACKS: &[(&str, &str)] = &[
    (
        "rulesets/induce-share.toml",
        include_str!("../../../rulesets/induce-share.toml"),
    ),
    (
        "rulesets/exaggeration.toml",
        include_str!("../../../rulesets/exaggeration.toml"),
    ),
    (
        "rulesets/channel.toml",
        include_str!("../../../rulesets/channel.toml"),
    ),
    (
        "rulesets/external-link.toml",
        include_str!("../../../rulesets/external-link.toml"),
    ),
    (
        "rulesets/finance.toml",
        include_str!("../../../rulesets/finance.toml"),
    ),
];

/// Loads the default packs.
pub fn default_packs() -> Vec<RulePack> {
    DEFAULT_PACKS
        .iter()
        .map(|(path, text)| {
            RulePack::from_toml_str(path, text)
                .expect("default packs load; `cargo test` checks them")
        })
        .collect()
}
