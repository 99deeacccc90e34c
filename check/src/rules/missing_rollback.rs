//! MIG802 `missing-rollback`: a phase that the migration can still roll back past, with no
//! `rollback` saying how.

use super::*;
use crate::deploy::migration::{needs_rollback, ordered, phases};

pub static RULE: Rule = Rule { code: "MIG802", check: Check::Block(&["migration"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let phases = phases(block);
    let Ok(order) = ordered(&phases) else { return }; // MIG801
    let point = order.iter().rev().find(|it| it.rollback_point).map(|it| it.name);
    for phase in needs_rollback(&order).into_iter().filter(|it| it.rollback.is_none()) {
        let why = match point {
            Some(point) => format!("it runs before `{point}`, the last rollback point"),
            None => "no phase is a `rollback_point`, so every phase can be rolled back".to_string(),
        };
        acc.push(
            diagnostic(
                "MIG802",
                format!("phase `{}` of {} does not say how it is undone", phase.name, describe(block)),
                ctx.path,
                name_range(phase.block),
            )
            .label("no `rollback`")
            .note(why)
            .help("add `rollback = \"...\"`: the steps that undo this phase"),
        );
    }
}
