//! Checking that needs the whole workspace: names resolved across files, duplicate names,
//! declared environments, and the one `plan` block. Type and structure errors are found
//! earlier, while lowering each file on its own.

mod resolve;

use crate::db::{file_ir, Db, SourceFile, Workspace};
use crate::diagnostics::Diagnostic;
use crate::ir::FileIr;
use crate::syntax::{TextRange, TextSize};

pub fn check_file(db: &dyn Db, workspace: Workspace, file: SourceFile, ir: &FileIr, acc: &mut Vec<Diagnostic>) {
    resolve::check_names(db, workspace, file, ir, acc);
}

pub fn check_workspace(db: &dyn Db, workspace: Workspace, acc: &mut Vec<Diagnostic>) {
    let files = workspace.files(db);
    let mut plans: Vec<(SourceFile, TextRange)> = Vec::new();
    for &file in files {
        for block in file_ir(db, file).value.blocks.iter().filter(|it| it.kind == "plan") {
            plans.push((file, block.name_range.unwrap_or(block.kind_range)));
        }
    }
    match plans.as_slice() {
        // An unreadable file may hold the plan: say nothing rather than something wrong.
        [] if files.iter().any(|it| it.invalid_utf8_at(db).is_some()) => {}
        [] => {
            if let Some(&first) = files.iter().find(|it| it.invalid_utf8_at(db).is_none()) {
                acc.push(
                    Diagnostic::error(
                        "P016",
                        "this workspace has no `plan` block",
                        first.path(db),
                        TextRange::empty(TextSize::from(0)),
                    )
                    .label("no `plan` block in any file")
                    .note("the `plan` block names the cloud and region every resource defaults to")
                    .help("add one to a file, e.g. `plan shop { cloud = aws  region = \"us-east-1\" }`"),
                );
            }
        }
        [_] => {}
        [(first_file, first_range), rest @ ..] => {
            for (file, range) in rest {
                acc.push(
                    Diagnostic::error("P017", "this workspace has more than one `plan` block", file.path(db), *range)
                        .label("another `plan` block")
                        .secondary(first_file.path(db), *first_range, "the first `plan` block")
                        .note("a workspace is one plan; every `.plan` file under its directory belongs to it")
                        .help("keep one `plan` block, or move the other plan into a directory of its own"),
                );
            }
        }
    }
}
