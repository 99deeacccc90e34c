//! REL209 `job-without-timeout`: a job that may run forever.

use super::*;

pub static RULE: Rule = Rule { code: "REL209", check: Check::Block(&["job"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    if block.attr("timeout").is_some() {
        return;
    }
    acc.push(
        diagnostic("REL209", format!("{} has no timeout", describe(block)), ctx.path, name_range(block))
            .label("may run forever")
            .note("a hung job keeps its resources, and a scheduled one can pile up runs behind it")
            .help("set the longest run you expect, e.g. `timeout = 30min`")
            .fix(
                "Add a 30-minute timeout",
                crate::diagnostics::Applicability::Unsafe,
                vec![add_to_block(ctx.path, block, "timeout = 30min")],
            ),
    );
}
