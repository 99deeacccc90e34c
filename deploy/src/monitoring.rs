//! What the `monitoring`, `alert` and `slo` blocks mean in one environment (LANGUAGE.md
//! §10.3): where each alert is evaluated (the cloud's metric or a Prometheus expression), its
//! threshold in the cloud's unit, how long it must hold, and the log retention. The checker
//! reports what cannot be built from the same answers the emitters and the cost read.

use plan_catalog::{Catalog, CloudMetric, MetricSchema, MetricUnit};
use plan_ir::{Block, EnvAttrs, Value, ValueKind};

/// Where a metric comes from: `cloud`, `prometheus` or `both` (`monitoring { metrics }`).
pub fn metrics_source(monitoring: Option<&Block>) -> &str {
    monitoring
        .and_then(|it| it.attr("metrics"))
        .and_then(|it| it.value.as_str())
        .or_else(|| super::default_text("monitoring", "metrics"))
        .unwrap_or("cloud")
}

/// Whether Prometheus evaluates alerts on workloads.
pub fn prometheus_enabled(monitoring: Option<&Block>) -> bool {
    matches!(metrics_source(monitoring), "prometheus" | "both")
}

/// How an alert's metric is evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluation<'a> {
    /// The cloud's own metric of the watched resource.
    Cloud(&'a CloudMetric),
    /// A PromQL template (see `promql`).
    Prometheus(&'static str),
}

/// Why a metric cannot be evaluated for a target.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricProblem {
    /// The kind has no such metric; these are the ones it has.
    Unknown(Vec<String>),
    /// The kind has it, but not on this cloud; these are the ones the cloud has.
    NotOnCloud(Vec<String>),
    /// A workload metric, and Prometheus is not enabled.
    NeedsPrometheus,
    /// The target's engine is not watched yet (`memcached`, Azure SQL, Cosmos DB).
    EngineNotBuilt(String),
}

/// The metric `name` of `target` (a block of kind `kind`) on `cloud`, or why there is none.
pub fn evaluation(
    target: &Block,
    attrs: &EnvAttrs<'_>,
    cloud: &str,
    name: &str,
    prometheus: bool,
) -> Result<(&'static MetricSchema, Evaluation<'static>), MetricProblem> {
    let Some(schema) = Catalog::builtin().kind(&target.kind) else { return Err(MetricProblem::Unknown(Vec::new())) };
    let Some(metric) = schema.metric(name) else {
        return Err(MetricProblem::Unknown(schema.metrics.iter().map(|it| it.name.clone()).collect()));
    };
    if let Some(template) = &metric.prometheus {
        if !prometheus {
            return Err(MetricProblem::NeedsPrometheus);
        }
        return Ok((metric, Evaluation::Prometheus(template)));
    }
    let engine = attrs.get("engine").and_then(Value::as_str).or_else(|| super::default_text(&target.kind, "engine"));
    if let Some(engine) = engine {
        let built = match (target.kind.as_str(), cloud, engine) {
            ("cache", _, "memcached") => false,
            ("database", "azure", "sqlserver" | "mongodb") => false,
            // DocumentDB has no free-storage metric: its volume grows by itself.
            ("database", "aws", "mongodb") => !matches!(name, "storage_free"),
            _ => true,
        };
        if !built {
            return Err(MetricProblem::EngineNotBuilt(engine.to_string()));
        }
    }
    match metric.clouds.get(cloud) {
        Some(cloud_metric) => Ok((metric, Evaluation::Cloud(cloud_metric))),
        None => Err(MetricProblem::NotOnCloud(
            schema.metrics.iter().filter(|it| it.clouds.contains_key(cloud)).map(|it| it.name.clone()).collect(),
        )),
    }
}

/// A PromQL template with the workload's namespace, pods and Service (`name`, its Kubernetes
/// name) filled in. Pods are
/// matched by their controller's naming: `api-<hash>-<suffix>` for a Deployment or Rollout,
/// `report-<n>-<suffix>` or `report-<suffix>` for a (Cron)Job, so `api` does not match the pods
/// of `api-admin`.
pub fn promql(template: &str, kind: &str, name: &str, namespace: &str) -> String {
    let pods = match kind {
        "job" => format!("{name}(-[0-9]+)?-[a-z0-9]{{5}}"),
        _ => format!("{name}-[a-z0-9]{{5,10}}-[a-z0-9]{{5}}"),
    };
    template.replace("{namespace}", namespace).replace("{pods}", &pods).replace("{service}", name)
}

/// A threshold in Plan's unit for `unit`: a percentage as 0 to 100, a size in bytes, a
/// duration in seconds, a count. `None` when the value is of another unit.
pub fn threshold(value: &Value, unit: MetricUnit) -> Option<f64> {
    match (&value.kind, unit) {
        (ValueKind::Percent(p), MetricUnit::Percent) => Some(p.get()),
        (ValueKind::Size(bytes), MetricUnit::Size) => Some(*bytes as f64),
        (ValueKind::Duration(ms), MetricUnit::Duration) => Some(*ms as f64 / 1000.0),
        (ValueKind::Int(n), MetricUnit::Count) => Some(*n as f64),
        (ValueKind::Float(f), MetricUnit::Count) => Some(f.get()),
        _ => None,
    }
}

/// An alert's condition in one environment.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// `true` for `above`, `false` for `below`.
    pub above: bool,
    /// In Plan's unit (see `threshold`).
    pub value: f64,
    /// How long the condition must hold, in whole minutes (at least 1).
    pub minutes: u64,
    pub severity: String,
}

/// The condition of an alert, when `above` or `below` has the metric's unit.
pub fn condition(attrs: &EnvAttrs<'_>, unit: MetricUnit) -> Option<Condition> {
    let (above, value) = match (attrs.get("above"), attrs.get("below")) {
        (Some(value), None) => (true, value),
        (None, Some(value)) => (false, value),
        _ => return None,
    };
    let ms = match attrs.get("for").map(|it| &it.kind) {
        Some(ValueKind::Duration(ms)) => *ms,
        _ => super::default_duration_ms("alert", "for").unwrap_or(300_000),
    };
    let severity = attrs
        .get("severity")
        .and_then(Value::as_str)
        .or_else(|| super::default_text("alert", "severity"))
        .unwrap_or("warning")
        .to_string();
    Some(Condition { above, value: threshold(value, unit)?, minutes: (ms / 60_000).max(1), severity })
}

/// The value a cloud compares with: Plan's unit times the metric's `scale`.
pub fn cloud_threshold(value: f64, metric: &CloudMetric) -> f64 {
    // Rounded to nine decimals so that 80% × 0.01 is written 0.8, not 0.8000000000000002.
    (value * metric.scale.unwrap_or(1.0) * 1e9).round() / 1e9
}

/// The monitoring block's log retention in days, and the volume a month in bytes.
pub fn logs(monitoring: &Block) -> (u64, Option<u64>) {
    let fields = match monitoring.attr("logs").map(|it| &it.value.kind) {
        Some(ValueKind::Map(entries)) => entries.as_slice(),
        _ => &[],
    };
    let field = |name: &str| fields.iter().find(|it| it.key == name).map(|it| &it.value.kind);
    let retention_ms = match field("retention") {
        Some(ValueKind::Duration(ms)) => *ms,
        _ => 30 * 86_400_000,
    };
    let volume = match field("volume") {
        Some(ValueKind::Size(bytes)) => Some(*bytes),
        _ => None,
    };
    (retention_ms / 86_400_000, volume)
}

/// An SLO's objective as a fraction (0.999) and its window in whole days.
pub fn slo(attrs: &EnvAttrs<'_>) -> Option<(f64, u64)> {
    let objective = match attrs.get("objective")?.kind {
        ValueKind::Percent(p) => p.get() / 100.0,
        _ => return None,
    };
    let window_ms = match attrs.get("window").map(|it| &it.kind) {
        Some(ValueKind::Duration(ms)) => *ms,
        _ => super::default_duration_ms("slo", "window").unwrap_or(30 * 86_400_000),
    };
    Some((objective, window_ms / 86_400_000))
}

/// One burn-rate alert of an SLO (Google SRE workbook, "Alerting on SLOs"): the error rate
/// `burn` times the budget over the `long` window, confirmed over the `short` one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurnRate {
    pub name: &'static str,
    pub burn: f64,
    pub long_minutes: u64,
    pub short_minutes: u64,
    pub severity: &'static str,
}

/// The fast and the slow burn-rate alerts for a window of `days`: 2% of the budget in 1 h and
/// 5% in 6 h, as for the workbook's 30 days, with the burn rates scaled to the window.
pub fn burn_rates(days: u64) -> [BurnRate; 2] {
    let scale = days.max(1) as f64 / 30.0;
    [
        BurnRate { name: "fast", burn: 14.4 * scale, long_minutes: 60, short_minutes: 5, severity: "critical" },
        BurnRate { name: "slow", burn: 6.0 * scale, long_minutes: 360, short_minutes: 30, severity: "warning" },
    ]
}

/// The names of the channels an alert or SLO notifies.
pub fn notify_names(attrs: &EnvAttrs<'_>) -> Vec<String> {
    match attrs.get("notify").map(|it| &it.kind) {
        Some(ValueKind::List(items)) => items
            .iter()
            .filter_map(|it| match &it.kind {
                ValueKind::Ref(reference) => Some(reference.name.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
