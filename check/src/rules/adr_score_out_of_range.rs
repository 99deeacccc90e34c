//! ADR606 `score-out-of-range`: a weight or score outside 1 to 10.

use super::adr_chosen_not_an_option::{int_map, options};
use super::*;

pub static RULE: Rule = Rule { code: "ADR606", check: Check::Block(&["decision"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let mut values: Vec<(&str, &str, i64, TextRange)> =
        int_map(block, "criteria").into_iter().map(|(key, value, _, range)| ("weight", key, value, range)).collect();
    for (_, option) in options(block) {
        values.extend(int_map(option, "scores").into_iter().map(|(key, value, _, range)| ("score", key, value, range)));
    }
    for (what, key, value, range) in values {
        if (1..=10).contains(&value) {
            continue;
        }
        acc.push(
            diagnostic("ADR606", format!("the {what} of `{key}` is {value}, outside 1 to 10"), ctx.path, range)
                .label("out of range")
                .help("weights and scores run from 1 (least) to 10 (most)"),
        );
    }
}
