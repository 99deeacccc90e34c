//! SEC111 `flow-logs-disabled`: a production network without flow logs.

use super::*;

pub static RULE: Rule = Rule { code: "SEC111", check: Check::PerEnv(&["network"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if !view.env.production || get_bool(view.attrs, "flow_logs") != Some(false) {
        return;
    }
    let range = value_range(view.attrs, "flow_logs").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic(
            "SEC111",
            format!("{} has no flow logs in production `{}`", describe(view.block), view.env.name),
            ctx.path,
            range,
        )
        .label("flow logs are off")
        .note("without flow logs there is no record of who talked to what during an incident")
        .help("set `flow_logs = true` (the default), at least in production"),
    );
}
