//! COST301 `over-budget`, COST302 `budget-at-risk`, COST303 `near-budget`: the estimated
//! monthly cost against the `budget` of each environment and of the plan.
//!
//! The low end over the budget is an error (COST301), only the high end over it a warning
//! (COST302), and a high end at 80% of the budget or more a warning too (COST303). Each
//! diagnostic names the three resources that cost the most.

use super::*;
use crate::cost::{Money, ResourceCost};

pub static RULE: Rule = Rule { code: "COST301", check: Check::Workspace(check) };

fn check(ctx: &WorkspaceCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let cost = crate::cost::plan_totals(ctx.db, ctx.workspace);
    for env in &cost.envs {
        let Some(budget) = env.budget else { continue };
        let Some((file, range)) = budget_location(ctx, "env", Some(&env.env)) else { continue };
        if overlap_explains(ctx, env, budget) {
            continue; // MIG805 reports it: the plan fits once the migrations are done.
        }
        let drivers: Vec<&ResourceCost> = env.top_drivers();
        report(acc, &file, range, &format!("environment `{}`", env.env), budget, env.low, env.high, &drivers);
    }
    if let Some(budget) = cost.budget {
        if let Some((file, range)) = budget_location(ctx, "plan", None) {
            let top: Vec<&ResourceCost> = cost.top.iter().collect();
            report(acc, &file, range, "the plan (all environments)", budget, cost.low, cost.high, &top);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    acc: &mut Vec<Diagnostic>,
    file: &std::sync::Arc<str>,
    range: TextRange,
    subject: &str,
    budget: Money,
    low: Money,
    high: Money,
    drivers: &[&ResourceCost],
) {
    let estimate = if low == high { format!("{low}/mo") } else { format!("{low}..{high}/mo") };
    let (code, message, label) = if low > budget {
        (
            "COST301",
            format!("{subject} is estimated at {estimate}, over its budget of {budget}/mo"),
            "over budget even at the low end",
        )
    } else if high > budget {
        (
            "COST302",
            format!("{subject} can cost up to {high}/mo, over its budget of {budget}/mo"),
            "over budget at the high end",
        )
    } else if high.scale(10, 8) >= budget && budget > Money::ZERO {
        let percent = (high.dollars_f64() / budget.dollars_f64() * 100.0).round();
        (
            "COST303",
            format!("{subject} can reach {percent}% of its budget ({high} of {budget}/mo)"),
            "80% of the budget or more",
        )
    } else {
        return;
    };
    let mut found = diagnostic(code, message, file, range).label(label);
    if !drivers.is_empty() {
        let listed: Vec<String> = drivers
            .iter()
            .map(|it| {
                let span = if it.low == it.high { format!("{}", it.high) } else { format!("{}..{}", it.low, it.high) };
                format!("{} `{}` in `{}` {span}/mo", it.kind, it.name, it.env)
            })
            .collect();
        found = found.note(format!("the largest costs: {}", listed.join("; ")));
    }
    found = found.help("lower those costs (smaller tiers, fewer nodes or replicas, HA only in production) or raise the budget; `planc cost` shows every line");
    acc.push(found);
}

/// The `budget` value of the plan or of an env block.
fn budget_location(ctx: &WorkspaceCtx<'_>, kind: &str, name: Option<&str>) -> Option<(std::sync::Arc<str>, TextRange)> {
    for &file in ctx.workspace.files(ctx.db) {
        let ir = crate::db::file_ir(ctx.db, file);
        for block in ir.value.blocks.iter().filter(|it| it.kind == kind) {
            if name.is_some() && block.name.as_deref() != name {
                continue;
            }
            if let Some(attr) = block.attr("budget") {
                return Some((file.path(ctx.db).clone(), attr.value.range));
            }
        }
    }
    None
}

/// The migrations whose `from` runs in `env`: (migration, `from`, its cost there). While a
/// migration runs, the plan pays for both sides; afterwards `from` goes.
pub(super) fn overlaps<'a>(
    ctx: &WorkspaceCtx<'_>,
    env: &'a crate::cost::EnvCost,
) -> Vec<(crate::ir::Block, &'a ResourceCost)> {
    let mut found = Vec::new();
    for &file in ctx.workspace.files(ctx.db) {
        for block in crate::db::file_ir(ctx.db, file).value.blocks.iter().filter(|it| it.kind == "migration") {
            let Some(crate::ir::ValueKind::Ref(from)) = block.attr("from").map(|it| &it.value.kind) else { continue };
            if let Some(cost) = env.billed().find(|it| it.name == from.name) {
                found.push((block.clone(), cost));
            }
        }
    }
    found
}

/// Whether `env` is over `budget` only because migrations run both sides.
pub(super) fn overlap_explains(ctx: &WorkspaceCtx<'_>, env: &crate::cost::EnvCost, budget: Money) -> bool {
    let overlap: Money = overlaps(ctx, env).iter().fold(Money::ZERO, |sum, (_, cost)| sum + cost.high);
    env.high.scale(10, 8) >= budget && overlap > Money::ZERO && env.high - overlap <= budget
}
