//! ADR603 `superseded-without-successor`: a superseded decision that does not name its successor.

use super::*;

pub static RULE: Rule = Rule { code: "ADR603", check: Check::Block(&["decision"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let Some(status) = block.attr("status") else { return };
    if status.value.as_str() != Some("superseded") || block.attr("superseded_by").is_some() {
        return;
    }
    acc.push(
        diagnostic(
            "ADR603",
            format!("{} is superseded but does not say by what", describe(block)),
            ctx.path,
            status.value.range,
        )
        .label("no `superseded_by`")
        .note("a reader of the old decision needs a link to the one in force")
        .help("add `superseded_by = NAME` naming the decision that replaces it"),
    );
}
