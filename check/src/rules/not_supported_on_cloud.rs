//! CAT509 `not-supported-on-cloud`: an attribute the compiler does not build on this cloud.
//!
//! The catalog says so per attribute (`unsupported = { azure = "..." }` in `stdlib/catalog`),
//! with what to do instead; the attribute-coverage test keeps the list true: an attribute that
//! changes no output on a cloud must be listed here or reported by another rule.

use super::*;
use crate::catalog::{AttrSchema, Catalog};
use crate::ir::ValueKind;

pub static RULE: Rule = Rule {
    code: "CAT509",
    check: Check::PerEnv(
        &[
            "network",
            "cluster",
            "service",
            "worker",
            "job",
            "function",
            "database",
            "cache",
            "bucket",
            "queue",
            "topic",
            "gateway",
            "cdn",
            "vm",
            "registry",
            "alert",
            "slo",
            "container",
        ],
        check,
    ),
};

/// Whether a cloud builds an `allow` rule to (`to`) or from (`from`) a block of `kind`: the
/// emitters need a security group (AWS) or a subnet (Azure, GCP) for it, or a NetworkPolicy.
fn network_rule_end(cloud: &str, kind: &str, to: bool) -> Result<(), &'static str> {
    match (cloud, kind, to) {
        (_, "service", true) => Ok(()),
        (_, "service" | "worker" | "job" | "vm" | "cluster", _) => Ok(()),
        ("aws", "database" | "cache" | "gateway", true) => Ok(()),
        ("aws", "gateway", false) => Ok(()),
        ("azure", "database" | "gateway", true) => Ok(()),
        ("azure", "cache", true) => Err("Azure Cache for Redis is not in the plan's subnets, so no network security group rule reaches it"),
        ("gcp", "database" | "cache", true) => Err("Cloud SQL and Memorystore are reached through private services access, which VPC firewall rules do not filter"),
        ("gcp", "gateway", true) => Err("the global load balancer is outside the VPC; its Cloud Armor policy (`waf`, `rate_limit`) filters sources"),
        (_, "function", false) => Err("a function has no fixed place in the network to allow traffic from"),
        _ => Err("the compiler does not place it in the plan's subnets on this cloud"),
    }
}

/// CAT509 for an `allow` rule whose `to` or `from` the cloud cannot express.
fn network_rules(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    for rule in view.block.children.iter().filter(|it| it.kind == "allow") {
        let attrs = rule.env_attrs(&view.env.name);
        let mut ends: Vec<(&crate::ir::Ref, bool)> = Vec::new();
        if let Some(ValueKind::Ref(to)) = attrs.get("to").map(|it| &it.kind) {
            ends.push((&**to, true));
        }
        if let Some(ValueKind::List(sources)) = attrs.get("from").map(|it| &it.kind) {
            ends.extend(sources.iter().filter_map(|it| match &it.kind {
                ValueKind::Ref(reference) => Some((&**reference, false)),
                _ => None,
            }));
        }
        for (reference, to) in ends {
            let Some(kind) = ctx.index.lookup(&reference.name).map(|it| it.kind.clone()) else { continue };
            if let Err(why) = network_rule_end(&view.cloud, &kind, to) {
                let side = if to { "to" } else { "from" };
                acc.push(
                    diagnostic(
                        "CAT509",
                        format!("a network rule {side} {kind} `{}` is not built on {}", reference.name, view.cloud),
                        ctx.path,
                        reference.name_range,
                    )
                    .label(format!("not built on {}", view.cloud))
                    .note(why.to_string())
                    .help("remove the rule, or name a vm, cluster or service"),
                );
            }
        }
    }
}

/// CAT509 for a cross-region `replica` the cloud's emitter does not build for the engine.
fn replicas(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let engine = get_str(view.attrs, "engine").unwrap_or("postgres");
    let why = match (view.cloud.as_str(), engine) {
        ("aws", "mongodb") => "DocumentDB replicates across regions through global clusters, which planc does not build yet",
        ("aws", "sqlserver") => "RDS for SQL Server has cross-region read replicas on Enterprise edition only; planc builds Standard edition",
        ("azure", _) => "Azure flexible-server replicas in another region need a network there, which planc does not build yet",
        _ => return,
    };
    for replica in view.block.children.iter().filter(|it| it.kind == "replica") {
        if !crate::cost::model::exists_in(&replica.env_attrs(&view.env.name), &view.env.name) {
            continue;
        }
        acc.push(
            diagnostic(
                "CAT509",
                format!("a cross-region replica of a {engine} database is not built on {}", view.cloud),
                ctx.path,
                name_range(replica),
            )
            .label(format!("not built on {}", view.cloud))
            .note(why.to_string())
            .help("remove the replica and recover from backups, or use an engine the cloud replicates across regions"),
        );
    }
}

/// CAT509 for a block placed in another region than its environment's on AWS and Azure: every
/// resource of an environment is created with the provider's region (AWS) or the resource
/// group's location (Azure), so the value would be priced but not built. Copies in other
/// regions are written as `replica`, `replicate_to` and the plan's `dr`.
fn other_region(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if !matches!(view.cloud.as_str(), "aws" | "azure") {
        return;
    }
    let Some(value) = view.attrs.get("region") else { return };
    let home = view.env.region.clone().or_else(|| ctx.facts.region.clone());
    if home.as_deref() == value.as_str() || home.is_none() {
        return;
    }
    // A region the cloud does not have is CAT506's.
    let known = crate::catalog::pricing::PriceBook::builtin().cloud(&view.cloud).is_none_or(|prices| {
        prices.known_regions.is_empty() || value.as_str().is_some_and(|it| prices.is_known_region(it))
    });
    if !known {
        return;
    }
    acc.push(
        diagnostic(
            "CAT509",
            format!(
                "a {} in another region than its environment's ({}) is not built on {}",
                view.block.kind,
                home.unwrap_or_default(),
                view.cloud
            ),
            ctx.path,
            value.range,
        )
        .label(format!("not built on {}", view.cloud))
        .note(format!("every resource of environment `{}` is created in its region", view.env.name))
        .help("set the region on an `env` (or the plan), or copy data to another region with `replica`, `replicate_to` or `dr`"),
    );
}

/// CAT509 for what the container renderers do not build yet: a public Fargate service (it needs
/// a load balancer) and secret vars on Fargate and Cloud Run (they need a secret store).
fn container(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let cloud = view.cloud.as_str();
    if cloud == "aws" && get_str(view.attrs, "expose") == Some("public") {
        if let Some(value) = view.attrs.get("expose") {
            acc.push(
                diagnostic("CAT509", "a public container is not built on aws yet", ctx.path, value.range)
                    .label("not built on aws")
                    .note("a Fargate service reaches the internet through a load balancer, which planc does not build for containers yet")
                    .help("use `expose = internal`, or run it as a `service` on a cluster behind a `gateway`"),
            );
        }
    }
    if cloud == "azure" {
        return;
    }
    let Some(vars) = view.attrs.get("vars") else { return };
    let ValueKind::Map(entries) = &vars.kind else { return };
    for entry in entries {
        let secret = match &entry.value.kind {
            ValueKind::Secret(_) => true,
            ValueKind::Ref(reference) => {
                let field = reference.field.as_ref().map_or("url", |(field, _)| field.as_str());
                ctx.index.lookup(&reference.name).is_some_and(|declaration| {
                    Catalog::builtin()
                        .kind(&declaration.kind)
                        .and_then(|kind| kind.output(field))
                        .is_some_and(|output| output.secret.get(cloud).copied().unwrap_or(false))
                })
            }
            _ => false,
        };
        if secret {
            acc.push(
                diagnostic("CAT509", format!("the secret var `{}` of a container is not built on {cloud} yet", entry.key), ctx.path, entry.value.range)
                    .label(format!("not built on {cloud}"))
                    .note("it would need a secret store entry (Secrets Manager, Secret Manager) that planc does not create for containers yet; it is never written as plain text")
                    .help("run it as a `service` on a cluster (secrets become a Kubernetes Secret), or pass a value that is not secret"),
            );
        }
    }
}

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if view.block.kind == "network" {
        network_rules(ctx, view, acc);
    }
    if view.block.kind == "database" {
        replicas(ctx, view, acc);
    }
    if view.block.kind == "container" {
        container(ctx, view, acc);
    }
    other_region(ctx, view, acc);
    let catalog = Catalog::builtin();
    let Some(kind) = catalog.kind(&view.block.kind) else { return };
    for attr in kind.attrs.iter().chain(catalog.common.iter()) {
        // Most attributes are built everywhere: skip them before looking their value up.
        let listed = !attr.unsupported.is_empty()
            || attr.fields.iter().any(|it| !it.unsupported.is_empty())
            || kind.unsupported.keys().any(|it| it.split('.').next() == Some(attr.name.as_str()));
        if !listed {
            continue;
        }
        let Some(value) = view.attrs.get(&attr.name) else { continue };
        report(ctx, view, &attr.name, attr, value.range, acc);
        if let ValueKind::Map(entries) = &value.kind {
            for entry in entries {
                if let Some(field) = attr.fields.iter().find(|it| it.name == entry.key) {
                    report(ctx, view, &format!("{}.{}", attr.name, field.name), field, entry.key_range, acc);
                }
            }
        }
    }
}

fn report(
    ctx: &RuleCtx<'_>,
    view: &BlockView<'_>,
    name: &str,
    attr: &AttrSchema,
    range: TextRange,
    acc: &mut Vec<Diagnostic>,
) {
    let for_kind = Catalog::builtin().kind(&view.block.kind).and_then(|kind| kind.unsupported.get(name));
    let Some(instead) = attr.unsupported.get(&view.cloud).or_else(|| for_kind?.get(&view.cloud)) else { return };
    acc.push(
        diagnostic("CAT509", format!("`{name}` is not built on {}", view.cloud), ctx.path, range)
            .label(format!("not supported on {}", view.cloud))
            .note(format!("planc would write nothing for it on {}: the value would be lost", view.cloud))
            .help(instead.clone()),
    );
}
