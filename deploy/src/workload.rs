//! How a `service`, `worker` or `job` is placed, updated, scaled and disrupted in one
//! environment (LANGUAGE.md §10.1), with the catalog's defaults applied once. The Kubernetes
//! emitter and the checks read these shapes; neither re-derives a default.

use super::{catalog_field_default, node_pools, NodePool, Workload};
use plan_ir::{Block, EnvAttrs, Value, ValueKind, F64};

/// A number of pods or a percentage of the desired count: Kubernetes' int-or-string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Amount {
    Pods(i64),
    Percent(F64),
}

impl Amount {
    pub fn from_value(value: &Value) -> Option<Amount> {
        match value.kind {
            ValueKind::Int(n) => Some(Amount::Pods(n)),
            ValueKind::Percent(p) => Some(Amount::Percent(p)),
            _ => None,
        }
    }

    /// Pods out of `desired`, rounding a percentage down (as Kubernetes does for
    /// `maxUnavailable`) or up (`maxSurge`, `minAvailable`).
    pub fn pods_of(self, desired: i64, round_up: bool) -> i64 {
        match self {
            Amount::Pods(n) => n,
            Amount::Percent(p) => {
                let exact = p.get() * desired as f64 / 100.0;
                (if round_up { exact.ceil() } else { exact.floor() }) as i64
            }
        }
    }

    pub fn is_zero(self) -> bool {
        match self {
            Amount::Pods(n) => n == 0,
            Amount::Percent(p) => p.get() == 0.0,
        }
    }

    /// `25%` or `1`, as the catalog and Kubernetes write it.
    pub fn text(self) -> String {
        match self {
            Amount::Pods(n) => n.to_string(),
            Amount::Percent(p) => format!("{}%", p.get()),
        }
    }
}

/// How a new version replaces the running one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Strategy {
    Rolling {
        max_surge: Amount,
        max_unavailable: Amount,
    },
    Recreate,
    /// Percent of pods on the new version per step; seconds to wait after each step but the
    /// last (`None`: until promoted).
    Canary {
        steps: Vec<F64>,
        pause_seconds: Option<u64>,
        max_surge: Amount,
        max_unavailable: Amount,
    },
    BlueGreen {
        auto_promote: bool,
        preview: bool,
    },
}

impl Strategy {
    /// Whether the workload is an Argo Rollouts `Rollout` rather than a Deployment.
    pub fn is_progressive(&self) -> bool {
        matches!(self, Strategy::Canary { .. } | Strategy::BlueGreen { .. })
    }
}

fn field<'a>(attrs: &'a EnvAttrs<'a>, attr: &str, name: &str) -> Option<&'a Value> {
    match &attrs.get(attr)?.kind {
        ValueKind::Map(entries) => entries.iter().find(|it| it.key == name).map(|it| &it.value),
        _ => None,
    }
}

fn entry_of<'a>(value: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    match &value?.kind {
        ValueKind::Map(entries) => entries.iter().find(|it| it.key == name).map(|it| &it.value),
        _ => None,
    }
}

/// A catalog default written as Plan source: `1`, `25%`, `15s`, `5min`, `[25%, 50%, 100%]`.
fn parse_default(text: &str) -> Option<ValueKind> {
    let text = text.trim();
    if let Some(list) = text.strip_prefix('[').and_then(|it| it.strip_suffix(']')) {
        let items = list.split(',').map(|it| parse_default(it).map(|kind| Value { kind, range: Default::default() }));
        return items.collect::<Option<Vec<_>>>().map(ValueKind::List);
    }
    match text {
        "true" => return Some(ValueKind::Bool(true)),
        "false" => return Some(ValueKind::Bool(false)),
        _ => {}
    }
    let split = text.find(|ch: char| !ch.is_ascii_digit() && ch != '.').unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    if unit.is_empty() {
        return number.parse().ok().map(ValueKind::Int);
    }
    let number: f64 = number.parse().ok()?;
    match plan_ir::unit(unit)? {
        (plan_ir::Dimension::Duration, scale) => Some(ValueKind::Duration((number * scale) as u64)),
        (plan_ir::Dimension::Percent, _) => Some(ValueKind::Percent(F64::new(number))),
        _ => None,
    }
}

/// The value of `attr.path...` as written, else the catalog's default for it.
fn value_or_default(kind: &str, attrs: &EnvAttrs<'_>, attr: &str, path: &[&str]) -> Option<ValueKind> {
    let mut value = attrs.get(attr);
    for name in path {
        value = entry_of(value, name);
    }
    match value {
        Some(value) => Some(value.kind.clone()),
        None => parse_default(catalog_field_default(kind, attr, path)?),
    }
}

fn amount(kind: &str, attrs: &EnvAttrs<'_>, attr: &str, path: &[&str]) -> Amount {
    match value_or_default(kind, attrs, attr, path) {
        Some(ValueKind::Int(n)) => Amount::Pods(n),
        Some(ValueKind::Percent(p)) => Amount::Percent(p),
        _ => Amount::Pods(0),
    }
}

fn seconds(kind: &str, attrs: &EnvAttrs<'_>, attr: &str, path: &[&str]) -> Option<u64> {
    match value_or_default(kind, attrs, attr, path)? {
        ValueKind::Duration(ms) => Some(ms / 1000),
        _ => None,
    }
}

fn flag(kind: &str, attrs: &EnvAttrs<'_>, attr: &str, path: &[&str]) -> bool {
    matches!(value_or_default(kind, attrs, attr, path), Some(ValueKind::Bool(true)))
}

/// The update strategy of a `service` or `worker`.
pub fn strategy(kind: &str, attrs: &EnvAttrs<'_>) -> Strategy {
    let name = field(attrs, "rollout", "strategy").and_then(Value::as_str).unwrap_or("rolling");
    let surge = || amount(kind, attrs, "rollout", &["max_surge"]);
    let unavailable = || amount(kind, attrs, "rollout", &["max_unavailable"]);
    match name {
        "recreate" => Strategy::Recreate,
        "canary" => {
            let steps = match value_or_default(kind, attrs, "rollout", &["steps"]) {
                Some(ValueKind::List(items)) => items
                    .iter()
                    .filter_map(|it| match it.kind {
                        ValueKind::Percent(p) => Some(p),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Strategy::Canary {
                steps,
                pause_seconds: seconds(kind, attrs, "rollout", &["pause"]),
                max_surge: surge(),
                max_unavailable: unavailable(),
            }
        }
        "blue_green" => Strategy::BlueGreen {
            auto_promote: flag(kind, attrs, "rollout", &["auto_promote"]),
            preview: flag(kind, attrs, "rollout", &["preview"]),
        },
        _ => Strategy::Rolling { max_surge: surge(), max_unavailable: unavailable() },
    }
}

/// One direction of the autoscaler's behaviour: at most `max` per `period_seconds`, after
/// looking back `stabilization_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScalePolicy {
    /// `None`: the direction's window is set but Kubernetes' default policies apply.
    pub max: Option<Amount>,
    pub period_seconds: u64,
    pub stabilization_seconds: u64,
}

/// `autoscale.scale_up` or `autoscale.scale_down`, when written.
pub fn scale_policy(kind: &str, attrs: &EnvAttrs<'_>, direction: &str) -> Option<ScalePolicy> {
    entry_of(attrs.get("autoscale"), direction)?;
    Some(ScalePolicy {
        max: entry_of(entry_of(attrs.get("autoscale"), direction), "max").and_then(Amount::from_value),
        period_seconds: seconds(kind, attrs, "autoscale", &[direction, "period"]).unwrap_or(15),
        stabilization_seconds: seconds(kind, attrs, "autoscale", &[direction, "stabilization"]).unwrap_or(0),
    })
}

/// The PodDisruptionBudget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Budget {
    MaxUnavailable(Amount),
    MinAvailable(Amount),
}

/// `disruption` as written; else one pod may go when there is one, and one must stay when
/// there can be two.
pub fn disruption(attrs: &EnvAttrs<'_>, workload: &Workload) -> Budget {
    if let Some(min) = field(attrs, "disruption", "min_available").and_then(Amount::from_value) {
        return Budget::MinAvailable(min);
    }
    if let Some(max) = field(attrs, "disruption", "max_unavailable").and_then(Amount::from_value) {
        return Budget::MaxUnavailable(max);
    }
    if workload.replicas.0 >= 2 {
        Budget::MinAvailable(Amount::Pods(1))
    } else {
        Budget::MaxUnavailable(Amount::Pods(1))
    }
}

/// Which topology the pods are spread over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Spread {
    Zones,
    Nodes,
    None,
}

/// `spread` as written; else over zones when there can be more than one pod.
pub fn spread(attrs: &EnvAttrs<'_>, workload: &Workload) -> Spread {
    match attrs.get("spread").and_then(Value::as_str) {
        Some("zones") => Spread::Zones,
        Some("nodes") => Spread::Nodes,
        Some(_) => Spread::None,
        None if workload.replicas.1 > 1 => Spread::Zones,
        None => Spread::None,
    }
}

/// The `cluster.pool` a workload is pinned to, as written: (cluster, pool).
pub fn pinned_pool<'a>(attrs: &'a EnvAttrs<'a>) -> Option<(&'a str, &'a str)> {
    match &attrs.get("node_pool")?.kind {
        ValueKind::Ref(reference) => Some((&reference.name, &reference.field.as_ref()?.0)),
        _ => None,
    }
}

/// The pool of `cluster` a workload is pinned to, in `env`.
pub fn placement_pool(cluster: &Block, attrs: &EnvAttrs<'_>, env: &str) -> Option<NodePool> {
    let (cluster_name, pool) = pinned_pool(attrs)?;
    if cluster.name.as_deref() != Some(cluster_name) {
        return None;
    }
    node_pools(cluster, env).into_iter().find(|it| it.name == pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_come_from_the_catalog() {
        assert_eq!(parse_default("5min"), Some(ValueKind::Duration(300_000)));
        assert_eq!(parse_default("25%"), Some(ValueKind::Percent(F64::new(25.0))));
        assert_eq!(parse_default("1"), Some(ValueKind::Int(1)));
        assert!(matches!(parse_default("[25%, 50%, 100%]"), Some(ValueKind::List(items)) if items.len() == 3));
        assert_eq!(catalog_field_default("service", "autoscale", &["scale_down", "stabilization"]), Some("5min"));
        assert_eq!(catalog_field_default("worker", "rollout", &["max_surge"]), Some("1"));
    }

    #[test]
    fn percentages_round_as_kubernetes_does() {
        let quarter = Amount::Percent(F64::new(25.0));
        assert_eq!(quarter.pods_of(3, false), 0);
        assert_eq!(quarter.pods_of(3, true), 1);
        assert_eq!(Amount::Pods(2).pods_of(10, true), 2);
    }
}
