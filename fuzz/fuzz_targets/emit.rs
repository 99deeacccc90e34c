//! `planc build` to memory on any input that checks without errors: every target, every env,
//! and no output path that would leave the output directory.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use planc::db::{all_diagnostics, workspace_envs, Database};
use planc::diagnostics::Severity;
use planc::emit::{emit, Target};

fuzz_target!(|data: &[u8]| {
    let (db, workspace) = Database::with_files(vec![("main.plan".to_string(), data.to_vec())]);
    if all_diagnostics(&db, workspace).iter().any(|it| it.severity == Severity::Error) {
        return;
    }
    let envs = workspace_envs(&db, workspace).clone();
    let targets: BTreeSet<Target> = [Target::Terraform, Target::K8s, Target::Adr].into_iter().collect();
    for file in emit(&db, workspace, &envs, &targets, "") {
        let path = std::path::Path::new(&file.path);
        assert!(
            path.components().all(|it| matches!(it, std::path::Component::Normal(_))),
            "output path {} leaves the output directory",
            file.path
        );
    }
});
