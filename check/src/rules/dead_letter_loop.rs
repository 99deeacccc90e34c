//! REL211 `dead-letter-loop`: a queue that is its own dead-letter queue.

use super::*;

pub static RULE: Rule = Rule { code: "REL211", check: Check::Block(&["queue"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let Some(attr) = block.attr("dead_letter") else { return };
    let crate::ir::ValueKind::Ref(target) = &attr.value.kind else { return };
    if block.name.as_deref() != Some(target.name.as_str()) {
        return;
    }
    acc.push(
        diagnostic("REL211", format!("{} is its own dead-letter queue", describe(block)), ctx.path, attr.value.range)
            .label("points back at the same queue")
            .note("failed messages go back where they failed and are retried forever")
            .help("declare a separate queue for failed messages and point `dead_letter` at it"),
    );
}
