//! ADR605 `duplicate-adr-number`: two decisions with the same ADR number.

use super::*;

pub static RULE: Rule = Rule { code: "ADR605", check: Check::Workspace(check) };

fn check(ctx: &WorkspaceCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<i64, (String, std::sync::Arc<str>, TextRange)> = BTreeMap::new();
    for &file in ctx.workspace.files(ctx.db) {
        let ir = crate::db::file_ir(ctx.db, file);
        for block in ir.value.blocks.iter().filter(|it| it.kind == "decision") {
            let Some(attr) = block.attr("number") else { continue };
            let Some(number) = attr.value.as_int() else { continue };
            let path = file.path(ctx.db).clone();
            match seen.get(&number) {
                Some((first_name, first_file, first_range)) => acc.push(
                    diagnostic(
                        "ADR605",
                        format!("decision number {number} is taken by `{first_name}`"),
                        &path,
                        attr.value.range,
                    )
                    .label("the same number again")
                    .secondary(first_file, *first_range, "first used here")
                    .note("two ADRs with one number collide when their files are generated")
                    .help("give this decision another `number`, or remove it to number decisions by date"),
                ),
                None => {
                    seen.insert(number, (block.name.clone().unwrap_or_default(), path, attr.value.range));
                }
            }
        }
    }
}
