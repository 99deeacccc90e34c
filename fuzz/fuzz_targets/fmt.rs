//! The formatter on any text: no panic, and formatting what it formatted changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(formatted) = planc::fmt::format(text) {
        assert_eq!(planc::fmt::format(&formatted).as_ref(), Ok(&formatted), "formatting is not idempotent");
    }
});
