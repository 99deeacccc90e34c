//! ADR604 `chosen-not-top-scored`: a chosen option that is not the top-scored one, without a
//! rationale.

use super::adr_chosen_not_an_option::{options, weighted_score};
use super::*;
use crate::ir::ValueKind;

pub static RULE: Rule = Rule { code: "ADR604", check: Check::Block(&["decision"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    if block.attr("rationale").is_some() {
        return;
    }
    let Some(attr) = block.attr("chosen") else { return };
    let ValueKind::Ref(chosen) = &attr.value.kind else { return };
    let scored: Vec<(&str, f64)> =
        options(block).filter_map(|(name, option)| Some((name, weighted_score(block, option)?))).collect();
    let Some(&(_, chosen_score)) = scored.iter().find(|(name, _)| *name == chosen.name) else { return };
    let Some(&(best, best_score)) = scored.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else { return };
    // Scores are shown with one decimal; differences below that are ties.
    if (best_score * 10.0).round() <= (chosen_score * 10.0).round() {
        return;
    }
    acc.push(
        diagnostic(
            "ADR604",
            format!("`{}` scores {chosen_score:.1} but `{best}` scores {best_score:.1}", chosen.name),
            ctx.path,
            attr.value.range,
        )
        .label("not the top-scored option")
        .note("the weighted score is Σ(weight × score) / Σ weight over the decision's criteria")
        .help("explain the choice with `rationale = \"...\"`, or revisit the scores"),
    );
}
