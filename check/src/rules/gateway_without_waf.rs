//! SEC105 `gateway-without-waf`: a production gateway without a web application firewall.

use super::*;

pub static RULE: Rule = Rule { code: "SEC105", check: Check::PerEnv(&["gateway"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    // An internal load balancer does not face the internet.
    let internal = get_bool(view.attrs, "internal") == Some(true);
    if !view.env.production || internal || get_bool(view.attrs, "waf") == Some(true) {
        return;
    }
    let range = value_range(view.attrs, "waf").unwrap_or_else(|| name_range(view.block));
    let edit = set_in_env(ctx.path, view.block, &view.env.name, "waf = true");
    acc.push(
        diagnostic(
            "SEC105",
            format!("{} faces the internet in production `{}` without a firewall", describe(view.block), view.env.name),
            ctx.path,
            range,
        )
        .label("no web application firewall")
        .note("a WAF blocks common attacks (SQL injection, cross-site scripting) before they reach your services")
        .help(format!("set `waf = true` for `{}`", view.env.name))
        .fix("Turn on the firewall in production", crate::diagnostics::Applicability::Safe, vec![edit]),
    );
}
