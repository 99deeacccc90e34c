//! REL208 `single-zone-network`: a production network in a single availability zone.

use super::*;

pub static RULE: Rule = Rule { code: "REL208", check: Check::PerEnv(&["network"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if !view.env.production || get_int(view.attrs, "zones").unwrap_or(2) >= 2 {
        return;
    }
    let range = value_range(view.attrs, "zones").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic(
            "REL208",
            format!("{} spans a single zone in production `{}`", describe(view.block), view.env.name),
            ctx.path,
            range,
        )
        .label("one availability zone")
        .note("a zone outage then takes down everything in the network")
        .help("use `zones = 2` or more (3 is common for production)")
        .replace_with("Span three zones", crate::diagnostics::Applicability::Unsafe, "3"),
    );
}
