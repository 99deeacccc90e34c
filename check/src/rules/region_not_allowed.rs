//! SEC115 `region-not-allowed`: a resource, or a copy of its data, in a region the policy's
//! `allowed_regions` does not list (data residency).
//!
//! Each resource is judged in each environment at the region it lands in, and so are the
//! places its data is copied to: a database's cross-region replicas, a bucket's
//! `replicate_to`, and the plan's disaster-recovery region.

use super::*;

pub static RULE: Rule = Rule {
    code: "SEC115",
    check: Check::PerEnv(
        &[
            "plan", "network", "cluster", "service", "worker", "job", "function", "database", "cache", "bucket",
            "queue", "topic", "gateway", "cdn", "vm", "registry",
        ],
        check,
    ),
};

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let allowed = &ctx.facts.policy.allowed_regions;
    if allowed.is_empty() {
        return;
    }
    let mut places: Vec<(String, TextRange, String)> = Vec::new();
    if view.block.kind == "plan" {
        if let Some(region) = field(view.attrs, "dr", "region") {
            if let Some(name) = region.as_str() {
                places.push((name.to_string(), region.range, "its disaster-recovery region".into()));
            }
        }
    } else if !view.region.is_empty() {
        let range = value_range(view.attrs, "region").unwrap_or_else(|| name_range(view.block));
        places.push((view.region.clone(), range, format!("{} is placed there", describe(view.block))));
    }
    if let Some(target) = view.attrs.get("replicate_to") {
        if let Some(name) = target.as_str() {
            places.push((name.to_string(), target.range, "its objects are copied there".into()));
        }
    }
    for replica in view.block.children.iter().filter(|it| it.kind == "replica") {
        if !crate::cost::model::exists_in(&replica.env_attrs(&view.env.name), &view.env.name) {
            continue;
        }
        if let Some(region) = replica.attr("region") {
            if let Some(name) = region.value.as_str() {
                places.push((name.to_string(), region.value.range, "a replica of its data is there".into()));
            }
        }
    }
    let listed = allowed.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ");
    for (region, range, why) in places {
        if allowed.contains(&region) {
            continue;
        }
        acc.push(
            diagnostic(
                "SEC115",
                format!("{} uses {region}, which the policy does not allow", describe(view.block)),
                ctx.path,
                range,
            )
            .label(why)
            .note(format!("in environment `{}`; `policy {{ allowed_regions }}` lists {listed}", view.env.name))
            .help("use an allowed region, or add this one to `allowed_regions` if the data may live there"),
        );
    }
}
