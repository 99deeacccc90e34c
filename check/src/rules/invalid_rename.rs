//! P028 `invalid-rename`: a `renamed_from` that cannot describe a rename: a name that is not a
//! valid block name, the block's own name, or the name of a block that still exists (a `moved`
//! block would then take that block's resources away from it).

use super::*;
use crate::ir::ValueKind;

pub static RULE: Rule = Rule { code: "P028", check: Check::Block(RESOURCE_AND_WORKLOAD_KINDS, check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let top_level = |name: &str| ctx.index.lookup(name).is_some();
    renames(ctx, block, &top_level, acc);
    for child in block.children.iter().filter(|it| matches!(it.kind.as_str(), "node_pool" | "subnet")) {
        let sibling =
            |name: &str| block.children.iter().any(|it| it.kind == child.kind && it.name.as_deref() == Some(name));
        renames(ctx, child, &sibling, acc);
    }
}

fn renames(ctx: &RuleCtx<'_>, block: &Block, exists: &dyn Fn(&str) -> bool, acc: &mut Vec<Diagnostic>) {
    let written = block.attr("renamed_from").map(|it| &it.value);
    let overridden = block.overrides.iter().flat_map(|it| it.attrs.iter()).filter(|it| it.name == "renamed_from");
    let own = block.name.as_deref().unwrap_or_default();
    let items = written.into_iter().chain(overridden.map(|it| &it.value)).flat_map(|value| match &value.kind {
        ValueKind::List(items) => items.iter().collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    for item in items {
        let Some(old) = item.as_str() else { continue };
        let (message, label, help) = if !crate::ir::is_valid_name(old) {
            (
                format!("`{old}` is not a block name"),
                "not a name",
                "write the name the block had, e.g. `\"orders-db\"`".to_string(),
            )
        } else if old == own {
            (format!("`{old}` is this block's own name"), "not a rename", "remove it".to_string())
        } else if exists(old) {
            (
                format!("`{old}` is the name of a block that still exists"),
                "still declared",
                format!("remove `{old}` from `renamed_from`, or rename or remove the block `{old}` first"),
            )
        } else {
            continue;
        };
        acc.push(diagnostic("P028", message, ctx.path, item.range).label(label).help(help));
    }
}
