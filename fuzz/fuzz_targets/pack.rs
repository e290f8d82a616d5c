//! `pack`: arbitrary text loads as a pack (TOML, and JSON) or fails with an error naming
//! `path:line:column`; never panics, never hangs (loading and building are timed). A pack
//! that loads is built and scans its own examples consistently.
//!
//! Scanners are built with jieba's full dictionary, as in production; it is read once
//! per process, so a build costs milliseconds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    hegui_fuzz::check_pack("fuzz.toml", &text, false);
    hegui_fuzz::check_pack("fuzz.json", &text, true);
});
