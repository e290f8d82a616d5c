//! Two things the library embeds, made at build time:
//!
//! - the default packs of `rulesets/` as JSON beside their TOML: `default_packs()` parses
//!   the JSON (serde_json reads it about three times as fast as the TOML parser, which
//!   matters most in WebAssembly, where a cold build runs the parser in the baseline
//!   tier) and keeps the TOML text for error locations; a test checks that both give
//!   the same packs;
//! - the fingerprint of the reduced boundary dictionary (`data/boundary-dict.txt`), so
//!   that a scanner given that text at run time (the WebAssembly package loads it beside
//!   its module) can recognise it and index it without checking every line again: a
//!   test checks every line of it.

use std::fmt::Write as _;

include!("src/segment/fingerprint.rs");

/// The default packs, in the order the engine loads them (`rulesets/NAME.toml`).
const DEFAULT_PACKS: [&str; 5] = [
    "induce-share",
    "exaggeration",
    "channel",
    "external-link",
    "finance",
];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let write = |name: &str, text: &str| {
        let path = format!("{out}/{name}");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{path}: {e}"));
    };

    let mut code = String::from(
        "/// `(path, TOML text)` of every default pack.\n\
         pub const DEFAULT_PACKS: &[(&str, &str)] = &[\n",
    );
    let mut json_list = String::from(
        "/// The default packs as JSON (converted from the TOML by `build.rs`), in the\n\
         /// order of [`DEFAULT_PACKS`].\n\
         const DEFAULT_PACKS_JSON: &[&str] = &[\n",
    );
    for name in DEFAULT_PACKS {
        let file = format!("{manifest}/../../rulesets/{name}.toml");
        println!("cargo::rerun-if-changed={file}");
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        // A pack that is not TOML gets no JSON form: `default_packs()` then loads its
        // TOML, whose error names the place (and `cargo test` fails on it).
        let json = toml::from_str::<toml::Value>(&text)
            .ok()
            .and_then(|value| serde_json::to_string(&value).ok())
            .unwrap_or_default();
        write(&format!("{name}.json"), &json);
        let _ = writeln!(
            code,
            "    (\"rulesets/{name}.toml\", include_str!({file:?})),"
        );
        let _ = writeln!(
            json_list,
            "    include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}.json\")),"
        );
    }
    code.push_str("];\n\n");
    code.push_str(&json_list);
    code.push_str("];\n");
    write("default_packs.rs", &code);

    let dict = format!("{manifest}/data/boundary-dict.txt");
    println!("cargo::rerun-if-changed={dict}");
    println!("cargo::rerun-if-changed=src/segment/fingerprint.rs");
    let text = std::fs::read(&dict).unwrap_or_else(|e| panic!("{dict}: {e}"));
    write(
        "fingerprints.rs",
        &format!(
            "/// The fingerprint of `data/boundary-dict.txt` (written by `build.rs`).\n\
             const BOUNDARY_DICT_FINGERPRINT: u64 = {:#x};\n",
            fingerprint(&text)
        ),
    );
}
