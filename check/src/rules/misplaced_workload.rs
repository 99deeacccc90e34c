//! REL212 `misplaced-workload`: a workload placed where its pods can never run: on a node pool
//! of another cluster, or on a cluster whose every pool taints them away.

use super::*;

pub static RULE: Rule = Rule { code: "REL212", check: Check::PerEnv(&["service", "worker", "job"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(cluster) = get_ref(view.attrs, "cluster") else { return };
    let capacities = crate::cost::cluster_capacities(ctx.db, ctx.workspace);
    let Some(capacity) = capacities.get(cluster).and_then(|envs| envs.get(&view.env.name)) else { return };
    let pools = || capacity.pools.iter().map(|it| format!("`{cluster}.{}`", it.name)).collect::<Vec<_>>().join(", ");
    if let Some((owner, pool)) = crate::deploy::pinned_pool(view.attrs) {
        if owner != cluster {
            let range = value_range(view.attrs, "node_pool").unwrap_or_else(|| name_range(view.block));
            let mut diagnostic = diagnostic(
                "REL212",
                format!(
                    "{} runs on cluster `{cluster}`, but `{owner}.{pool}` is a pool of cluster `{owner}`",
                    describe(view.block)
                ),
                ctx.path,
                range,
            )
            .label(format!("not a pool of `{cluster}`"))
            .note("a pod can only run on the nodes of its own cluster");
            diagnostic = if capacity.pools.is_empty() {
                diagnostic.help(format!("declare a `node_pool` in `{cluster}`, or move the workload to `{owner}`"))
            } else {
                diagnostic.help(format!("use one of {}, or set `cluster = {owner}`", pools()))
            };
            acc.push(diagnostic);
        }
        return;
    }
    // Unpinned pods tolerate no taint: some pool must take them.
    if capacity.pools.is_empty() || capacity.pools.iter().any(|it| it.repels.is_none()) {
        return;
    }
    let taints: Vec<String> =
        capacity.pools.iter().filter_map(|it| Some(format!("`{}` ({})", it.name, it.repels.as_deref()?))).collect();
    acc.push(
        diagnostic(
            "REL212",
            format!(
                "every node pool of cluster `{cluster}` has a taint that {} does not tolerate",
                describe(view.block)
            ),
            ctx.path,
            value_range(view.attrs, "cluster").unwrap_or_else(|| name_range(view.block)),
        )
        .label("no pool will take these pods")
        .note(format!("the pools and their taints: {}", taints.join(", ")))
        .help(format!(
            "set `node_pool` to one of {} (its taints are then tolerated), or add an untainted pool",
            pools()
        )),
    );
}
