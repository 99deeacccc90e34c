//! REL206 `cluster-over-capacity`: a cluster too small for the workloads placed on it.
//!
//! Counts 90% of each node as allocatable: the kubelet, the OS and daemon sets take the rest.

use super::*;
use crate::diagnostics::Severity;

pub static RULE: Rule = Rule { code: "REL206", check: Check::Workspace(check) };

struct Load {
    cpu_low: u64,
    cpu_high: u64,
    memory_low: u64,
    memory_high: u64,
    workloads: usize,
}

fn check(ctx: &WorkspaceCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let capacities = crate::cost::cluster_capacities(ctx.db, ctx.workspace);
    for env in &ctx.facts.envs {
        let mut loads: BTreeMap<String, Load> = BTreeMap::new();
        for &file in ctx.workspace.files(ctx.db) {
            for block in crate::db::file_ir(ctx.db, file)
                .value
                .blocks
                .iter()
                .filter(|it| matches!(it.kind.as_str(), "service" | "worker"))
            {
                let attrs = block.env_attrs(&env.name);
                if !crate::cost::model::exists_in(&attrs, &env.name) {
                    continue;
                }
                let Some(cluster) = get_ref(&attrs, "cluster") else { continue };
                let workload = crate::deploy::workload(&block.kind, &attrs);
                let (replicas_low, replicas_high) = workload.replicas;
                let (cpu, memory) = (workload.cpu.0, workload.memory.0);
                if !loads.contains_key(cluster) {
                    loads.insert(
                        cluster.to_string(),
                        Load { cpu_low: 0, cpu_high: 0, memory_low: 0, memory_high: 0, workloads: 0 },
                    );
                }
                let Some(load) = loads.get_mut(cluster) else { continue };
                load.cpu_low += cpu * replicas_low.max(0) as u64;
                load.cpu_high += cpu * replicas_high.max(0) as u64;
                load.memory_low += memory * replicas_low.max(0) as u64;
                load.memory_high += memory * replicas_high.max(0) as u64;
                load.workloads += 1;
            }
        }
        for (cluster, load) in loads {
            let Some(capacity) = capacities.get(&cluster).and_then(|envs| envs.get(&env.name)) else { continue };
            if capacity.cpu_high == 0 {
                continue;
            }
            let cpu = capacity.cpu_high * 9 / 10;
            let memory = capacity.memory_high * 9 / 10;
            let (severity, what, needed_cpu, needed_memory) = if load.cpu_low > cpu || load.memory_low > memory {
                (Severity::Error, "even at their lowest replica counts", load.cpu_low, load.memory_low)
            } else if load.cpu_high > cpu || load.memory_high > memory {
                (Severity::Warning, "at their highest replica counts", load.cpu_high, load.memory_high)
            } else {
                continue;
            };
            let Some((file, range)) = cluster_location(ctx, &cluster) else { continue };
            let mut found = diagnostic(
                "REL206",
                format!("the {} on cluster `{cluster}` {} not fit on it in `{}` {what}", plural(load.workloads, "workload"), if load.workloads == 1 { "does" } else { "do" }, env.name),
                &file,
                range,
            )
            .label("too small for its workloads")
            .note(format!(
                "they request {needed_cpu}m of cpu and {} of memory; at its largest the cluster offers {cpu}m and {} (90% of the nodes)",
                gib(needed_memory),
                gib(memory)
            ))
            .help("raise the node pools' `nodes` high end, use larger nodes, or lower the workloads' requests");
            found.severity = severity;
            acc.push(found);
        }
    }
}

fn cluster_location(ctx: &WorkspaceCtx<'_>, name: &str) -> Option<(std::sync::Arc<str>, TextRange)> {
    let declaration = ctx.index.lookup(name)?;
    let ir = crate::db::file_ir(ctx.db, declaration.file);
    let block = ir.value.blocks.iter().find(|it| it.name.as_deref() == Some(name))?;
    Some((declaration.file.path(ctx.db).clone(), name_range(block)))
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

fn gib(bytes: u64) -> String {
    format!("{:.1}Gi", bytes as f64 / (1u64 << 30) as f64)
}
