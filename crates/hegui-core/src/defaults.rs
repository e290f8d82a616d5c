//! The default rule packs of `rulesets/`, embedded in the library.

use crate::pack::{PackDef, RulePack};

// `DEFAULT_PACKS` (public) and `DEFAULT_PACKS_JSON`, written by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/default_packs.rs"));

/// Loads the default packs: each parsed from its JSON form, with its TOML text kept
/// for error locations (`cargo test` checks that the two give the same pack).
///
/// ```
/// let packs = hegui_core::default_packs();
/// assert_eq!(packs.len(), hegui_core::DEFAULT_PACKS.len());
/// assert_eq!(packs[0].path(), "rulesets/induce-share.toml");
/// ```
pub fn default_packs() -> Vec<RulePack> {
    DEFAULT_PACKS
        .iter()
        .zip(DEFAULT_PACKS_JSON)
        .map(|(&(path, toml), json)| {
            // No JSON form: the TOML does not parse, and loading it says where.
            let pack = match serde_json::from_str::<PackDef>(json) {
                Ok(def) => RulePack::from_def(path, toml, def),
                Err(_) => RulePack::from_toml_str(path, toml),
            };
            pack.expect("default packs load; `cargo test` checks them")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON that `build.rs` converts each default pack to gives the pack its TOML
    /// gives, with the same source text for locations.
    #[test]
    fn json_forms_are_the_toml_packs() {
        let packs = default_packs();
        assert_eq!(packs.len(), DEFAULT_PACKS.len());
        for (pack, &(path, toml)) in packs.iter().zip(DEFAULT_PACKS) {
            let from_toml = RulePack::from_toml_str(path, toml).expect("loads");
            assert_eq!(pack.def(), from_toml.def(), "{path}");
            assert_eq!(pack.path(), path);
            for index in 0..pack.def().rules.len() {
                assert_eq!(pack.rule_location(index), from_toml.rule_location(index));
            }
        }
    }
}
