//! The diagnostics queries: per file, then the workspace, then the ignore comments.

use std::collections::BTreeSet;

use crate::db::{file_ir, file_symbols, parse, Database, Db, SourceFile, Workspace};
use crate::diagnostics::{self, Diagnostic};
use crate::syntax::{TextRange, TextSize};

/// Everything wrong with one file: syntax, lowering, and names checked against the workspace.
#[salsa::tracked(returns(ref))]
pub fn file_diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let path = file.path(db);
    let mut acc = Vec::new();
    if let Some(offset) = file.invalid_utf8_at(db) {
        acc.push(
            Diagnostic::error(
                "P002",
                format!("this file is not valid UTF-8 (first invalid byte at offset {offset})"),
                path,
                TextRange::empty(TextSize::from(0)),
            )
            .label("cannot read this file")
            .note("Plan files are UTF-8 text; the file was not checked")
            .help("re-save the file as UTF-8"),
        );
        return acc;
    }
    let lowered = file_ir(db, file);
    acc.extend(lowered.diagnostics.iter().cloned());
    let workspace = Workspace::get(db);
    crate::check_file(db, workspace, file, &lowered.value, &mut acc);
    diagnostics::sort(&mut acc);
    acc
}

/// Problems of the workspace as a whole: no `plan` block, or more than one.
#[salsa::tracked(returns(ref))]
pub fn workspace_diagnostics(db: &dyn Db, workspace: Workspace) -> Vec<Diagnostic> {
    let mut acc = Vec::new();
    crate::check_workspace(db, workspace, &mut acc);
    diagnostics::sort(&mut acc);
    acc
}

/// Below this much source, a workspace is checked on one thread.
const PARALLEL_FROM_BYTES: usize = 64 * 1024;

/// Every diagnostic of the workspace, sorted, files checked in parallel.
pub fn all_diagnostics(db: &Database, workspace: Workspace) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let files = workspace.files(db).clone();
    // Warm the per-file queries on all cores; salsa shares the results between the clones.
    // A small workspace is checked faster than a thread pool starts: check it on this thread.
    let bytes: usize = files.iter().map(|it| it.text(db).len()).sum();
    if files.len() > 1 && bytes >= PARALLEL_FROM_BYTES {
        files.par_iter().for_each_with(db.clone(), |db, &file| {
            file_symbols(db, file);
        });
        files.par_iter().for_each_with(db.clone(), |db, &file| {
            file_diagnostics(db, file);
        });
    }
    let mut acc: Vec<Diagnostic> = files.iter().flat_map(|&file| file_diagnostics(db, file).iter().cloned()).collect();
    acc.extend(workspace_diagnostics(db, workspace).iter().cloned());
    // Last, so that an ignore silences workspace-level diagnostics too and can tell when it
    // silences nothing.
    for &file in &files {
        let ignores = file_ignores(db, file);
        if !ignores.is_empty() {
            crate::ignore::apply(file.path(db), ignores, &mut acc);
        }
    }
    diagnostics::sort(&mut acc);
    acc
}

/// The `// planc:ignore CODE: reason` comments of a file.
#[salsa::tracked(returns(ref))]
pub fn file_ignores(db: &dyn Db, file: SourceFile) -> Vec<crate::ignore::Ignore> {
    // Most files have no ignore at all: one substring search instead of a walk over every token.
    if !file.text(db).contains(crate::ignore::PREFIX) {
        return Vec::new();
    }
    crate::ignore::collect(parse(db, file))
}

/// The queues that another queue names as its `dead_letter`.
#[salsa::tracked(returns(ref))]
pub fn dead_letter_targets(db: &dyn Db, workspace: Workspace) -> BTreeSet<String> {
    let mut targets = BTreeSet::new();
    for &file in workspace.files(db) {
        for block in file_ir(db, file).value.blocks.iter().filter(|it| it.kind == "queue") {
            if let Some(attr) = block.attr("dead_letter") {
                for reference in attr.value.refs() {
                    targets.insert(reference.name.clone());
                }
            }
        }
    }
    targets
}
