//! REL214 `disruption-blocks-drains`: a disruption budget that lets no pod be evicted, so node
//! drains, cluster upgrades and autoscaler scale-downs wait on it forever.

use super::*;
use crate::deploy::Budget;

pub static RULE: Rule = Rule { code: "REL214", check: Check::PerEnv(&["service", "worker"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if view.attrs.get("disruption").is_none() {
        return;
    }
    let workload = crate::deploy::workload(&view.block.kind, view.attrs);
    let low = workload.replicas.0;
    if low < 1 {
        return;
    }
    let (name, evictable) = match crate::deploy::disruption(view.attrs, &workload) {
        Budget::MinAvailable(min) => ("min_available", low - min.pods_of(low, true)),
        Budget::MaxUnavailable(max) => ("max_unavailable", max.pods_of(low, false)),
    };
    if evictable > 0 {
        return;
    }
    let range = field(view.attrs, "disruption", name).map_or_else(|| name_range(view.block), |it| it.range);
    acc.push(
        diagnostic(
            "REL214",
            format!(
                "the disruption budget of {} lets no pod be evicted at {low} replica{}",
                describe(view.block),
                if low == 1 { "" } else { "s" }
            ),
            ctx.path,
            range,
        )
        .label("no voluntary eviction allowed")
        .note(format!(
            "node drains, cluster upgrades and node scale-downs wait for this budget forever; in environment `{}`",
            view.env.name
        ))
        .help(if low >= 2 {
            "allow one pod to go: `disruption { max_unavailable = 1 }`".to_string()
        } else {
            "run at least two replicas, or allow the pod to go: `disruption { max_unavailable = 1 }`".to_string()
        }),
    );
}
