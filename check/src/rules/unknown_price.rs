//! COST304 `unknown-price`: a resource the price tables cannot price.
//!
//! Its cost is left out of totals and the report says so; it is never counted as free.
//! A class that is not in an existing table is CAT501 instead.

use super::*;

pub static RULE: Rule = Rule {
    code: "COST304",
    check: Check::Block(
        &[
            "network",
            "cluster",
            "database",
            "cache",
            "gateway",
            "vm",
            "queue",
            "topic",
            "bucket",
            "function",
            "registry",
            "cdn",
            "terraform",
        ],
        check,
    ),
};

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let Some(name) = &block.name else { return };
    let Some(&index) = crate::cost::file_unknown_prices(ctx.db, ctx.file).get(name) else { return };
    let cost = &crate::cost::file_costs(ctx.db, ctx.file)[index];
    // A value that could not be read, or no cloud at all, has been reported already.
    if cost.cloud.is_empty() || has_error_values(block) {
        return;
    }
    // An engine the cloud does not offer (CAT504) has no price by definition.
    let engine = block.attr("engine").and_then(|it| it.value.as_str()).unwrap_or("");
    if !engine.is_empty() && !crate::catalog::versions::Versions::builtin().engine_offered(&cost.cloud, engine) {
        return;
    }
    // CAT501 reports classes that are missing from a table the cloud has.
    if super::unknown_tier::tier_problems(ctx, block).next().is_some() {
        return;
    }
    if block.kind == "terraform" {
        acc.push(
            diagnostic(
                "COST304",
                format!("the monthly cost of {} is unknown", describe(block)),
                ctx.path,
                name_range(block),
            )
            .label("not priced")
            .note(format!("{}; it is left out of the totals", cost.unknown.join("; ")))
            .help("budgets are checked without it; keep its cost in mind, or model it with a kind the catalog prices"),
        );
        return;
    }
    let mut found = diagnostic(
        "COST304",
        format!("the monthly cost of {} is unknown", describe(block)),
        ctx.path,
        name_range(block),
    )
    .label("not in the price tables")
    .note(format!("no {} price in the {} tables; it is left out of the totals", cost.unknown.join(", no "), cost.cloud))
    .help("check the class name, or price it by hand; budgets are checked without it");
    // A real class the upstream price table lacks: say so, it is not a typo.
    if let Some(prices) = crate::catalog::pricing::PriceBook::builtin().cloud(&cost.cloud) {
        let sizes = block
            .attr("size")
            .into_iter()
            .chain(block.children.iter().filter_map(|child| child.attr("size")))
            .filter_map(|attr| attr.value.as_str());
        for size in sizes.filter(|it| prices.is_unpriced_class(&["compute"], it)) {
            found = found.note(format!(
                "`{size}` is a real {} instance type, but the price table it is generated from has no price for it",
                cost.cloud
            ));
        }
        let (service, engine) = match block.kind.as_str() {
            "database" => ("database", engine),
            "cache" => ("cache", if engine.is_empty() { "redis" } else { engine }),
            _ => ("", ""),
        };
        let tier = block.attr("tier").and_then(|it| it.value.as_str());
        if let Some(tier) = tier.filter(|it| !service.is_empty() && prices.is_unpriced_class(&[service, engine], it)) {
            let priced: Vec<&str> = prices.engine_pricing(service, tier).collect();
            found = found.note(format!(
                "`{tier}` is a real {service} class on {}; the tables price it for {} but have no dated {engine} price for it",
                cost.cloud,
                priced.join(", ")
            ));
        }
    }
    acc.push(found);
}
