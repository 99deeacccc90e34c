//! Kubernetes manifests per environment and cluster, with a `kustomization.yaml`.
//!
//! Every workload gets a ServiceAccount (no token mounted), a hardened pod (non-root, read-only
//! root filesystem, no privilege escalation, all capabilities dropped, seccomp RuntimeDefault),
//! requests from the low end and limits from the high end of its ranges, probes from `health`
//! and `ready`, and the recommended `app.kubernetes.io/*` labels. `vars` become a ConfigMap for
//! values known at compile time and `secretKeyRef`s to a Secret that the Terraform output fills
//! for secrets and cloud outputs.

use serde_json::{json, Map, Value as Json};

use super::yaml;
use super::{dns_name, get_int, get_ref, get_str, map_entries, EmitCtx, Located, OutputFile, VarRoute};
use crate::catalog::Catalog;
use crate::db::facts::EnvFacts;
use crate::deploy::{Amount, Budget, Flow, ScalePolicy, Source, Spread, Strategy};
use crate::ir::{Block, EnvAttrs, Value, ValueKind};

pub const SOURCE_ANNOTATION: &str = "plan.dev/source";
const RUN_AS: i64 = 10001;

/// The ConfigMap Terraform fills with a workload's non-secret outputs known only after apply.
pub fn outputs_config_name(workload: &str) -> String {
    format!("{}-outputs", dns_name(workload))
}

/// The name of the Secret that Terraform fills for a workload.
pub fn secret_name(workload: &str) -> String {
    format!("{}-env", dns_name(workload))
}

pub fn emit(ctx: &EmitCtx<'_>, env: &EnvFacts) -> Vec<OutputFile> {
    let mut files = Vec::new();
    // Who may reach each service, once per environment.
    let mut flows: std::collections::HashMap<String, Vec<Flow>> = std::collections::HashMap::new();
    for flow in crate::deploy::flows(ctx.blocks.iter().map(|it| it.block), &env.name) {
        flows.entry(flow.to.clone()).or_default().push(flow);
    }
    let no_flows: Vec<Flow> = Vec::new();
    for cluster in ctx.of_kind("cluster") {
        if !ctx.exists_in(cluster.block, &env.name) {
            continue;
        }
        let cluster_name = cluster.name();
        let dir = format!("{}/k8s/{}", env.name, dns_name(cluster_name));
        let mut resources = vec!["namespace.yaml".to_string()];
        files.push(OutputFile { path: format!("{dir}/namespace.yaml"), contents: namespace(ctx, env) });
        // One multi-document file for all workloads of the cluster: a platform with thousands
        // of services would otherwise write (and on rebuild, delete) thousands of files.
        // Written into one string as they are rendered: a list of per-workload strings joined
        // at the end held the whole file twice.
        let mut workloads = String::new();
        let mut progressive = false;
        let in_cluster: Vec<(&Located<'_>, EnvAttrs<'_>)> = ctx
            .blocks
            .iter()
            .filter(|it| matches!(it.block.kind.as_str(), "service" | "worker" | "job"))
            .map(|workload| (workload, workload.block.env_attrs(&env.name)))
            .filter(|(workload, attrs)| {
                ctx.exists_in(workload.block, &env.name) && get_ref(attrs, "cluster") == Some(cluster_name)
            })
            .collect();
        for (index, (workload, attrs)) in in_cluster.iter().enumerate() {
            progressive |= matches!(workload.block.kind.as_str(), "service" | "worker")
                && crate::deploy::strategy(&workload.block.kind, attrs).is_progressive();
            let into = flows.get(workload.name()).unwrap_or(&no_flows);
            let manifests = workload_manifests(ctx, env, workload, attrs, cluster.block, into);
            if index == 0 {
                // Room for all of them at the first one's size and a tenth more: growing by
                // doubling held up to three times the file while it was copied (5,000
                // services: 26 MB of YAML, 42 MB at the peak).
                // An estimate only: if a large first workload makes it more than can be had,
                // the string grows as it goes instead.
                let _ = workloads.try_reserve(manifests.len().saturating_mul(in_cluster.len()).saturating_mul(11) / 10);
            }
            workloads.push_str(&manifests);
        }
        if !workloads.is_empty() {
            files.push(OutputFile { path: format!("{dir}/workloads.yaml"), contents: workloads });
            resources.push("workloads.yaml".into());
        }
        for gateway in ctx.of_kind("gateway") {
            if !ctx.exists_in(gateway.block, &env.name) {
                continue;
            }
            if let Some(ingress) = gateway_ingress(ctx, env, gateway, cluster_name) {
                let file_name = format!("gateway-{}.yaml", dns_name(gateway.name()));
                files.push(OutputFile { path: format!("{dir}/{file_name}"), contents: yaml::documents(&[ingress]) });
                resources.push(file_name);
            }
        }
        let alerting = match prometheus_rule(ctx, env, cluster_name) {
            Some(rule) => {
                files.push(OutputFile { path: format!("{dir}/alerts.yaml"), contents: yaml::documents(&[rule]) });
                resources.push("alerts.yaml".into());
                true
            }
            None => false,
        };
        files.push(OutputFile {
            path: format!("{dir}/network-policy-default.yaml"),
            contents: yaml::documents(&[default_deny(ctx)]),
        });
        resources.push("network-policy-default.yaml".into());
        let kustomization = json!({
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "namespace": ctx.plan_name(),
            "resources": resources,
        });
        // A Kustomization cannot declare a controller it needs, so the header says it.
        let mut requires = String::new();
        if progressive {
            requires.push_str(
                "# Requires the Argo Rollouts controller (https://argoproj.github.io/rollouts/): canary and blue-green\n\
                 # workloads are argoproj.io/v1alpha1 Rollouts.\n",
            );
        }
        if alerting {
            requires.push_str(
                "# Requires the Prometheus Operator (https://prometheus-operator.dev/): alerts.yaml is a\n\
                 # monitoring.coreos.com/v1 PrometheusRule; route its `notify` label in Alertmanager.\n",
            );
        }
        files.push(OutputFile {
            path: format!("{dir}/kustomization.yaml"),
            contents: format!(
                "# Generated by planc from plan `{}`, environment `{}`, cluster `{cluster_name}` ({}).\n{requires}{}",
                ctx.plan_name(),
                env.name,
                cluster.source(),
                yaml::document(&kustomization)
            ),
        });
    }
    files
}

/// The alerts and SLOs on the cluster's workloads as one `PrometheusRule`
/// (monitoring.coreos.com/v1), when Prometheus evaluates alerts (`monitoring { metrics }`).
/// Each rule carries `severity` and `notify` labels for Alertmanager to route on.
fn prometheus_rule(ctx: &EmitCtx<'_>, env: &EnvFacts, cluster: &str) -> Option<Json> {
    // Workload metrics have no cloud: Prometheus evaluates them wherever the cluster runs.
    const PROMETHEUS: &str = "prometheus";
    use crate::deploy::monitoring::{self, Evaluation};
    if !ctx.facts.prometheus() {
        return None;
    }
    let namespace = ctx.plan_name();
    let on_cluster = |attrs: &crate::ir::EnvAttrs<'_>| {
        let target = ctx.find(get_ref(attrs, "on")?)?;
        let target_attrs = target.block.env_attrs(&env.name);
        let placed = crate::cost::model::is_workload(&target.block.kind)
            && ctx.exists_in(target.block, &env.name)
            && get_ref(&target_attrs, "cluster") == Some(cluster);
        placed.then_some(target)
    };
    let labels = |severity: &str, attrs: &crate::ir::EnvAttrs<'_>, source: &Located<'_>| {
        json!({
            "severity": severity,
            "notify": monitoring::notify_names(attrs).join(","),
            "plan_resource": format!("{}.{}", source.block.kind, source.name()),
        })
    };
    let mut alerts = Vec::new();
    let mut slos = Vec::new();
    for located in &ctx.blocks {
        let attrs = located.block.env_attrs(&env.name);
        if located.block.name.is_none() || !ctx.exists_in(located.block, &env.name) {
            continue;
        }
        match located.block.kind.as_str() {
            "alert" => {
                let Some(target) = on_cluster(&attrs) else { continue };
                let target_attrs = target.block.env_attrs(&env.name);
                let Some(metric_name) = attrs.get("metric").and_then(|it| it.as_str()) else { continue };
                let Ok((metric, Evaluation::Prometheus(template))) =
                    monitoring::evaluation(target.block, &target_attrs, PROMETHEUS, metric_name, true)
                else {
                    continue;
                };
                let Some(condition) = monitoring::condition(&attrs, metric.unit) else { continue };
                let expr = monitoring::promql(template, &target.block.kind, &dns_name(target.name()), &namespace);
                let operator = if condition.above { ">" } else { "<" };
                let own = attrs.get("description").and_then(|it| it.as_str()).map(String::from);
                alerts.push(json!({
                    "alert": rule_name(located.name()),
                    "expr": format!("({expr}) {operator} {}", condition.value),
                    "for": format!("{}m", condition.minutes),
                    "labels": labels(&condition.severity, &attrs, located),
                    "annotations": {
                        "summary": format!(
                            "{} of {} `{}` is {} {}{} ({})",
                            metric.name,
                            target.block.kind,
                            target.name(),
                            if condition.above { "above" } else { "below" },
                            condition.value,
                            match metric.unit {
                                crate::catalog::MetricUnit::Percent => "%",
                                crate::catalog::MetricUnit::Duration => " s",
                                crate::catalog::MetricUnit::Size => " bytes",
                                crate::catalog::MetricUnit::Count => "",
                            },
                            located.source()
                        ),
                        "description": own.unwrap_or_else(|| metric.doc.clone()),
                    },
                }));
            }
            "slo" => {
                let Some(target) = on_cluster(&attrs) else { continue };
                let Some((objective, days)) = monitoring::slo(&attrs) else { continue };
                let service = dns_name(target.name());
                let ratio = |minutes: u64| {
                    format!(
                        "sum(rate(http_requests_total{{namespace=\"{namespace}\", service=\"{service}\", code=~\"5..\"}}[{minutes}m])) / sum(rate(http_requests_total{{namespace=\"{namespace}\", service=\"{service}\"}}[{minutes}m]))"
                    )
                };
                for burn in monitoring::burn_rates(days) {
                    let limit = ((burn.burn * (1.0 - objective)) * 1e9).round() / 1e9;
                    slos.push(json!({
                        "alert": format!("{}{}Burn", rule_name(located.name()), capitalized(burn.name)),
                        "expr": format!("({}) > {limit} and ({}) > {limit}", ratio(burn.long_minutes), ratio(burn.short_minutes)),
                        "labels": labels(burn.severity, &attrs, located),
                        "annotations": {
                            "summary": format!("SLO `{}`: {}% of requests to `{}` succeed over {days}d; the error budget burns {:.1}x too fast ({})", located.name(), objective * 100.0, target.name(), burn.burn, located.source()),
                            "description": format!("5xx answers over {} min and {} min are above {} times the error budget.", burn.long_minutes, burn.short_minutes, burn.burn),
                        },
                    }));
                }
            }
            _ => {}
        }
    }
    let mut groups = Vec::new();
    if !alerts.is_empty() {
        groups.push(json!({ "name": format!("{namespace}.alerts"), "rules": alerts }));
    }
    if !slos.is_empty() {
        groups.push(json!({ "name": format!("{namespace}.slos"), "rules": slos }));
    }
    if groups.is_empty() {
        return None;
    }
    Some(json!({
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": format!("{namespace}-alerts"),
            "namespace": namespace,
            "labels": { "app.kubernetes.io/managed-by": "planc", "env": env.name },
        },
        "spec": { "groups": groups },
    }))
}

/// An alert name as Prometheus writes them: `db-cpu` is `DbCpu`.
fn rule_name(name: &str) -> String {
    name.split(|ch: char| !ch.is_ascii_alphanumeric()).map(capitalized).collect()
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn namespace(ctx: &EmitCtx<'_>, env: &EnvFacts) -> String {
    let doc = json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": ctx.plan_name(),
            "labels": {
                "app.kubernetes.io/part-of": ctx.plan_name(),
                "app.kubernetes.io/managed-by": "planc",
                "plan.dev/env": env.name,
                "pod-security.kubernetes.io/enforce": "restricted",
            },
        },
    });
    format!("# Generated by planc: the namespace of plan `{}`.\n{}", ctx.plan_name(), yaml::documents(&[doc]))
}

fn default_deny(ctx: &EmitCtx<'_>) -> Json {
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": { "name": "default-deny-ingress", "namespace": ctx.plan_name(), "labels": { "app.kubernetes.io/managed-by": "planc" } },
        "spec": { "podSelector": {}, "policyTypes": ["Ingress"] },
    })
}

fn labels(ctx: &EmitCtx<'_>, workload: &Located<'_>, env: &EnvFacts, version: Option<&str>) -> Map<String, Json> {
    let mut labels = Map::new();
    labels.insert("app.kubernetes.io/name".into(), json!(dns_name(workload.name())));
    labels.insert(
        "app.kubernetes.io/instance".into(),
        json!(format!("{}-{}", dns_name(workload.name()), dns_name(&env.name))),
    );
    if let Some(version) = version {
        labels.insert("app.kubernetes.io/version".into(), json!(version));
    }
    labels.insert("app.kubernetes.io/component".into(), json!(workload.block.kind));
    labels.insert("app.kubernetes.io/part-of".into(), json!(ctx.plan_name()));
    labels.insert("app.kubernetes.io/managed-by".into(), json!("planc"));
    labels
}

fn selector(workload: &Located<'_>, env: &EnvFacts) -> Json {
    let name = dns_name(workload.name());
    let instance = format!("{name}-{}", dns_name(&env.name));
    object([("app.kubernetes.io/name", name.into()), ("app.kubernetes.io/instance", instance.into())])
}

/// A label value from an image tag: `ghcr.io/acme/api:1.4.2` gives `1.4.2`.
fn image_version(image: &str) -> Option<String> {
    let last = image.rsplit('/').next()?;
    let (_, tag) = last.split_once(':')?;
    let tag = tag.split('@').next()?;
    let valid = !tag.is_empty()
        && tag.len() <= 63
        && tag.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.'));
    valid.then(|| tag.to_string())
}

fn metadata(ctx: &EmitCtx<'_>, name: &str, labels: &Map<String, Json>, source: &str) -> Json {
    object([
        ("name", name.into()),
        ("namespace", ctx.plan_name().into()),
        ("labels", Json::Object(labels.clone())),
        ("annotations", json!({ SOURCE_ANNOTATION: source })),
    ])
}

/// An object of `entries` in their order, the values moved in. `json!` takes a value it
/// interpolates by reference and serializes it into a copy: a pod spec went through that
/// three times, most of a large `build --target k8s`.
fn object<const N: usize>(entries: [(&str, Json); N]) -> Json {
    let mut map = Map::with_capacity(N);
    for (key, value) in entries {
        map.insert(key.to_string(), value);
    }
    Json::Object(map)
}

/// A manifest: `apiVersion`, `kind`, `metadata`, then `rest`.
fn manifest<const N: usize>(api_version: &str, kind: &str, metadata: Json, rest: [(&str, Json); N]) -> Json {
    let mut map = Map::with_capacity(N + 3);
    map.insert("apiVersion".into(), api_version.into());
    map.insert("kind".into(), kind.into());
    map.insert("metadata".into(), metadata);
    for (key, value) in rest {
        map.insert(key.to_string(), value);
    }
    Json::Object(map)
}

fn millicores(value: u64) -> String {
    if value % 1000 == 0 {
        (value / 1000).to_string()
    } else {
        format!("{value}m")
    }
}

fn bytes(value: u64) -> String {
    for (suffix, scale) in [("Ti", 1u64 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if value >= scale && value % scale == 0 {
            return format!("{}{suffix}", value / scale);
        }
    }
    value.to_string()
}

fn workload_manifests(
    ctx: &EmitCtx<'_>,
    env: &EnvFacts,
    workload: &Located<'_>,
    attrs: &EnvAttrs<'_>,
    cluster: &Block,
    flows: &[Flow],
) -> String {
    let name = dns_name(workload.name());
    let image = get_str(attrs, "image").unwrap_or("");
    let version = image_version(image);
    let labels = labels(ctx, workload, env, version.as_deref());
    let source = workload.source();
    let mut docs = Vec::new();

    docs.push(manifest(
        "v1",
        "ServiceAccount",
        metadata(ctx, &name, &labels, &source),
        [("automountServiceAccountToken", false.into())],
    ));

    // Environment: a ConfigMap for what is known now, the Terraform-filled Secret for the rest.
    let mut config = Map::new();
    let mut env_vars = Vec::new();
    for (key, value) in map_entries(attrs, "vars") {
        match ctx.var_route(value, env) {
            VarRoute::Literal(text) => {
                config.insert(key.to_string(), json!(text));
                env_vars.push(json!({ "name": key, "valueFrom": { "configMapKeyRef": { "name": format!("{name}-config"), "key": key } } }));
            }
            VarRoute::Applied => {
                env_vars.push(json!({ "name": key, "valueFrom": { "configMapKeyRef": { "name": outputs_config_name(workload.name()), "key": key } } }));
            }
            VarRoute::Secret => {
                env_vars.push(json!({ "name": key, "valueFrom": { "secretKeyRef": { "name": secret_name(workload.name()), "key": key } } }));
            }
        }
    }
    if !config.is_empty() {
        docs.push(manifest(
            "v1",
            "ConfigMap",
            metadata(ctx, &format!("{name}-config"), &labels, &source),
            [("data", Json::Object(config))],
        ));
    }

    let shape = crate::deploy::workload(&workload.block.kind, attrs);
    let (cpu, memory) = (shape.cpu, shape.memory);
    let port = get_int(attrs, "port");
    let mut container = Map::new();
    container.insert("name".into(), json!(name));
    container.insert("image".into(), json!(image));
    container.insert("imagePullPolicy".into(), json!("Always"));
    if let Some(command) = attrs.get("command") {
        if let ValueKind::List(items) = &command.kind {
            container.insert("command".into(), json!(items.iter().filter_map(Value::as_str).collect::<Vec<_>>()));
        }
    }
    if let Some(port) = port {
        container.insert("ports".into(), json!([{ "name": "http", "containerPort": port, "protocol": "TCP" }]));
    }
    if !env_vars.is_empty() {
        container.insert("env".into(), Json::Array(env_vars));
    }
    container.insert(
        "resources".into(),
        json!({
            "requests": { "cpu": millicores(cpu.0), "memory": bytes(memory.0) },
            "limits": { "cpu": millicores(cpu.1), "memory": bytes(memory.1) },
        }),
    );
    if let Some(port) = port {
        if let Some(health) = get_str(attrs, "health") {
            container.insert("livenessProbe".into(), json!({ "httpGet": { "path": health, "port": port }, "initialDelaySeconds": 10, "periodSeconds": 10, "timeoutSeconds": 2, "failureThreshold": 3 }));
        }
        // Without a readiness path, the liveness path tells when a pod can take traffic.
        if let Some(ready) = get_str(attrs, "ready").or(get_str(attrs, "health")) {
            container.insert("readinessProbe".into(), json!({ "httpGet": { "path": ready, "port": port }, "periodSeconds": 5, "timeoutSeconds": 2, "failureThreshold": 3 }));
        }
    }
    let run_as_root = attrs.get("run_as_root").and_then(Value::as_bool).unwrap_or(false);
    container.insert(
        "securityContext".into(),
        json!({
            "allowPrivilegeEscalation": false,
            "privileged": false,
            "readOnlyRootFilesystem": true,
            "runAsNonRoot": !run_as_root,
            "capabilities": { "drop": ["ALL"] },
        }),
    );
    if !run_as_root {
        container["securityContext"]["runAsUser"] = json!(RUN_AS);
        container["securityContext"]["runAsGroup"] = json!(RUN_AS);
    }
    container.insert("volumeMounts".into(), json!([{ "name": "tmp", "mountPath": "/tmp" }]));

    let mut pod_security = json!({ "seccompProfile": { "type": "RuntimeDefault" }, "runAsNonRoot": !run_as_root });
    if !run_as_root {
        pod_security["runAsUser"] = json!(RUN_AS);
        pod_security["runAsGroup"] = json!(RUN_AS);
        pod_security["fsGroup"] = json!(RUN_AS);
    }
    let mut pod_spec = object([
        ("serviceAccountName", name.as_str().into()),
        ("automountServiceAccountToken", false.into()),
        ("securityContext", pod_security),
        ("containers", Json::Array(vec![Json::Object(container)])),
        ("volumes", json!([{ "name": "tmp", "emptyDir": {} }])),
    ]);
    if let Some(pool) = crate::deploy::placement_pool(cluster, attrs, &env.name) {
        pod_spec["nodeSelector"] = json!({ crate::deploy::POOL_LABEL: pool.name });
        let tolerations: Vec<Json> = pool
            .taints
            .iter()
            .map(|taint| match taint.value.as_str() {
                "" => json!({ "key": taint.key, "operator": "Exists", "effect": taint.effect.kubernetes() }),
                value => json!({ "key": taint.key, "operator": "Equal", "value": value, "effect": taint.effect.kubernetes() }),
            })
            .collect();
        if !tolerations.is_empty() {
            pod_spec["tolerations"] = Json::Array(tolerations);
        }
    }
    if workload.block.kind != "job" {
        let topology = match crate::deploy::spread(attrs, &shape) {
            Spread::Zones => Some("topology.kubernetes.io/zone"),
            Spread::Nodes => Some("kubernetes.io/hostname"),
            Spread::None => None,
        };
        if let Some(topology) = topology {
            // Preferred, not required: a pool in fewer zones than replicas must still schedule.
            pod_spec["topologySpreadConstraints"] = json!([{
                "maxSkew": 1,
                "topologyKey": topology,
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": { "matchLabels": selector(workload, env) },
            }]);
        }
    }
    let pod_template = object([
        (
            "metadata",
            object([("labels", Json::Object(labels.clone())), ("annotations", json!({ SOURCE_ANNOTATION: source }))]),
        ),
        ("spec", pod_spec),
    ]);

    match workload.block.kind.as_str() {
        "job" => {
            let timeout = super::duration_seconds(attrs, "timeout");
            let mut job_spec = object([("backoffLimit", 3.into()), ("template", pod_template)]);
            job_spec["template"]["spec"]["restartPolicy"] = json!("Never");
            if let Some(timeout) = timeout {
                job_spec["activeDeadlineSeconds"] = json!(timeout.max(1));
            }
            match get_str(attrs, "schedule") {
                Some(schedule) => docs.push(manifest(
                    "batch/v1",
                    "CronJob",
                    metadata(ctx, &name, &labels, &source),
                    [(
                        "spec",
                        object([
                            ("schedule", schedule.into()),
                            ("concurrencyPolicy", "Forbid".into()),
                            ("successfulJobsHistoryLimit", 3.into()),
                            ("failedJobsHistoryLimit", 3.into()),
                            ("jobTemplate", object([("spec", job_spec)])),
                        ]),
                    )],
                )),
                None => {
                    docs.push(manifest("batch/v1", "Job", metadata(ctx, &name, &labels, &source), [("spec", job_spec)]))
                }
            }
        }
        _ => {
            let (low, high) = shape.replicas;
            let strategy = crate::deploy::strategy(&workload.block.kind, attrs);
            let mut spec = json!({
                "replicas": low.max(0),
                "revisionHistoryLimit": 5,
                "selector": { "matchLabels": selector(workload, env) },
            });
            let has_service = workload.block.kind == "service" && port.is_some();
            let (api_version, kind) = match &strategy {
                Strategy::Rolling { max_surge, max_unavailable } => {
                    spec["strategy"] = json!({ "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": amount(*max_unavailable), "maxSurge": amount(*max_surge) } });
                    ("apps/v1", "Deployment")
                }
                Strategy::Recreate => {
                    spec["strategy"] = json!({ "type": "Recreate" });
                    ("apps/v1", "Deployment")
                }
                Strategy::Canary { steps, pause_seconds, max_surge, max_unavailable } => {
                    let mut argo_steps = Vec::new();
                    for (index, weight) in steps.iter().enumerate() {
                        argo_steps.push(json!({ "setWeight": weight.get().round() as i64 }));
                        if index + 1 < steps.len() {
                            argo_steps.push(match pause_seconds {
                                Some(seconds) => json!({ "pause": { "duration": format!("{seconds}s") } }),
                                None => json!({ "pause": {} }),
                            });
                        }
                    }
                    let mut canary = json!({ "maxSurge": amount(*max_surge), "maxUnavailable": amount(*max_unavailable), "steps": argo_steps });
                    if has_service {
                        canary["stableService"] = json!(name);
                        canary["canaryService"] = json!(format!("{name}-canary"));
                    }
                    spec["strategy"] = json!({ "canary": canary });
                    ("argoproj.io/v1alpha1", "Rollout")
                }
                Strategy::BlueGreen { auto_promote, preview } => {
                    let mut blue_green = json!({ "activeService": name, "autoPromotionEnabled": auto_promote });
                    if *preview {
                        blue_green["previewService"] = json!(format!("{name}-preview"));
                    }
                    spec["strategy"] = json!({ "blueGreen": blue_green });
                    ("argoproj.io/v1alpha1", "Rollout")
                }
            };
            spec["template"] = pod_template;
            docs.push(manifest(api_version, kind, metadata(ctx, &name, &labels, &source), [("spec", spec)]));
            if high > low {
                let mut metrics = Vec::new();
                let cpu_target = super::field(attrs, "autoscale", "cpu").and_then(percent).unwrap_or(80);
                metrics.push(json!({ "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": cpu_target } } }));
                if let Some(memory_target) = super::field(attrs, "autoscale", "memory").and_then(percent) {
                    metrics.push(json!({ "type": "Resource", "resource": { "name": "memory", "target": { "type": "Utilization", "averageUtilization": memory_target } } }));
                }
                let mut hpa_spec = json!({
                    "scaleTargetRef": { "apiVersion": api_version, "kind": kind, "name": name },
                    "minReplicas": low,
                    "maxReplicas": high,
                    "metrics": metrics,
                });
                let mut behavior = Map::new();
                for (direction, key) in [("scale_up", "scaleUp"), ("scale_down", "scaleDown")] {
                    if let Some(policy) = crate::deploy::scale_policy(&workload.block.kind, attrs, direction) {
                        behavior.insert(key.into(), scaling_rules(policy));
                    }
                }
                if !behavior.is_empty() {
                    hpa_spec["behavior"] = Json::Object(behavior);
                }
                docs.push(manifest(
                    "autoscaling/v2",
                    "HorizontalPodAutoscaler",
                    metadata(ctx, &name, &labels, &source),
                    [("spec", hpa_spec)],
                ));
            }
            let mut pdb_spec = json!({ "selector": { "matchLabels": selector(workload, env) } });
            match crate::deploy::disruption(attrs, &shape) {
                Budget::MinAvailable(min) => pdb_spec["minAvailable"] = amount(min),
                Budget::MaxUnavailable(max) => pdb_spec["maxUnavailable"] = amount(max),
            }
            docs.push(manifest(
                "policy/v1",
                "PodDisruptionBudget",
                metadata(ctx, &name, &labels, &source),
                [("spec", pdb_spec)],
            ));
            if workload.block.kind == "service" {
                let cluster_name = cluster.name.as_deref().unwrap_or_default();
                let context = ServiceContext { port, strategy: &strategy, flows, cluster: cluster_name };
                service_manifests(ctx, env, workload, attrs, &name, &labels, &source, &context, &mut docs);
            }
        }
    }
    format!(
        "# Generated by planc from {} ({} `{}`), environment `{}`. Do not edit: change the plan.\n{}",
        source,
        workload.block.kind,
        workload.name(),
        env.name,
        yaml::documents(&docs)
    )
}

/// An int-or-string: `1` or `"25%"`.
fn amount(amount: Amount) -> Json {
    match amount {
        Amount::Pods(n) => json!(n),
        Amount::Percent(_) => json!(amount.text()),
    }
}

/// One direction of an HPA's `behavior`.
fn scaling_rules(policy: ScalePolicy) -> Json {
    let mut rules = json!({ "stabilizationWindowSeconds": policy.stabilization_seconds });
    if let Some(max) = policy.max {
        let (kind, value) = match max {
            Amount::Pods(n) => ("Pods", n),
            Amount::Percent(p) => ("Percent", p.get().round() as i64),
        };
        rules["policies"] = json!([{ "type": kind, "value": value, "periodSeconds": policy.period_seconds }]);
    }
    rules
}

fn percent(value: &Value) -> Option<i64> {
    match value.kind {
        ValueKind::Percent(p) => Some(p.get().round() as i64),
        _ => None,
    }
}

/// What a service's Services and NetworkPolicy depend on beyond its own attributes.
struct ServiceContext<'a> {
    port: Option<i64>,
    strategy: &'a Strategy,
    /// The flows into this service (LANGUAGE.md §10.2).
    flows: &'a [Flow],
    cluster: &'a str,
}

/// The NetworkPolicy ingress rules of a service: exactly the flows into it. Workloads of the
/// same cluster that reference it by pod labels, gateways from any namespace (the ingress
/// controller's), `allow` rules by IP range; a public service from anywhere on its port.
fn ingress_rules(
    ctx: &EmitCtx<'_>,
    env: &EnvFacts,
    service: &str,
    port: i64,
    public: bool,
    context: &ServiceContext<'_>,
) -> Vec<Json> {
    let service_port = || json!([{ "port": port, "protocol": "TCP" }]);
    if public {
        return vec![json!({ "ports": service_port() })];
    }
    let mut rules = Vec::new();
    let mut peers = Vec::new();
    for flow in context.flows.iter().filter(|it| it.to == service && it.rule.is_none()) {
        let Source::Block { kind, name } = &flow.from else { continue };
        match kind.as_str() {
            "service" | "worker" | "job" => {
                let Some(source) = ctx.find(name) else { continue };
                let source_attrs = source.block.env_attrs(&env.name);
                if get_ref(&source_attrs, "cluster") == Some(context.cluster) {
                    peers.push(json!({ "podSelector": { "matchLabels": selector(source, env) } }));
                }
            }
            "gateway" => peers.push(json!({ "namespaceSelector": {} })),
            _ => {}
        }
    }
    peers.dedup();
    // A gateway's ingress controller may run in any namespace; that covers every pod peer.
    let any_namespace = json!({ "namespaceSelector": {} });
    if peers.contains(&any_namespace) {
        peers = vec![any_namespace];
    }
    if !peers.is_empty() {
        rules.push(json!({ "from": peers, "ports": service_port() }));
    }
    for flow in context.flows.iter().filter(|it| it.to == service && it.rule.is_some()) {
        let cidr = match &flow.from {
            Source::Cidr(cidr) => cidr.clone(),
            Source::Internet => "0.0.0.0/0".to_string(),
            Source::Block { .. } => continue,
        };
        let protocol = match flow.protocol.as_str() {
            "udp" => "UDP",
            _ => "TCP",
        };
        let ports: Vec<Json> = flow
            .ports
            .iter()
            .flatten()
            .map(|range| match range.from == range.to {
                true => json!({ "port": range.from, "protocol": protocol }),
                false => json!({ "port": range.from, "endPort": range.to, "protocol": protocol }),
            })
            .collect();
        rules.push(json!({ "from": [{ "ipBlock": { "cidr": cidr } }], "ports": ports }));
    }
    rules
}

#[allow(clippy::too_many_arguments)]
fn service_manifests(
    ctx: &EmitCtx<'_>,
    env: &EnvFacts,
    workload: &Located<'_>,
    attrs: &EnvAttrs<'_>,
    name: &str,
    labels: &Map<String, Json>,
    source: &str,
    context: &ServiceContext<'_>,
    docs: &mut Vec<Json>,
) {
    let Some(port) = context.port else { return };
    let strategy = context.strategy;
    // Argo Rollouts points these at the canary or the new version's pods while it runs.
    let extra = match strategy {
        Strategy::Canary { .. } => Some("canary"),
        Strategy::BlueGreen { preview: true, .. } => Some("preview"),
        _ => None,
    };
    if let Some(suffix) = extra {
        docs.push(json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": metadata(ctx, &format!("{name}-{suffix}"), labels, source),
            "spec": {
                "type": "ClusterIP",
                "selector": selector(workload, env),
                "ports": [{ "name": "http", "port": port, "targetPort": "http", "protocol": "TCP" }],
            },
        }));
    }
    let expose = get_str(attrs, "expose").unwrap_or("internal");
    docs.push(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(ctx, name, labels, source),
        "spec": {
            "type": "ClusterIP",
            "selector": selector(workload, env),
            "ports": [{ "name": "http", "port": port, "targetPort": "http", "protocol": "TCP" }],
        },
    }));
    // Exactly the flows into the service; the namespace's default policy denies the rest.
    let rules = ingress_rules(ctx, env, workload.name(), port, expose == "public", context);
    if expose != "none" && !rules.is_empty() {
        docs.push(json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": metadata(ctx, &format!("{name}-ingress"), labels, source),
            "spec": {
                "podSelector": { "matchLabels": selector(workload, env) },
                "policyTypes": ["Ingress"],
                "ingress": rules,
            },
        }));
    }
    let host = get_str(attrs, "host");
    if expose == "public" || host.is_some() {
        let mut rule = json!({ "http": { "paths": [{ "path": "/", "pathType": "Prefix", "backend": { "service": { "name": name, "port": { "number": port } } } }] } });
        let mut spec = json!({ "ingressClassName": "nginx" });
        if let Some(host) = host {
            rule["host"] = json!(host);
            spec["tls"] = json!([{ "hosts": [host], "secretName": format!("{name}-tls") }]);
        }
        spec["rules"] = json!([rule]);
        docs.push(manifest("networking.k8s.io/v1", "Ingress", metadata(ctx, name, labels, source), [("spec", spec)]));
    }
}

/// An Ingress for a gateway's routes to the services on `cluster`.
fn gateway_ingress(ctx: &EmitCtx<'_>, env: &EnvFacts, gateway: &Located<'_>, cluster: &str) -> Option<Json> {
    let attrs = gateway.block.env_attrs(&env.name);
    let mut paths = Vec::new();
    for (path, target) in map_entries(&attrs, "routes") {
        let ValueKind::Ref(reference) = &target.kind else { continue };
        let Some(service) = ctx.find(&reference.name) else { continue };
        if service.block.kind != "service" {
            continue;
        }
        let service_attrs = service.block.env_attrs(&env.name);
        if get_ref(&service_attrs, "cluster") != Some(cluster) || !ctx.exists_in(service.block, &env.name) {
            continue;
        }
        let Some(port) = get_int(&service_attrs, "port") else { continue };
        let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
        paths.push(json!({ "path": path, "pathType": "Prefix", "backend": { "service": { "name": dns_name(&reference.name), "port": { "number": port } } } }));
    }
    if paths.is_empty() {
        return None;
    }
    let name = dns_name(gateway.name());
    let mut rule = json!({ "http": { "paths": paths } });
    let mut spec = json!({ "ingressClassName": "nginx" });
    let tls = attrs.get("tls").and_then(Value::as_bool).unwrap_or(true);
    if let Some(host) = get_str(&attrs, "host") {
        rule["host"] = json!(host);
        if tls {
            spec["tls"] = json!([{ "hosts": [host], "secretName": format!("{name}-tls") }]);
        }
    }
    spec["rules"] = json!([rule]);
    let mut labels = Map::new();
    labels.insert("app.kubernetes.io/name".into(), json!(name));
    labels.insert("app.kubernetes.io/component".into(), json!("gateway"));
    labels.insert("app.kubernetes.io/part-of".into(), json!(ctx.plan_name()));
    labels.insert("app.kubernetes.io/managed-by".into(), json!("planc"));
    let _ = Catalog::builtin();
    Some(manifest(
        "networking.k8s.io/v1",
        "Ingress",
        metadata(ctx, &name, &labels, &gateway.source()),
        [("spec", spec)],
    ))
}
