//! ADR601 `chosen-not-an-option`: a decision whose chosen option is missing or not one of its
//! options.

use super::*;
use crate::ir::ValueKind;

pub static RULE: Rule = Rule { code: "ADR601", check: Check::Block(&["decision"], check) };

/// The `option` blocks of a decision with their names.
pub fn options(block: &Block) -> impl Iterator<Item = (&str, &Block)> {
    block.children.iter().filter(|it| it.kind == "option").filter_map(|it| Some((it.name.as_deref()?, it)))
}

/// `key = int` entries of a map attribute, with the value's range.
pub fn int_map<'a>(block: &'a Block, name: &str) -> Vec<(&'a str, i64, TextRange, TextRange)> {
    let Some(attr) = block.attr(name) else { return Vec::new() };
    let crate::ir::ValueKind::Map(entries) = &attr.value.kind else { return Vec::new() };
    entries.iter().filter_map(|it| Some((it.key.as_str(), it.value.as_int()?, it.key_range, it.value.range))).collect()
}

/// An option's weighted score, Σ(weight × score) / Σ weight, over the decision's criteria.
pub fn weighted_score(decision: &Block, option: &Block) -> Option<f64> {
    let criteria = int_map(decision, "criteria");
    let scores = int_map(option, "scores");
    let total_weight: i64 = criteria.iter().map(|it| it.1).sum();
    if criteria.is_empty() || total_weight <= 0 {
        return None;
    }
    let sum: i64 = criteria
        .iter()
        .map(|(criterion, weight, _, _)| weight * scores.iter().find(|it| it.0 == *criterion).map_or(0, |it| it.1))
        .sum();
    Some(sum as f64 / total_weight as f64)
}

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let names: Vec<&str> = options(block).map(|(name, _)| name).collect();
    match block.attr("chosen") {
        Some(attr) => {
            let ValueKind::Ref(chosen) = &attr.value.kind else { return };
            if chosen.field.is_none() && names.contains(&chosen.name.as_str()) {
                return;
            }
            let mut found = diagnostic(
                "ADR601",
                format!("`{}` is not an option of {}", chosen.name, describe(block)),
                ctx.path,
                attr.value.range,
            )
            .label("no option has this name");
            found = match crate::diagnostics::did_you_mean(&chosen.name, names.iter().copied()) {
                Some(suggestion) => found.help(format!("did you mean `{suggestion}`?")).replace_with(
                    format!("Change to `{suggestion}`"),
                    crate::diagnostics::Applicability::Safe,
                    suggestion,
                ),
                None if names.is_empty() => {
                    found.help(format!("declare the option inside the decision: `option {} {{ ... }}`", chosen.name))
                }
                None => found.help(format!(
                    "the options are {}",
                    names.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ")
                )),
            };
            acc.push(found);
        }
        None => {
            let status = block.attr("status").and_then(|it| it.value.as_str()).unwrap_or("proposed");
            if names.is_empty() || status == "proposed" {
                return;
            }
            acc.push(
                diagnostic(
                    "ADR601",
                    format!("{} is {status} but chooses no option", describe(block)),
                    ctx.path,
                    name_range(block),
                )
                .label("no `chosen`")
                .help(format!("say which option was chosen, e.g. `chosen = {}`", names[0])),
            );
        }
    }
}
