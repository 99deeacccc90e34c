//! REL217 `invalid-dr`: a `dr` block that cannot work as written: no region, the plan's own
//! region, a recovery time the strategy cannot deliver, or a bucket replicated without
//! versioning.

use super::*;
use crate::deploy::dr::{strategy_rto, STRATEGIES};
use crate::ir::ValueKind;

pub static RULE: Rule = Rule { code: "REL217", check: Check::Block(&["plan", "bucket"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    if block.kind == "bucket" {
        let versioning_off = block.attr("versioning").and_then(|it| it.value.as_bool()) == Some(false);
        if let (true, Some(replicate)) = (versioning_off, block.attr("replicate_to")) {
            acc.push(
                diagnostic(
                    "REL217",
                    format!("{} is replicated but keeps no versions", describe(block)),
                    ctx.path,
                    replicate.value.range,
                )
                .label("replication needs versioning")
                .help("remove `versioning = false`: S3 and Azure replicate object versions"),
            );
        }
        return;
    }
    let Some(dr) = block.attr("dr") else { return };
    let ValueKind::Map(entries) = &dr.value.kind else { return };
    let field = |name: &str| entries.iter().find(|it| it.key == name);
    let Some(objectives) = crate::deploy::dr::objectives(block) else { return };
    match (&objectives.region, field("region")) {
        (None, _) => acc.push(
            diagnostic("REL217", "`dr` names no region to recover in", ctx.path, dr.name_range)
                .label("no `region`")
                .help("add the region, e.g. `region = \"us-west-2\"`"),
        ),
        (Some(region), Some(entry)) if Some(region) == ctx.facts.region.as_ref() => acc.push(
            diagnostic("REL217", format!("the plan recovers in {region}, its own region"), ctx.path, entry.value.range)
                .label("the same region as the plan")
                .help("recover in another region: a disaster takes out a whole region"),
        ),
        _ => {}
    }
    if objectives.rpo.is_none() && objectives.rto.is_none() {
        acc.push(
            diagnostic(
                "REL217",
                "`dr` sets no `rpo` or `rto`, so there is nothing to prove or build for",
                ctx.path,
                dr.name_range,
            )
            .label("no recovery objective")
            .help("say how much data may be lost and how long recovery may take, e.g. `rpo = 15min  rto = 1h`"),
        );
    }
    if let Some(rto) = objectives.rto {
        let deliverable = strategy_rto(&objectives.strategy);
        if rto < deliverable {
            let able: Vec<String> = STRATEGIES
                .iter()
                .filter(|(_, time)| *time <= rto)
                .map(|(name, time)| format!("`{name}` ({})", duration_text(*time)))
                .collect();
            let range = field("rto").map_or(dr.name_range, |it| it.value.range);
            acc.push(
                diagnostic(
                    "REL217",
                    format!(
                        "`{}` recovers in {} at best, and `rto` is {}",
                        objectives.strategy,
                        duration_text(deliverable),
                        duration_text(rto)
                    ),
                    ctx.path,
                    range,
                )
                .label("shorter than the strategy can deliver")
                .help(if able.is_empty() {
                    "no strategy recovers that fast: raise `rto`".to_string()
                } else {
                    format!("choose a strategy that can: {}", able.join(", "))
                }),
            );
        }
    }
}
