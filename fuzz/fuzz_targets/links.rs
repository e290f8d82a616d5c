//! `links`: for arbitrary text, link extraction spans are valid and every extracted URL
//! parses and re-parses to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    hegui_fuzz::check_links(&text);
});
