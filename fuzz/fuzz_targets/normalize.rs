//! `normalize`: for arbitrary text, the offset map is monotonic and covers the input, and
//! normalising twice changes nothing — with the default packs' variant table and without.
#![no_main]

use hegui_core::Normalizer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    hegui_fuzz::check_normalized(hegui_fuzz::scanner().normalizer(), &text);
    hegui_fuzz::check_normalized(&Normalizer::default(), &text);
});
