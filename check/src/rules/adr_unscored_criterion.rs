//! ADR607 `unscored-criterion`: an option that does not score every criterion, or scores an
//! unknown one.

use super::adr_chosen_not_an_option::{int_map, options};
use super::*;

pub static RULE: Rule = Rule { code: "ADR607", check: Check::Block(&["decision"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let criteria = int_map(block, "criteria");
    if criteria.is_empty() {
        return;
    }
    for (name, option) in options(block) {
        let scores = int_map(option, "scores");
        for (criterion, _, _, _) in &criteria {
            if scores.iter().any(|it| it.0 == *criterion) {
                continue;
            }
            let range = option.attr("scores").map_or(name_range(option), |it| it.value.range);
            acc.push(
                diagnostic("ADR607", format!("option `{name}` does not score `{criterion}`"), ctx.path, range)
                    .label("missing score")
                    .note("an unscored criterion counts as 0 in the weighted score")
                    .help(format!("add `{criterion} = N` (1 to 10) to its `scores`")),
            );
        }
        for (key, _, key_range, _) in &scores {
            if criteria.iter().any(|it| it.0 == *key) {
                continue;
            }
            acc.push(
                diagnostic(
                    "ADR607",
                    format!("option `{name}` scores `{key}`, which is not a criterion"),
                    ctx.path,
                    *key_range,
                )
                .label("unknown criterion")
                .help(format!("add `{key}` to the decision's `criteria` with a weight, or remove the score")),
            );
        }
    }
}
