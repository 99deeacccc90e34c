//! CAT503 `not-sold-in-region`: an instance class the cloud does not sell in the region.

use super::*;
use crate::catalog::pricing::PriceBook;

pub static RULE: Rule = Rule { code: "CAT503", check: Check::PerEnv(&["database", "cache", "vm", "cluster"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(prices) = PriceBook::builtin().cloud(&view.cloud) else { return };
    let mut classes: Vec<(&str, TextRange)> = Vec::new();
    for name in ["tier", "size"] {
        if let Some(value) = view.attrs.get(name) {
            if let Some(class) = value.as_str() {
                classes.push((class, value.range));
            }
        }
    }
    let pools: Vec<crate::ir::EnvAttrs<'_>> =
        view.block.children.iter().filter(|it| it.kind == "node_pool").map(|it| it.env_attrs(&view.env.name)).collect();
    for pool in &pools {
        if let Some(value) = pool.get("size") {
            if let Some(class) = value.as_str() {
                classes.push((class, value.range));
            }
        }
    }
    for (class, range) in classes {
        if !prices.unavailable_in(&view.region, class) {
            continue;
        }
        acc.push(
            diagnostic("CAT503", format!("`{class}` is not sold in {} {}", view.cloud, view.region), ctx.path, range)
                .label(format!("not available in {}", view.region))
                .help(format!("pick a class offered in {}, or place this resource in another region", view.region)),
        );
    }
}
