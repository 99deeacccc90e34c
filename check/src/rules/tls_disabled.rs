//! SEC106 `tls-disabled`: a gateway that serves plain HTTP.

use super::*;

pub static RULE: Rule = Rule { code: "SEC106", check: Check::PerEnv(&["gateway"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if get_bool(view.attrs, "tls") != Some(false) {
        return;
    }
    let range = value_range(view.attrs, "tls").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic("SEC106", format!("{} serves plain HTTP", describe(view.block)), ctx.path, range)
            .label("TLS is turned off")
            .note("without TLS, credentials and data cross the internet readable by anyone on the path")
            .help("set `tls = true` (the default)")
            .replace_with("Turn TLS on", crate::diagnostics::Applicability::Safe, "true"),
    );
}
