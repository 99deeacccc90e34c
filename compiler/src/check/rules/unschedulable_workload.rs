//! REL205 `unschedulable-workload`: a workload whose requests do not fit on any node.

use super::*;
use crate::cost::model::quantity_range;
use crate::ir::format_size;

pub static RULE: Rule = Rule { code: "REL205", check: Check::PerEnv(&["service", "worker", "job"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(cluster) = get_ref(view.attrs, "cluster") else { return };
    let capacities = crate::db::cluster_capacities(ctx.db, ctx.workspace);
    let Some(capacity) = capacities.get(cluster).and_then(|envs| envs.get(&view.env.name)) else { return };
    if capacity.largest_node_cpu == 0 {
        return;
    }
    for (name, largest, unit) in
        [("cpu", capacity.largest_node_cpu, "cpu"), ("memory", capacity.largest_node_memory, "memory")]
    {
        let Some((request, _)) = quantity_range(view.attrs.get(name)) else { continue };
        if request <= largest {
            continue;
        }
        let (asked, node) = if unit == "cpu" {
            (format!("{request}m"), format!("{}m", largest))
        } else {
            (format_size(request), format_size(largest))
        };
        let range = value_range(view.attrs, name).unwrap_or_else(|| name_range(view.block));
        acc.push(
            diagnostic(
                "REL205",
                format!(
                    "{} requests {asked} of {unit}, more than any node of cluster `{cluster}` has",
                    describe(view.block)
                ),
                ctx.path,
                range,
            )
            .label(format!("the largest node has {node}"))
            .note("a pod whose requests exceed every node stays Pending forever")
            .help(format!("lower the request, or add a node pool with larger nodes to `{cluster}`")),
        );
    }
}
