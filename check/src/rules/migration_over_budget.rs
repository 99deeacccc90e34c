//! MIG805 `migration-over-budget`: an environment that fits its budget, but not while a
//! migration runs both sides.

use super::budget::{overlap_explains, overlaps};
use super::*;

pub static RULE: Rule = Rule { code: "MIG805", check: Check::Workspace(check) };

fn check(ctx: &WorkspaceCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let cost = crate::cost::plan_totals(ctx.db, ctx.workspace);
    for env in &cost.envs {
        let Some(budget) = env.budget else { continue };
        if !overlap_explains(ctx, env, budget) {
            continue;
        }
        for (migration, from) in overlaps(ctx, env) {
            let Some(declaration) = migration.name.as_ref().and_then(|name| ctx.index.lookup(name)) else { continue };
            let file = declaration.file.path(ctx.db);
            let range = migration.attr("from").map_or(name_range(&migration), |it| it.value.range);
            acc.push(
                diagnostic(
                    "MIG805",
                    format!(
                        "while {} runs, environment `{}` can cost {}/mo, over its budget of {budget}/mo",
                        describe(&migration),
                        env.env,
                        env.high
                    ),
                    file,
                    range,
                )
                .label(format!("{} `{}` runs beside the new side: {}/mo", from.kind, from.name, from.high))
                .note(format!("after the cutover, without `{}`, the environment costs up to {}/mo", from.name, env.high - from.high))
                .help("raise the budget for the migration's duration, or shorten the overlap (remove `from` right after the last rollback point)"),
            );
        }
    }
}
