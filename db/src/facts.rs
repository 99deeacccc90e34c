//! Plan-wide facts without positions: the plan's cloud and region, the environments and the
//! policy. Rules and the cost model read these instead of the raw blocks, so an edit that
//! changes none of them leaves every file's rule results cached.

use crate::ir::{Block, Value, ValueKind};
use crate::{file_ir, Db, Workspace};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PlanFacts {
    pub name: Option<String>,
    pub cloud: Option<String>,
    pub region: Option<String>,
    pub pattern: Option<String>,
    /// Micro-USD per month.
    pub budget: Option<i64>,
    pub tags: Vec<(String, String)>,
    /// The declared environments in name order, or the one `default` environment.
    pub envs: Vec<EnvFacts>,
    pub policy: PolicyFacts,
    /// The `monitoring` block's `metrics` (`cloud`, `prometheus`, `both`); `None` without one.
    pub metrics: Option<String>,
    /// The blocks `alert` and `slo` blocks watch: (name, kind), for the cost of each alert.
    pub watched: Vec<(String, String)>,
    /// The plan's disaster-recovery objectives (`dr { }`), in milliseconds.
    pub dr: Option<DrFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct DrFacts {
    pub region: Option<String>,
    pub rpo: Option<u64>,
    pub rto: Option<u64>,
    pub strategy: String,
}

impl PlanFacts {
    /// Whether Prometheus evaluates alerts on workloads (LANGUAGE.md §10.3).
    pub fn prometheus(&self) -> bool {
        matches!(self.metrics.as_deref(), Some("prometheus" | "both"))
    }

    /// The kind of a block an alert or SLO watches.
    pub fn watched_kind(&self, name: &str) -> Option<&str> {
        self.watched.iter().find(|(watched, _)| watched == name).map(|(_, kind)| kind.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct EnvFacts {
    pub name: String,
    pub budget: Option<i64>,
    pub region: Option<String>,
    pub cloud: Option<String>,
    pub production: bool,
    pub tags: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PolicyFacts {
    pub require_tags: Vec<String>,
    /// Code to `error`, `warning`, `info` or `off`.
    pub severity: Vec<(String, String)>,
    pub allowed_regions: Vec<String>,
}

impl PlanFacts {
    pub fn env(&self, name: &str) -> Option<&EnvFacts> {
        self.envs.iter().find(|it| it.name == name)
    }

    /// Where a block lives in an environment: its own setting, then the env's, then the plan's.
    pub fn cloud_of(&self, block_attrs: &crate::ir::EnvAttrs<'_>, env: &EnvFacts) -> Option<String> {
        block_attrs
            .get("cloud")
            .and_then(|it| it.as_str().map(String::from))
            .or_else(|| env.cloud.clone())
            .or_else(|| self.cloud.clone())
    }

    pub fn region_of(&self, block_attrs: &crate::ir::EnvAttrs<'_>, env: &EnvFacts) -> Option<String> {
        block_attrs
            .get("region")
            .and_then(|it| it.as_str().map(String::from))
            .or_else(|| env.region.clone())
            .or_else(|| self.region.clone())
    }

    /// Tags merged from the plan, then the env, then the block; the more specific wins.
    pub fn merged_tags(&self, block_tags: Option<&Value>, env: &EnvFacts) -> Vec<(String, String)> {
        let mut tags: Vec<(String, String)> = self.tags.clone();
        let mut set = |key: &str, value: &str| match tags.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value.to_string(),
            None => tags.push((key.to_string(), value.to_string())),
        };
        for (key, value) in &env.tags {
            set(key, value);
        }
        if let Some(Value { kind: ValueKind::Map(entries), .. }) = block_tags {
            for entry in entries {
                set(&entry.key, entry.value.as_str().unwrap_or(""));
            }
        }
        tags
    }
}

fn string_map(value: Option<&Value>) -> Vec<(String, String)> {
    match value {
        Some(Value { kind: ValueKind::Map(entries), .. }) => {
            entries.iter().map(|entry| (entry.key.clone(), entry.value.as_str().unwrap_or("").to_string())).collect()
        }
        _ => Vec::new(),
    }
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value { kind: ValueKind::List(items), .. }) => {
            items.iter().filter_map(|it| it.as_str().map(String::from)).collect()
        }
        _ => Vec::new(),
    }
}

fn money(value: Option<&Value>) -> Option<i64> {
    match value?.kind {
        ValueKind::Money(micros) => Some(micros),
        _ => None,
    }
}

fn text(block: &Block, name: &str) -> Option<String> {
    block.attr(name).and_then(|attr| attr.value.as_str().map(String::from))
}

pub(crate) fn compute(db: &dyn Db, workspace: Workspace) -> PlanFacts {
    let mut facts = PlanFacts::default();
    let mut plan_seen = false;
    let mut policy_seen = false;
    let mut monitoring_seen = false;
    for &file in workspace.files(db) {
        for block in &file_ir(db, file).value.blocks {
            match block.kind.as_str() {
                "plan" if !plan_seen => {
                    plan_seen = true;
                    facts.name = block.name.clone();
                    facts.cloud = text(block, "cloud");
                    facts.region = text(block, "region");
                    facts.pattern = text(block, "pattern");
                    facts.budget = money(block.attr("budget").map(|it| &it.value));
                    facts.tags = string_map(block.attr("tags").map(|it| &it.value));
                    facts.dr = crate::deploy::dr::objectives(block).map(|it| DrFacts {
                        region: it.region,
                        rpo: it.rpo,
                        rto: it.rto,
                        strategy: it.strategy,
                    });
                }
                "env" => {
                    let Some(name) = &block.name else { continue };
                    if facts.envs.iter().any(|it| &it.name == name) {
                        continue;
                    }
                    facts.envs.push(EnvFacts {
                        name: name.clone(),
                        budget: money(block.attr("budget").map(|it| &it.value)),
                        region: text(block, "region"),
                        cloud: text(block, "cloud"),
                        production: block.attr("production").and_then(|it| it.value.as_bool()).unwrap_or(false),
                        tags: string_map(block.attr("tags").map(|it| &it.value)),
                    });
                }
                "monitoring" if !monitoring_seen => {
                    monitoring_seen = true;
                    facts.metrics = Some(crate::deploy::monitoring::metrics_source(Some(block)).to_string());
                }
                "policy" if !policy_seen => {
                    policy_seen = true;
                    facts.policy.require_tags = string_list(block.attr("require_tags").map(|it| &it.value));
                    facts.policy.allowed_regions = string_list(block.attr("allowed_regions").map(|it| &it.value));
                    facts.policy.severity = string_map(block.attr("severity").map(|it| &it.value));
                }
                _ => {}
            }
        }
    }
    let watched: std::collections::BTreeSet<String> = workspace
        .files(db)
        .iter()
        .flat_map(|&file| file_ir(db, file).value.blocks.iter())
        .filter(|block| matches!(block.kind.as_str(), "alert" | "slo"))
        .filter_map(|block| match &block.attr("on")?.value.kind {
            ValueKind::Ref(reference) => Some(reference.name.clone()),
            _ => None,
        })
        .collect();
    if !watched.is_empty() {
        for &file in workspace.files(db) {
            for block in &file_ir(db, file).value.blocks {
                if let Some(name) = block.name.as_ref().filter(|it| watched.contains(*it)) {
                    if !facts.watched.iter().any(|(known, _)| known == name) {
                        facts.watched.push((name.clone(), block.kind.clone()));
                    }
                }
            }
        }
    }
    if facts.envs.is_empty() {
        facts.envs.push(EnvFacts { name: "default".into(), ..EnvFacts::default() });
    }
    facts.envs.sort_by(|a, b| a.name.cmp(&b.name));
    facts
}
