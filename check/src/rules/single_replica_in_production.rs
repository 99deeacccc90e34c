//! REL203 `single-replica-in-production`: a production workload that can run a single replica.

use super::*;

pub static RULE: Rule = Rule { code: "REL203", check: Check::PerEnv(&["service", "worker"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if !view.env.production {
        return;
    }
    let (low, high) = crate::deploy::workload(&view.block.kind, view.attrs).replicas;
    if low >= 2 {
        return;
    }
    let range = value_range(view.attrs, "replicas").unwrap_or_else(|| name_range(view.block));
    let replacement = format!("replicas = 2..{}", high.max(2));
    let edit = set_in_env(ctx.path, view.block, &view.env.name, &replacement);
    acc.push(
        diagnostic(
            "REL203",
            format!("{} can run a single replica in production `{}`", describe(view.block), view.env.name),
            ctx.path,
            range,
        )
        .label(if view.attrs.contains_key("replicas") { "the low end is 1" } else { "one replica by default" })
        .note("with one replica, every deploy, node drain or crash is an outage")
        .help(format!("run at least two: `{replacement}` in `env {} {{ }}`", view.env.name))
        .fix(
            format!("Run at least two replicas in `{}`", view.env.name),
            crate::diagnostics::Applicability::Unsafe,
            vec![edit],
        ),
    );
}
