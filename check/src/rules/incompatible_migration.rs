//! MIG803 `incompatible-migration`: a migration between blocks of unrelated kinds, or from a
//! block to itself.

use super::*;

pub static RULE: Rule = Rule { code: "MIG803", check: Check::Block(&["migration"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let (Some(from), Some(to)) = (block.attr("from"), block.attr("to")) else { return };
    let (crate::ir::ValueKind::Ref(from_ref), crate::ir::ValueKind::Ref(to_ref)) = (&from.value.kind, &to.value.kind)
    else {
        return;
    };
    if from_ref.name == to_ref.name {
        acc.push(
            diagnostic(
                "MIG803",
                format!("{} migrates `{}` to itself", describe(block), to_ref.name),
                ctx.path,
                to.value.range,
            )
            .label("the same block as `from`")
            .help("name the block that replaces it in `to`"),
        );
        return;
    }
    let (Some(from_decl), Some(to_decl)) = (ctx.index.lookup(&from_ref.name), ctx.index.lookup(&to_ref.name)) else {
        return;
    };
    if crate::deploy::migration::compatible(&from_decl.kind, &to_decl.kind) {
        return;
    }
    acc.push(
        diagnostic(
            "MIG803",
            format!(
                "{} moves {} `{}` to {} `{}`, which cannot take its place",
                describe(block),
                from_decl.kind,
                from_ref.name,
                to_decl.kind,
                to_ref.name
            ),
            ctx.path,
            to.value.range,
        )
        .label(format!("a {} is not a {}", to_decl.kind, from_decl.kind))
        .secondary(ctx.path, from.value.range, "migrated from here")
        .help("migrate between blocks of one family: a database to a database, compute (service, worker, job, VM, function) to compute, a queue or topic to a queue or topic"),
    );
}
