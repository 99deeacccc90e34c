//! REL207 `queue-without-dead-letter`: a queue without a dead-letter queue.

use super::*;

pub static RULE: Rule = Rule { code: "REL207", check: Check::Block(&["queue"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    if block.attr("dead_letter").is_some() {
        return;
    }
    let Some(name) = &block.name else { return };
    if crate::dead_letter_targets(ctx.db, ctx.workspace).contains(name) {
        return;
    }
    // A queue named as one (`orders-dlq`) is meant to hold failed messages, referenced or not.
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("dlq") || lower.ends_with("dead-letter") || lower.ends_with("dead_letter") {
        return;
    }
    acc.push(
        diagnostic("REL207", format!("{} has no dead-letter queue", describe(block)), ctx.path, name_range(block))
            .label("failed messages have nowhere to go")
            .note("a message that always fails is retried until it expires, blocking or slowing the queue, then lost")
            .help(format!("declare `queue {name}-dlq {{ retention = 14d }}` and set `dead_letter = {name}-dlq`")),
    );
}
