//! REL201 `production-database-without-ha`: a production database without a standby.
//!
//! Without `ha`, a zone outage or a host failure takes the database down until it is restored.
//! Fix (safe): `ha = true` in the production environment's override.

use super::*;

pub static RULE: Rule = Rule { code: "REL201", check: Check::PerEnv(&["database"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if !view.env.production || get_bool(view.attrs, "ha") == Some(true) {
        return;
    }
    let range = value_range(view.attrs, "ha").unwrap_or_else(|| name_range(view.block));
    let edit = set_in_env(ctx.path, view.block, &view.env.name, "ha = true");
    acc.push(
        diagnostic(
            "REL201",
            format!("{} has no standby in production `{}`", describe(view.block), view.env.name),
            ctx.path,
            range,
        )
        .label("a single instance")
        .note("without a standby in a second zone, a host or zone failure stops the database until it is restored")
        .help(format!("set `ha = true` in `env {} {{ }}`", view.env.name))
        .fix(
            format!("Add a standby in `{}`", view.env.name),
            crate::diagnostics::Applicability::Safe,
            vec![edit],
        ),
    );
}
