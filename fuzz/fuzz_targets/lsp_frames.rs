//! The language server's frame reader and message check on any input: no panic, no hang, and
//! every body it returns is at most the size the input holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plan_lsp::frames::{judge, read_frame};

fuzz_target!(|data: &[u8]| {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async {
        let mut reader = tokio::io::BufReader::new(data);
        // Each frame consumes input, so this ends; the bound is a second guard.
        for _ in 0..=data.len() {
            match read_frame(&mut reader).await {
                Ok(Some(body)) => {
                    assert!(body.len() <= data.len());
                    let _ = judge(&body);
                }
                Ok(None) | Err(_) => break,
            }
        }
    });
});
