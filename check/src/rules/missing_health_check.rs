//! REL204 `missing-health-check`: a service without liveness or readiness probes.

use super::*;

pub static RULE: Rule = Rule { code: "REL204", check: Check::Block(&["service"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let missing: Vec<&str> = ["health", "ready"].into_iter().filter(|name| block.attr(name).is_none()).collect();
    if missing.is_empty() {
        return;
    }
    let what = missing.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(" and ");
    acc.push(
        diagnostic("REL204", format!("{} has no {what} probe", describe(block)), ctx.path, name_range(block))
            .label("no probe path")
            .note("without probes, Kubernetes sends traffic to pods that are still starting and keeps pods that hang")
            .help("add the HTTP paths the service answers on, e.g. `health = \"/healthz\"  ready = \"/ready\"`"),
    );
}
