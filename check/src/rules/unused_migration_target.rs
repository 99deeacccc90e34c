//! MIG804 `unused-migration-target`: a migration to a block that nothing in the plan uses.

use super::*;

pub static RULE: Rule = Rule { code: "MIG804", check: Check::Workspace(check) };

/// Blocks whose references are not uses: the migrations themselves, decisions, alerts.
const NOT_USES: &[&str] = &["migration", "decision", "alert", "slo"];

fn check(ctx: &WorkspaceCtx<'_>, acc: &mut Vec<Diagnostic>) {
    // Most plans have no migration: do not collect every reference of the workspace for nothing.
    if !ctx.index.names.values().any(|declarations| declarations.iter().any(|it| it.kind == "migration")) {
        return;
    }
    let files = ctx.workspace.files(ctx.db);
    let mut used = std::collections::HashSet::new();
    for &file in files {
        for block in &crate::db::file_ir(ctx.db, file).value.blocks {
            if NOT_USES.contains(&block.kind.as_str()) {
                continue;
            }
            each_ref(block, &mut |name| {
                if block.name.as_deref() != Some(name) {
                    used.insert(name.to_string());
                }
            });
        }
    }
    for &file in files {
        for block in crate::db::file_ir(ctx.db, file).value.blocks.iter().filter(|it| it.kind == "migration") {
            let Some(to) = block.attr("to") else { continue };
            let crate::ir::ValueKind::Ref(target) = &to.value.kind else { continue };
            if used.contains(&target.name) || ctx.index.lookup(&target.name).is_none() {
                continue;
            }
            acc.push(
                diagnostic(
                    "MIG804",
                    format!("{} moves to `{}`, which nothing in the plan uses", describe(block), target.name),
                    file.path(ctx.db),
                    to.value.range,
                )
                .label("no workload, route or block refers to it")
                .note("after the cutover nothing would read or call it")
                .help(format!(
                    "point the consumers at `{}` (e.g. `vars {{ DATABASE_URL = {}.url }}`)",
                    target.name, target.name
                )),
            );
        }
    }
}

fn each_ref(block: &crate::ir::Block, f: &mut impl FnMut(&str)) {
    for attr in block.attrs.iter().chain(block.overrides.iter().flat_map(|it| it.attrs.iter())) {
        attr.value.for_each_ref(&mut |reference| f(&reference.name));
    }
    for child in &block.children {
        each_ref(child, f);
    }
}
