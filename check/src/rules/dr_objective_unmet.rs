//! REL216 `dr-objective-unmet`: a database, bucket or cache that cannot meet the plan's `dr`
//! recovery point or time objective with its declared settings.
//!
//! One diagnostic per resource, naming what it achieves and what would meet the objective.
//! Only resources in production environments count when the plan has any.

use super::*;
use crate::deploy::dr::recovery;

pub static RULE: Rule = Rule { code: "REL216", check: Check::PerEnv(&["database", "bucket", "cache"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(dr) = &ctx.facts.dr else { return };
    let Some(region) = &dr.region else { return };
    if ctx.facts.envs.iter().any(|it| it.production) && !view.env.production {
        return;
    }
    let Some(recovery) = recovery(
        view.block,
        view.attrs,
        crate::deploy::dr::Place { env: &view.env.name, cloud: &view.cloud, region: &view.region },
        region,
        &dr.strategy,
    ) else {
        return;
    };
    let text = duration_text;
    let mut unmet = Vec::new();
    if let Some(rpo) = dr.rpo {
        match recovery.rpo {
            Some(achieved) if achieved <= rpo => {}
            Some(achieved) => unmet.push(format!("loses up to {} of data (rpo = {})", text(achieved), text(rpo))),
            None => unmet.push(format!("loses its data with its region (rpo = {})", text(rpo))),
        }
    }
    if let Some(rto) = dr.rto {
        match recovery.rto {
            Some(achieved) if achieved <= rto => {}
            Some(achieved) => unmet.push(format!("takes about {} to recover (rto = {})", text(achieved), text(rto))),
            None => unmet.push(format!("cannot be recovered in {region} (rto = {})", text(rto))),
        }
    }
    if unmet.is_empty() {
        return;
    }
    acc.push(
        diagnostic(
            "REL216",
            format!(
                "{} does not meet the plan's recovery objectives: it {}",
                describe(view.block),
                unmet.join(" and ")
            ),
            ctx.path,
            name_range(view.block),
        )
        .label(format!("recovers from {}", recovery.by))
        .note(format!("the plan recovers in {region} (`dr` on the plan)"))
        .help(recovery.better),
    );
}
