//! `scan`: for arbitrary text (invalid UTF-8 replaced), the default scanner's report is
//! consistent — spans on char boundaries slicing to `text`, char and UTF-16 spans agree,
//! findings sorted, verdict the highest severity.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = hegui_fuzz::scanner().scan(&text);
    hegui_fuzz::check_report(&text, &report);
});
