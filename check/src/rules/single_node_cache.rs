//! REL210 `single-node-cache`: a production cache with a single node.

use super::*;

pub static RULE: Rule = Rule { code: "REL210", check: Check::PerEnv(&["cache"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if !view.env.production || get_int(view.attrs, "nodes").unwrap_or(1) >= 2 {
        return;
    }
    let range = value_range(view.attrs, "nodes").unwrap_or_else(|| name_range(view.block));
    let edit = set_in_env(ctx.path, view.block, &view.env.name, "nodes = 2");
    acc.push(
        diagnostic(
            "REL210",
            format!("{} runs a single node in production `{}`", describe(view.block), view.env.name),
            ctx.path,
            range,
        )
        .label("no replica")
        .note("when the only node fails, the cache is empty and every request falls through to the database at once")
        .help(format!("run a replica: `nodes = 2` in `env {} {{ }}`", view.env.name))
        .fix(
            format!("Add a replica in `{}`", view.env.name),
            crate::diagnostics::Applicability::Safe,
            vec![edit],
        ),
    );
}
