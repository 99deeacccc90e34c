//! P026 `ineffective-attribute`: a value that has no effect because of another value.
//!
//! Each case is one the outputs would silently ignore: the attribute is kept only when what it
//! depends on is set, so the author must hear that it does nothing as written.

use super::*;
use crate::ir::Value;

pub static RULE: Rule = Rule {
    code: "P026",
    check: Check::PerEnv(
        &["service", "worker", "job", "gateway", "cluster", "function", "network", "alert", "slo", "dns"],
        check,
    ),
};

/// (kind, attribute, whether it has an effect in these values, why not, what to do)
type Case = (&'static str, &'static str, fn(&EnvAttrs<'_>, &str) -> bool, &'static str, &'static str);

const CASES: &[Case] = &[
    (
        "service",
        "autoscale",
        ranged_replicas,
        "`replicas` is a fixed number, so there is no autoscaler",
        "give `replicas` a range, e.g. `replicas = 2..6`",
    ),
    (
        "worker",
        "autoscale",
        ranged_replicas,
        "`replicas` is a fixed number, so there is no autoscaler",
        "give `replicas` a range, e.g. `replicas = 1..4`",
    ),
    (
        "worker",
        "health",
        has_port,
        "probes are HTTP requests on `port`, and the worker has none",
        "set the `port` the probes are served on",
    ),
    (
        "worker",
        "ready",
        has_port,
        "probes are HTTP requests on `port`, and the worker has none",
        "set the `port` the probes are served on",
    ),
    (
        "service",
        "spread",
        several_replicas,
        "`replicas` is at most 1, so there is nothing to spread",
        "remove `spread`, or run more than one replica",
    ),
    (
        "worker",
        "spread",
        several_replicas,
        "`replicas` is at most 1, so there is nothing to spread",
        "remove `spread`, or run more than one replica",
    ),
    (
        "gateway",
        "rate_limit",
        has_waf,
        "the rate limit is a rule of the web application firewall, which is off",
        "set `waf = true`",
    ),
    (
        "cluster",
        "authorized_networks",
        public_endpoint,
        "the API endpoint is private (`private` defaults to true)",
        "set `private = false` to open the endpoint to these networks",
    ),
    ("network", "zones", not_gcp, "GCP subnets are regional and span every zone", "remove `zones` on gcp"),
    (
        "network",
        "single_nat",
        on_aws,
        "Azure and GCP use one NAT gateway per network already",
        "remove `single_nat` on this cloud",
    ),
    (
        "function",
        "memory",
        not_azure,
        "Azure's Consumption plan gives every instance 1.5 GB",
        "remove `memory` on azure",
    ),
    (
        "function",
        "avg_duration",
        has_invocations,
        "it only prices invocations, and `invocations` is not set",
        "set `invocations` (per month) for an estimate",
    ),
    (
        "service",
        "renamed_from",
        never,
        "a service is Kubernetes objects, which a new name replaces; `moved` is for Terraform resources",
        "remove `renamed_from`; the old Deployment is deleted when the renamed one is applied",
    ),
    (
        "worker",
        "renamed_from",
        never,
        "a worker is Kubernetes objects, which a new name replaces; `moved` is for Terraform resources",
        "remove `renamed_from`; the old Deployment is deleted when the renamed one is applied",
    ),
    (
        "job",
        "renamed_from",
        never,
        "a job is Kubernetes objects, which a new name replaces; `moved` is for Terraform resources",
        "remove `renamed_from`",
    ),
    (
        "service",
        "tags",
        never,
        "tags label cloud resources; a service is Kubernetes objects",
        "remove `tags`; workloads carry the plan's `app.kubernetes.io/*` labels",
    ),
    (
        "worker",
        "tags",
        never,
        "tags label cloud resources; a worker is Kubernetes objects",
        "remove `tags`; workloads carry the plan's `app.kubernetes.io/*` labels",
    ),
    (
        "job",
        "tags",
        never,
        "tags label cloud resources; a job is Kubernetes objects",
        "remove `tags`; workloads carry the plan's `app.kubernetes.io/*` labels",
    ),
];

fn ranged_replicas(attrs: &EnvAttrs<'_>, _cloud: &str) -> bool {
    crate::deploy::int_range(attrs.get("replicas")).is_some_and(|(low, high)| high > low)
}

fn several_replicas(attrs: &EnvAttrs<'_>, _cloud: &str) -> bool {
    crate::deploy::int_range(attrs.get("replicas")).is_some_and(|(_, high)| high > 1)
}

fn has_port(attrs: &EnvAttrs<'_>, _cloud: &str) -> bool {
    attrs.get("port").is_some()
}

fn has_waf(attrs: &EnvAttrs<'_>, _cloud: &str) -> bool {
    attrs.get("waf").and_then(Value::as_bool) == Some(true)
}

fn public_endpoint(attrs: &EnvAttrs<'_>, _cloud: &str) -> bool {
    attrs.get("private").and_then(Value::as_bool) == Some(false)
}

fn has_invocations(attrs: &EnvAttrs<'_>, _cloud: &str) -> bool {
    attrs.get("invocations").is_some()
}

fn on_aws(_: &EnvAttrs<'_>, cloud: &str) -> bool {
    cloud == "aws"
}

fn not_gcp(_: &EnvAttrs<'_>, cloud: &str) -> bool {
    cloud != "gcp"
}

fn not_azure(_: &EnvAttrs<'_>, cloud: &str) -> bool {
    cloud != "azure"
}

fn never(_: &EnvAttrs<'_>, _cloud: &str) -> bool {
    false
}

/// The fields of `rollout` that only one family of strategies reads: (field, strategies).
const ROLLOUT_FIELDS: &[(&str, &[&str])] = &[
    ("max_surge", &["rolling", "canary"]),
    ("max_unavailable", &["rolling", "canary"]),
    ("steps", &["canary"]),
    ("pause", &["canary"]),
    ("auto_promote", &["blue_green"]),
    ("preview", &["blue_green"]),
];

/// `rollout` fields the chosen strategy does not read, and `scale_up.period` without a `max`.
fn ineffective_fields(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let strategy = field(view.attrs, "rollout", "strategy").and_then(Value::as_str).unwrap_or("rolling");
    for (name, strategies) in ROLLOUT_FIELDS {
        let Some(value) = field(view.attrs, "rollout", name) else { continue };
        if strategies.contains(&strategy) {
            continue;
        }
        let wanted = strategies.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(" and ");
        acc.push(
            diagnostic(
                "P026",
                format!("`rollout.{name}` has no effect with `strategy = {strategy}`"),
                ctx.path,
                value.range,
            )
            .label("ignored")
            .note(format!("only {wanted} read it; in environment `{}`", view.env.name))
            .help(format!("remove `{name}`, or choose a strategy that uses it")),
        );
    }
    for direction in ["scale_up", "scale_down"] {
        let Some(crate::ir::ValueKind::Map(entries)) = field(view.attrs, "autoscale", direction).map(|it| &it.kind)
        else {
            continue;
        };
        let Some(period) = entries.iter().find(|it| it.key == "period") else { continue };
        if entries.iter().any(|it| it.key == "max") {
            continue;
        }
        acc.push(
            diagnostic("P026", format!("`{direction}.period` has no effect here"), ctx.path, period.value.range)
                .label("ignored")
                .note(format!(
                    "the period is the window of `max`, which is not set; in environment `{}`",
                    view.env.name
                ))
                .help(format!("set `max` in `{direction}`, e.g. `max = 50%`")),
        );
    }
}

/// The first node pool of an AKS cluster is its `default_node_pool`, which AKS names `system`
/// whatever the plan calls it: renaming it moves nothing.
fn aks_system_pool_rename(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if view.cloud != "azure" {
        return;
    }
    let Some(system) = view.block.children.iter().find(|it| it.kind == "node_pool") else { return };
    let Some(value) = system.env_attrs(&view.env.name).get("renamed_from").cloned() else { return };
    acc.push(
        diagnostic("P026", "`renamed_from` has no effect here", ctx.path, value.range)
            .label("ignored")
            .note(format!(
                "the first node pool of an AKS cluster is its `default_node_pool`, named `system` on Azure whatever its name in the plan; in environment `{}`",
                view.env.name
            ))
            .help("remove `renamed_from`; nothing is moved or replaced"),
    );
}

/// An alert or SLO on a workload is a Prometheus rule, not a cloud resource: the attributes
/// that shape cloud resources do nothing there.
fn prometheus_rule_attrs(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(on) = get_ref(view.attrs, "on") else { return };
    if !ctx.index.lookup(on).is_some_and(|it| crate::cost::model::is_workload(&it.kind)) {
        return;
    }
    for attr in ["tags", "depends_on", "terraform", "renamed_from"] {
        let Some(value) = view.attrs.get(attr) else { continue };
        acc.push(
            diagnostic("P026", format!("`{attr}` has no effect here"), ctx.path, value.range)
                .label("ignored")
                .note(format!(
                    "`{on}` is a workload, so {} is a rule of the cluster's PrometheusRule, not a cloud resource; in environment `{}`",
                    describe(view.block),
                    view.env.name
                ))
                .help(format!("remove `{attr}`")),
        );
    }
}

/// On AWS a record `to` a gateway or CDN is a Route 53 alias record, which answers with its
/// target's own TTL: Route 53 takes no `ttl` on it, so the emitter writes none.
fn alias_record_ttl(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if view.cloud != "aws" {
        return;
    }
    for record in view.block.children.iter().filter(|it| it.kind == "record") {
        let attrs = record.env_attrs(&view.env.name);
        let (Some(to), Some(ttl)) = (get_ref(&attrs, "to"), attrs.get("ttl")) else { continue };
        acc.push(
            diagnostic(
                "P026",
                format!("`ttl` has no effect on record `{}`", record.name.as_deref().unwrap_or("")),
                ctx.path,
                ttl.range,
            )
            .label("ignored")
            .note(format!(
                "on AWS a record `to` `{to}` is a Route 53 alias, which answers with its target's own TTL; in environment `{}`",
                view.env.name
            ))
            .help("remove `ttl`"),
        );
    }
}

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if view.block.kind == "dns" {
        alias_record_ttl(ctx, view, acc);
    }
    if view.block.kind == "cluster" {
        aks_system_pool_rename(ctx, view, acc);
    }
    if matches!(view.block.kind.as_str(), "service" | "worker") {
        ineffective_fields(ctx, view, acc);
    }
    if matches!(view.block.kind.as_str(), "alert" | "slo") {
        prometheus_rule_attrs(ctx, view, acc);
    }
    for (kind, attr, effective, why, help) in CASES {
        if *kind != view.block.kind || effective(view.attrs, &view.cloud) {
            continue;
        }
        let Some(value) = view.attrs.get(attr) else { continue };
        acc.push(
            diagnostic("P026", format!("`{attr}` has no effect here"), ctx.path, value.range)
                .label("ignored")
                .note(format!("{why}; in environment `{}`", view.env.name))
                .help(*help),
        );
    }
}
