//! What a `migration` block means (LANGUAGE.md §10.5): its phases in dependency order, a cycle
//! if they have one, the critical path, and which phases must say how they are undone. The
//! checker and the runbook read the same answers.

use plan_ir::{Block, ValueKind};

/// One phase, as the runbook and the checks read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase<'a> {
    pub block: &'a Block,
    pub name: &'a str,
    /// The phases it waits for, by name, as written.
    pub after: Vec<&'a str>,
    /// Milliseconds.
    pub duration: u64,
    pub rollback_point: bool,
    pub rollback: Option<&'a str>,
}

/// The phases of a migration in source order.
pub fn phases(migration: &Block) -> Vec<Phase<'_>> {
    migration
        .children
        .iter()
        .filter(|it| it.kind == "phase")
        .filter_map(|block| {
            let after = match block.attr("after").map(|it| &it.value.kind) {
                Some(ValueKind::List(items)) => items
                    .iter()
                    .filter_map(|it| match &it.kind {
                        ValueKind::Ref(reference) => Some(reference.name.as_str()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let duration = match block.attr("duration").map(|it| &it.value.kind) {
                Some(ValueKind::Duration(ms)) => *ms,
                _ => 0,
            };
            Some(Phase {
                block,
                name: block.name.as_deref()?,
                after,
                duration,
                rollback_point: block.attr("rollback_point").and_then(|it| it.value.as_bool()).unwrap_or(false),
                rollback: block.attr("rollback").and_then(|it| it.value.as_str()),
            })
        })
        .collect()
}

/// The phases in an order where each comes after those it waits for (ties in source order),
/// or the names of a cycle.
pub fn ordered<'a>(phases: &'a [Phase<'a>]) -> Result<Vec<&'a Phase<'a>>, Vec<&'a str>> {
    let index_of = |name: &str| phases.iter().position(|it| it.name == name);
    let mut done = vec![false; phases.len()];
    let mut order = Vec::with_capacity(phases.len());
    // Kahn's algorithm, picking the first ready phase in source order each round: O(n²) on a
    // handful of phases, and deterministic.
    while order.len() < phases.len() {
        let ready = (0..phases.len())
            .find(|&i| !done[i] && phases[i].after.iter().all(|name| index_of(name).is_none_or(|j| done[j])));
        match ready {
            Some(i) => {
                done[i] = true;
                order.push(&phases[i]);
            }
            None => return Err(cycle(phases, &done)),
        }
    }
    Ok(order)
}

/// A cycle among the phases not yet ordered: follow `after` from one of them until a phase
/// repeats.
fn cycle<'a>(phases: &'a [Phase<'a>], done: &[bool]) -> Vec<&'a str> {
    let index_of = |name: &str| phases.iter().position(|it| it.name == name);
    let Some(mut at) = (0..phases.len()).find(|&i| !done[i]) else { return Vec::new() };
    let mut path: Vec<usize> = Vec::new();
    loop {
        if let Some(start) = path.iter().position(|&it| it == at) {
            return path[start..].iter().map(|&i| phases[i].name).collect();
        }
        path.push(at);
        let next = phases[at].after.iter().filter_map(|name| index_of(name)).find(|&j| !done[j]);
        match next {
            Some(j) => at = j,
            None => return path.iter().map(|&i| phases[i].name).collect(),
        }
    }
}

/// The longest chain of durations through `after`, and its total in milliseconds.
pub fn critical_path<'a>(order: &[&'a Phase<'a>]) -> (Vec<&'a str>, u64) {
    let mut finish: Vec<(u64, Option<usize>)> = Vec::with_capacity(order.len());
    for phase in order {
        let before = phase
            .after
            .iter()
            .filter_map(|name| order.iter().position(|it| it.name == *name))
            // Only phases already placed: a duplicate name must not reach ahead.
            .filter(|&j| j < finish.len())
            .max_by_key(|&j| (finish[j].0, std::cmp::Reverse(j)));
        let start = before.map_or(0, |j| finish[j].0);
        finish.push((start + phase.duration, before));
    }
    let Some(mut at) = (0..order.len()).max_by_key(|&i| (finish[i].0, std::cmp::Reverse(i))) else {
        return (Vec::new(), 0);
    };
    let total = finish[at].0;
    let mut path = vec![order[at].name];
    while let Some(before) = finish[at].1 {
        path.push(order[before].name);
        at = before;
    }
    path.reverse();
    (path, total)
}

/// The phases that must say how they are undone: every phase up to the last rollback point
/// in order, or every phase when none is marked (the whole migration can be undone).
pub fn needs_rollback<'a>(order: &[&'a Phase<'a>]) -> Vec<&'a Phase<'a>> {
    let last_point = order.iter().rposition(|it| it.rollback_point).unwrap_or(order.len().saturating_sub(1));
    order.iter().take(last_point + 1).copied().collect()
}

/// Kinds a migration can go between: a database to a database, compute to compute.
pub fn compatible(from: &str, to: &str) -> bool {
    fn family(kind: &str) -> &str {
        match kind {
            "service" | "worker" | "job" | "vm" | "function" | "container" => "compute",
            "queue" | "topic" => "messaging",
            "gateway" | "cdn" => "edge",
            other => other,
        }
    }
    family(from) == family(to)
}
