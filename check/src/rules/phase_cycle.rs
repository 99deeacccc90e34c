//! MIG801 `phase-cycle`: phases of a migration that wait for each other.

use super::*;

pub static RULE: Rule = Rule { code: "MIG801", check: Check::Block(&["migration"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let phases = crate::deploy::migration::phases(block);
    let Err(cycle) = crate::deploy::migration::ordered(&phases) else { return };
    let Some(first) = phases.iter().find(|it| cycle.first() == Some(&it.name)) else { return };
    let range = first.block.attr("after").map_or(name_range(first.block), |it| it.value.range);
    let mut shown: Vec<String> = cycle.iter().map(|it| format!("`{it}`")).collect();
    shown.push(format!("`{}`", cycle[0]));
    acc.push(
        diagnostic("MIG801", format!("the phases of {} wait for each other", describe(block)), ctx.path, range)
            .label(format!("{} waits for itself through the others", cycle[0]))
            .note(format!("the cycle: {}", shown.join(" waits for ")))
            .help("remove one `after` entry of the cycle: phases run in the order `after` gives"),
    );
}
