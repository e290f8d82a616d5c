//! Writes the seed corpora of the fuzz targets from the repository's fixtures and the
//! packs' examples: `cargo run -p hegui-fuzz-seed` (from `fuzz/`) fills `fuzz/corpus/`.
//!
//! * `scan`, `normalize`, `links`: every `fires` / `passes` example of every pack (the
//!   default packs and the CLI test packs), the example campaign, the CLI test messages
//!   and `stdin` of the CLI test cases.
//! * `pack`: every pack file (valid and deliberately broken), and each valid pack as JSON.
//! * `corpus/terms.dict`: a libFuzzer dictionary of every term, exception, negation cue
//!   and variant of the packs (`-dict=corpus/terms.dict` for `scan` and `normalize`).
//!
//! File names are content hashes, so running it again adds only what is new.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use hegui_core::RulePack;

fn main() -> std::io::Result<()> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let repo = fuzz.join("..");
    let corpus = fuzz.join("corpus");
    let mut texts: BTreeSet<String> = BTreeSet::new();
    let mut packs: BTreeSet<String> = BTreeSet::new();
    let mut terms: BTreeSet<String> = BTreeSet::new();

    let mut files = Vec::new();
    for dir in ["rulesets", "examples", "crates/hegui-cli/tests/cmd"] {
        walk(&repo.join(dir), &mut files)?;
    }
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "toml" => {
                let is_case = file.parent().is_some_and(|p| p.ends_with("cmd"));
                if is_case {
                    // A trycmd case: its stdin is a message.
                    if let Ok(value) = text.parse::<toml::Table>() {
                        if let Some(stdin) = value.get("stdin").and_then(|v| v.as_str()) {
                            texts.insert(stdin.to_string());
                        }
                    }
                    continue;
                }
                packs.insert(text.clone());
                let name = file.display().to_string();
                if let Ok(pack) = RulePack::from_toml_str(&name, &text) {
                    for rule in &pack.def().rules {
                        texts.extend(rule.fires.iter().cloned());
                        texts.extend(rule.passes.iter().cloned());
                        terms.extend(rule.terms.iter().cloned());
                        terms.extend(rule.all_of.iter().flatten().cloned());
                        terms.extend(rule.triggers.iter().cloned());
                        terms.extend(rule.unless.iter().cloned());
                        terms.extend(rule.context.iter().cloned());
                        terms.extend(rule.negation.iter().flatten().cloned());
                    }
                    for (variant, canonical) in &pack.def().variants {
                        texts.insert(format!("{variant} {canonical}"));
                        terms.insert(variant.clone());
                        terms.insert(canonical.clone());
                    }
                    if let Ok(json) = serde_json::to_string_pretty(pack.def()) {
                        packs.insert(json);
                    }
                }
            }
            "txt" => {
                texts.insert(text.clone());
                texts.extend(text.lines().map(str::to_string));
            }
            "jsonl" => {
                for line in text.lines() {
                    if let Ok(value) = serde_json::from_str::<serde_json::Value>(line) {
                        if let Some(t) = value.get("text").and_then(|v| v.as_str()) {
                            texts.insert(t.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    texts.retain(|t| !t.is_empty());
    for target in ["scan", "normalize", "links"] {
        write_all(&corpus.join(target), &texts)?;
    }
    write_all(&corpus.join("pack"), &packs)?;
    std::fs::create_dir_all(corpus.join("pack_structured"))?;
    let dict: String = terms
        .iter()
        .filter(|t| !t.is_empty())
        .map(|t| format!("\"{}\"\n", escape(t)))
        .collect();
    std::fs::write(corpus.join("terms.dict"), dict)?;
    println!(
        "seeded {} texts (scan, normalize, links), {} packs (pack) and {} dictionary terms into {}",
        texts.len(),
        packs.len(),
        terms.len(),
        "fuzz/corpus"
    );
    Ok(())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn write_all(dir: &Path, items: &BTreeSet<String>) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for item in items {
        let name = format!("seed-{:016x}", fnv(item.as_bytes()));
        std::fs::write(dir.join(name), item)?;
    }
    Ok(())
}

/// A libFuzzer dictionary value: printable ASCII as is (`\\` and `"` escaped), every
/// other byte as `\xNN`.
fn escape(term: &str) -> String {
    term.bytes()
        .map(|b| match b {
            b'\\' => "\\\\".to_string(),
            b'"' => "\\\"".to_string(),
            0x20..=0x7E => char::from(b).to_string(),
            _ => format!("\\x{b:02X}"),
        })
        .collect()
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}
