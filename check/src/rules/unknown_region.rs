//! CAT506 `unknown-region`: a region the cloud does not have.

use super::*;
use crate::catalog::pricing::PriceBook;

pub static RULE: Rule = Rule {
    code: "CAT506",
    check: Check::Block(
        &[
            "plan", "env", "network", "cluster", "service", "worker", "job", "function", "database", "cache", "bucket",
            "queue", "topic", "gateway", "cdn", "vm", "registry",
        ],
        check,
    ),
};

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let mut written: Vec<(&crate::ir::Value, Option<&str>)> = Vec::new();
    if let Some(attr) = block.attr("region") {
        written.push((&attr.value, block.attr("cloud").and_then(|it| it.value.as_str())));
    }
    // Where copies of the data go: the plan's DR region, a bucket's `replicate_to`, a
    // database's replicas. They are on the block's cloud.
    let own = || block.attr("cloud").and_then(|it| it.value.as_str());
    if let Some(crate::ir::ValueKind::Map(entries)) = block.attr("dr").map(|it| &it.value.kind) {
        if let Some(entry) = entries.iter().find(|it| it.key == "region") {
            written.push((&entry.value, own()));
        }
    }
    for attrs in std::iter::once(&block.attrs).chain(block.overrides.iter().map(|it| &it.attrs)) {
        if let Some(attr) = attrs.iter().find(|it| it.name == "replicate_to") {
            written.push((&attr.value, own()));
        }
    }
    for replica in block.children.iter().filter(|it| it.kind == "replica") {
        if let Some(attr) = replica.attr("region") {
            written.push((&attr.value, own()));
        }
    }
    for env_override in &block.overrides {
        if let Some(attr) = env_override.attrs.iter().find(|it| it.name == "region") {
            let cloud = env_override.attrs.iter().find(|it| it.name == "cloud").and_then(|it| it.value.as_str());
            written.push((&attr.value, cloud.or_else(|| block.attr("cloud").and_then(|it| it.value.as_str()))));
        }
    }
    for (value, own_cloud) in written {
        let Some(region) = value.as_str() else { continue };
        let env_cloud = if block.kind == "env" {
            block.name.as_deref().and_then(|name| ctx.facts.env(name)).and_then(|it| it.cloud.clone())
        } else {
            None
        };
        let Some(cloud) = own_cloud.map(String::from).or(env_cloud).or_else(|| ctx.facts.cloud.clone()) else {
            continue;
        };
        let Some(prices) = PriceBook::builtin().cloud(&cloud) else { continue };
        if prices.known_regions.is_empty() || prices.is_known_region(region) {
            continue;
        }
        let mut found = diagnostic("CAT506", format!("`{region}` is not a {cloud} region"), ctx.path, value.range)
            .label(format!("unknown {cloud} region"));
        let known: Vec<&str> = prices.known_regions.iter().map(String::as_str).collect();
        found = match crate::diagnostics::did_you_mean(region, known.iter().copied()) {
            Some(suggestion) => found.help(format!("did you mean `{suggestion}`?")).replace_with(
                format!("Change to `{suggestion}`"),
                crate::diagnostics::Applicability::Unsafe,
                format!("\"{suggestion}\""),
            ),
            None => found.help(format!("{cloud} regions are named like `{}`", prices.main_region)),
        };
        acc.push(found);
    }
}
