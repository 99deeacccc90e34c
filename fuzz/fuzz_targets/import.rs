//! `planc import` on any Terraform text: no panic, no overflow, and every `.plan` file it
//! writes is Plan without a syntax error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let imported = planc::import::import_texts(&[("main.tf".to_string(), text.to_string())]);
    for (name, plan) in &imported.files {
        let parse = planc::syntax::parse(plan);
        assert!(parse.errors.is_empty(), "{name} does not parse:\n{plan}\n{:?}", parse.errors);
    }
});
