//! COST305 `ha-outside-production`: high availability paid for in a non-production env.

use super::*;

pub static RULE: Rule = Rule { code: "COST305", check: Check::PerEnv(&["database"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    // Without `env` blocks there is no telling which environment this is.
    let only_default =
        ctx.facts.envs.len() == 1 && ctx.facts.envs[0].name == "default" && ctx.index.envs.contains("default");
    if view.env.production || only_default || get_bool(view.attrs, "ha") != Some(true) {
        return;
    }
    let range = value_range(view.attrs, "ha").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic(
            "COST305",
            format!("{} pays for a standby in non-production `{}`", describe(view.block), view.env.name),
            ctx.path,
            range,
        )
        .label("HA doubles the instance cost")
        .help("turn `ha` on only in production: `env prod { ha = true }`"),
    );
}
