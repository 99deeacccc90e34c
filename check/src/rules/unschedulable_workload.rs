//! REL205 `unschedulable-workload`: a workload whose requests do not fit on any node it may
//! run on: the nodes of its `node_pool`, else those of the pools whose taints it tolerates.

use super::*;
use crate::cost::model::quantity_range;
use crate::ir::format_size;

pub static RULE: Rule = Rule { code: "REL205", check: Check::PerEnv(&["service", "worker", "job"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(cluster) = get_ref(view.attrs, "cluster") else { return };
    let capacities = crate::cost::cluster_capacities(ctx.db, ctx.workspace);
    let Some(capacity) = capacities.get(cluster).and_then(|envs| envs.get(&view.env.name)) else { return };
    let pinned = crate::deploy::pinned_pool(view.attrs).filter(|(owner, _)| *owner == cluster);
    // The nodes the pods may land on, and how the message names them.
    let (largest_cpu, largest_memory, nodes) = match pinned {
        Some((_, pool_name)) => {
            let Some(pool) = capacity.pools.iter().find(|it| it.name == pool_name) else { return };
            (pool.node_cpu, pool.node_memory, format!("a node of pool `{cluster}.{pool_name}` ({})", pool.class))
        }
        None => {
            let open = capacity.pools.iter().filter(|it| it.repels.is_none());
            let cpu = open.clone().map(|it| it.node_cpu).max().unwrap_or(0);
            let memory = open.map(|it| it.node_memory).max().unwrap_or(0);
            (cpu, memory, format!("any node of cluster `{cluster}` it may run on"))
        }
    };
    if largest_cpu == 0 {
        return;
    }
    for (name, largest, unit) in [("cpu", largest_cpu, "cpu"), ("memory", largest_memory, "memory")] {
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
        let help = match pinned {
            Some((_, pool)) => format!("lower the request, or give pool `{pool}` a larger `size`"),
            None => format!("lower the request, or add a node pool with larger nodes to `{cluster}`"),
        };
        acc.push(
            diagnostic(
                "REL205",
                format!("{} requests {asked} of {unit}, more than {nodes} has", describe(view.block)),
                ctx.path,
                range,
            )
            .label(format!("the largest node has {node}"))
            .note("a pod whose requests exceed every node stays Pending forever")
            .help(help),
        );
    }
}
