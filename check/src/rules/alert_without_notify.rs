//! OBS704 `alert-without-notify`: an alert or SLO that notifies nobody.

use super::*;

pub static RULE: Rule = Rule { code: "OBS704", check: Check::Block(&["alert", "slo"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let empty = match block.attr("notify").map(|it| &it.value.kind) {
        None => true,
        Some(crate::ir::ValueKind::List(items)) => items.is_empty(),
        Some(_) => false,
    };
    if !empty || has_error_values(block) {
        return;
    }
    acc.push(
        diagnostic("OBS704", format!("{} notifies nobody", describe(block)), ctx.path, name_range(block))
            .label("no `notify`")
            .note("it fires in the cloud console (or Alertmanager) only, where nobody is watching at 3 a.m.")
            .help("list channels of the `monitoring` block, e.g. `notify = [oncall]`"),
    );
}
