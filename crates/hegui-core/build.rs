//! Fingerprints the reduced boundary dictionary (`data/boundary-dict.txt`), so that a
//! scanner given that text at run time (the WebAssembly package loads it beside its
//! module) can recognise it and index it without checking every line again: a test
//! checks every line of it.

include!("src/segment/fingerprint.rs");

fn main() {
    let path = "data/boundary-dict.txt";
    println!("cargo::rerun-if-changed={path}");
    println!("cargo::rerun-if-changed=src/segment/fingerprint.rs");
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let code = format!(
        "/// The fingerprint of `data/boundary-dict.txt` (written by `build.rs`).\n\
         const BOUNDARY_DICT_FINGERPRINT: u64 = {:#x};\n",
        fingerprint(&text)
    );
    std::fs::write(format!("{out}/fingerprints.rs"), code).unwrap_or_else(|e| panic!("{out}: {e}"));
}
