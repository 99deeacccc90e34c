//! OBS705 `invalid-slo`: an SLO that cannot be built: an objective of 0% or 100% and over,
//! a window that is not 1 to 30 whole days, or a target the cloud has no SLO for yet.

use super::*;
use crate::ir::ValueKind;

pub static RULE: Rule = Rule { code: "OBS705", check: Check::PerEnv(&["slo"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let what = describe(view.block);
    let mut report = |range, message: String, label: &str, help: &str| {
        acc.push(
            diagnostic("OBS705", message, ctx.path, range)
                .label(label.to_string())
                .note(format!("in environment `{}`", view.env.name))
                .help(help.to_string()),
        );
    };
    if let Some(value) = view.attrs.get("objective") {
        if let ValueKind::Percent(p) = value.kind {
            if p.get() <= 0.0 || p.get() >= 100.0 {
                report(
                    value.range,
                    format!("{what} has an objective of {}%, which leaves no error budget to alert on", p.get()),
                    "not between 0% and 100%",
                    "write the share of good requests, e.g. `objective = 99.9%`",
                );
            }
        }
    }
    if let Some(value) = view.attrs.get("window") {
        if let Some(ms) = duration_ms(value) {
            if ms % 86_400_000 != 0 || !(1..=30).contains(&(ms / 86_400_000)) {
                report(
                    value.range,
                    format!("{what} is measured over {}, not 1 to 30 whole days", duration_text(ms)),
                    "not 1d to 30d",
                    "use a window of whole days up to 30d, e.g. `window = 28d`",
                );
            }
        }
    }
    let Some((target, cloud)) = watched(ctx, view.attrs, view.env) else { return };
    if target.kind == "gateway" && cloud == "azure" {
        let range = view.attrs.get("on").map_or(name_range(view.block), |it| it.range);
        report(
            range,
            format!("an SLO on a gateway is not built on azure yet: {what} would not alert"),
            "Application Gateway has no request-ratio alert here",
            "put the SLO on the service behind the gateway (Prometheus), or alert on the gateway's `errors` metric",
        );
    }
}
