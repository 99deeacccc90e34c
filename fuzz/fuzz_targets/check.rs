//! `planc check` on any bytes, beside a clean file, through every renderer.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use planc::db::{all_diagnostics, Database};
use planc::diagnostics::render::{self, Sources};

const OTHER: &[u8] = b"plan demo { cloud = aws  region = \"us-east-1\" }\nbucket assets { }\n";

fuzz_target!(|data: &[u8]| {
    let files = vec![("main.plan".to_string(), data.to_vec()), ("other.plan".to_string(), OTHER.to_vec())];
    let (db, workspace) = Database::with_files(files);
    let diagnostics = all_diagnostics(&db, workspace);
    let sources: Sources =
        workspace.files(&db).iter().map(|file| (file.path(&db).clone(), Arc::clone(file.text(&db)))).collect();
    let _ = render::terminal(&diagnostics, &sources, false);
    let _ = render::json(&diagnostics, &sources);
    let _ = render::sarif(&diagnostics, &sources);
    let _ = render::github(&diagnostics, &sources);
});
