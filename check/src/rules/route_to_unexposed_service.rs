//! ARCH404 `route-to-unexposed-service`: a gateway route to a service that is not exposed.

use super::*;
use crate::ir::ValueKind;

pub static RULE: Rule = Rule { code: "ARCH404", check: Check::Block(&["gateway"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let Some(routes) = block.attr("routes") else { return };
    let ValueKind::Map(entries) = &routes.value.kind else { return };
    for entry in entries {
        let ValueKind::Ref(target) = &entry.value.kind else { continue };
        let Some(declaration) = ctx.index.lookup(&target.name) else { continue };
        if declaration.kind != "service" {
            continue;
        }
        let ir = crate::db::file_ir(ctx.db, declaration.file);
        let Some(service) = ir.value.blocks.iter().find(|it| it.name.as_deref() == Some(target.name.as_str())) else {
            continue;
        };
        if service.attr("expose").and_then(|it| it.value.as_str()) != Some("none") {
            continue;
        }
        acc.push(
            diagnostic(
                "ARCH404",
                format!("route `{}` leads to service `{}`, which is not exposed", entry.key, target.name),
                ctx.path,
                entry.value.range,
            )
            .label("`expose = none`")
            .secondary(
                declaration.file.path(ctx.db),
                service.attr("expose").map_or(name_range(service), |it| it.value.range),
                "not exposed here",
            )
            .help(format!("set `expose = internal` (or `public`) on `{}`, or route elsewhere", target.name)),
        );
    }
}
