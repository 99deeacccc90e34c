//! OBS703 `needs-prometheus`: an alert or SLO on a workload while Prometheus does not evaluate
//! the plan's alerts.

use super::*;

pub static RULE: Rule = Rule { code: "OBS703", check: Check::Block(&["alert", "slo"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    if ctx.facts.prometheus() {
        return;
    }
    let Some(on) = block.attr("on") else { return };
    let crate::ir::ValueKind::Ref(reference) = &on.value.kind else { return };
    let Some(declaration) = ctx.index.lookup(&reference.name) else { return };
    if !crate::cost::model::is_workload(&declaration.kind) {
        return;
    }
    let (message, help) = match ctx.facts.metrics.as_deref() {
        None => (
            "the plan has no `monitoring` block, so nothing evaluates this alert",
            "declare `monitoring { metrics = prometheus }`: alerts on workloads become a PrometheusRule",
        ),
        Some(_) => (
            "`monitoring` has `metrics = cloud`, so nothing evaluates an alert on a workload",
            "set `metrics = prometheus` (or `both`) in the `monitoring` block: alerts on workloads become a PrometheusRule",
        ),
    };
    acc.push(
        diagnostic("OBS703", format!("{}: {message}", describe(block)), ctx.path, on.value.range)
            .label(format!("`{}` is a {} on a cluster", reference.name, declaration.kind))
            .help(help),
    );
}
