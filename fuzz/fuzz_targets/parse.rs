//! The parser on any text: no panic, no overflow, and the tree holds every byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let parse = planc::syntax::parse(text);
        assert_eq!(parse.syntax().text().to_string(), text, "the tree is not lossless");
    }
});
