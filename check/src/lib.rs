//! Checking that needs the whole workspace: names resolved across files, duplicate names,
//! declared environments, and the one `plan` block. Type and structure errors are found
//! earlier, while lowering each file on its own.

pub mod ignore;
mod queries;
mod resolve;
pub mod rules;

use plan_catalog as catalog;
use plan_cost as cost;
use plan_db as db;
use plan_deploy as deploy;
use plan_diagnostics as diagnostics;
use plan_ir as ir;
use plan_syntax as syntax;

pub use queries::*;

use crate::db::{file_ir, Db, SourceFile, Workspace};
use crate::diagnostics::Diagnostic;
use crate::ir::FileIr;
use crate::syntax::{TextRange, TextSize};

pub fn check_file(db: &dyn Db, workspace: Workspace, file: SourceFile, ir: &FileIr, acc: &mut Vec<Diagnostic>) {
    resolve::check_names(db, workspace, file, ir, acc);
    let facts = crate::db::plan_facts(db, workspace);
    let ctx = rules::RuleCtx {
        db,
        workspace,
        file,
        path: file.path(db),
        facts,
        index: crate::db::workspace_index(db, workspace),
    };
    rules::check_file_rules(&ctx, &ir.blocks, acc);
    check_policy_codes(file.path(db), ir, acc);
    rules::apply_policy(facts, acc);
}

/// P023: a `policy` severity for a code that does not exist, or for a P0xx code.
fn check_policy_codes(path: &std::sync::Arc<str>, ir: &FileIr, acc: &mut Vec<Diagnostic>) {
    for block in ir.blocks.iter().filter(|it| it.kind == "policy") {
        let Some(attr) = block.attr("severity") else { continue };
        let crate::ir::ValueKind::Map(entries) = &attr.value.kind else { continue };
        for entry in entries {
            match crate::diagnostics::code_info(&entry.key) {
                Some(info) if info.code.starts_with('P') => acc.push(
                    Diagnostic::error("P023", format!("`{}` cannot be reconfigured", info.code), path, entry.key_range)
                        .label("syntax, name and type errors are always errors")
                        .help("remove this entry; a policy can change the severity of rules (SEC, REL, COST, ARCH, CAT, ADR)"),
                ),
                Some(info) if info.code != entry.key => acc.push(
                    Diagnostic::error("P023", format!("write the code `{}`, not its name", info.code), path, entry.key_range)
                        .label("a rule name")
                        .replace_with(format!("Change to `{}`", info.code), crate::diagnostics::Applicability::Safe, info.code),
                ),
                Some(_) => {}
                None => {
                    let codes = crate::diagnostics::CODES.iter().map(|it| it.code);
                    let mut found = Diagnostic::error("P023", format!("`{}` is not a diagnostic code", entry.key), path, entry.key_range)
                        .label("unknown code");
                    found = match crate::diagnostics::did_you_mean(&entry.key, codes) {
                        Some(suggestion) => found
                            .help(format!("did you mean `{suggestion}`?"))
                            .replace_with(format!("Change to `{suggestion}`"), crate::diagnostics::Applicability::Safe, suggestion),
                        None => found.help("`planc explain` lists every code"),
                    };
                    acc.push(found);
                }
            }
        }
    }
}

pub fn check_workspace(db: &dyn Db, workspace: Workspace, acc: &mut Vec<Diagnostic>) {
    let facts = crate::db::plan_facts(db, workspace);
    let ctx = rules::WorkspaceCtx { db, workspace, facts, index: crate::db::workspace_index(db, workspace) };
    let mut found = Vec::new();
    rules::check_workspace_rules(&ctx, &mut found);
    rules::apply_policy(facts, &mut found);
    acc.extend(found);

    let files = workspace.files(db);
    let mut plans: Vec<(SourceFile, TextRange)> = Vec::new();
    for &file in files {
        for block in file_ir(db, file).value.blocks.iter().filter(|it| it.kind == "plan") {
            plans.push((file, block.name_range.unwrap_or(block.kind_range)));
        }
    }
    // A second `policy` or `monitoring` block would be ignored: only the first counts. Only
    // the kinds the workspace uses are looked up.
    let catalog = crate::catalog::Catalog::builtin();
    let mut first: std::collections::HashMap<&str, (SourceFile, TextRange)> = std::collections::HashMap::new();
    for &file in files {
        for block in &file_ir(db, file).value.blocks {
            let kind = block.kind.as_str();
            if !catalog.kind(kind).is_some_and(|it| it.placement == crate::catalog::Placement::Singleton) {
                continue;
            }
            match first.get(kind) {
                None => {
                    first.insert(kind, (file, block.kind_range));
                }
                Some(&(first_file, first_range)) => acc.push(
                    Diagnostic::error(
                        "P029",
                        format!("this workspace has more than one `{kind}` block"),
                        file.path(db),
                        block.kind_range,
                    )
                    .label(format!("another `{kind}` block"))
                    .secondary(first_file.path(db), first_range, format!("the `{kind}` block that counts"))
                    .note(format!("a plan has one `{kind}` block; this one would be ignored"))
                    .help("merge its settings into the first block"),
                ),
            }
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
