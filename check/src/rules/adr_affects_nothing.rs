//! ADR602 `affects-nothing`: a decision that affects a block that does not exist.

use super::*;
use crate::ir::ValueKind;

pub static RULE: Rule = Rule { code: "ADR602", check: Check::Block(&["decision"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let Some(attr) = block.attr("affects") else { return };
    let ValueKind::List(items) = &attr.value.kind else { return };
    for item in items {
        let ValueKind::Ref(target) = &item.kind else { continue };
        if ctx.index.lookup(&target.name).is_some() {
            continue;
        }
        let mut found = diagnostic(
            "ADR602",
            format!("{} affects `{}`, which is not declared", describe(block), target.name),
            ctx.path,
            item.range,
        )
        .label("no block has this name");
        let candidates: Vec<&str> = ctx.index.names.keys().map(String::as_str).collect();
        found = match crate::diagnostics::did_you_mean(&target.name, candidates.iter().copied()) {
            Some(suggestion) => found.help(format!("did you mean `{suggestion}`?")).replace_with(
                format!("Change to `{suggestion}`"),
                crate::diagnostics::Applicability::Safe,
                suggestion,
            ),
            None => found.help("name the blocks this decision governs, or remove the entry"),
        };
        acc.push(found);
    }
}
