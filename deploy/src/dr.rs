//! Disaster recovery (LANGUAGE.md §10.4): the plan's objectives, what each strategy can
//! deliver, and the recovery point and time each database, bucket and cache achieves from
//! its declared settings. The checker proves the objectives from these answers; the emitters
//! build the DR copies the same settings name.
//!
//! The figures are planc's reading of the AWS whitepaper "Disaster Recovery of Workloads on
//! AWS" (backup and restore: hours; pilot light: tens of minutes; warm standby: minutes;
//! multi-site active/active: near zero) and of the providers' replication guarantees (S3
//! Replication Time Control and GCS turbo replication: 15 minutes; RDS PITR: within 5
//! minutes; asynchronous read replicas: typically seconds, counted as a minute).

use plan_ir::{Block, EnvAttrs, Value, ValueKind};

const MINUTE: u64 = 60_000;
const HOUR: u64 = 60 * MINUTE;

/// The plan's `dr { }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Objectives {
    pub region: Option<String>,
    /// Milliseconds.
    pub rpo: Option<u64>,
    pub rto: Option<u64>,
    pub strategy: String,
}

pub fn objectives(plan: &Block) -> Option<Objectives> {
    let ValueKind::Map(entries) = &plan.attr("dr")?.value.kind else { return None };
    let field = |name: &str| entries.iter().find(|it| it.key == name).map(|it| &it.value);
    let duration = |name: &str| match field(name).map(|it| &it.kind) {
        Some(ValueKind::Duration(ms)) => Some(*ms),
        _ => None,
    };
    Some(Objectives {
        region: field("region").and_then(Value::as_str).map(String::from),
        rpo: duration("rpo"),
        rto: duration("rto"),
        strategy: field("strategy")
            .and_then(Value::as_str)
            .unwrap_or(super::catalog_field_default("plan", "dr", &["strategy"]).unwrap_or("backup_restore"))
            .to_string(),
    })
}

/// The strategies, fastest last, with the shortest recovery time each can deliver.
pub const STRATEGIES: [(&str, u64); 4] = [
    ("backup_restore", 4 * HOUR),
    ("pilot_light", 30 * MINUTE),
    ("warm_standby", 5 * MINUTE),
    ("active_active", MINUTE),
];

pub fn strategy_rto(strategy: &str) -> u64 {
    STRATEGIES.iter().find(|(name, _)| *name == strategy).map_or(4 * HOUR, |(_, rto)| *rto)
}

/// What a resource achieves after losing its region, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovery {
    /// `None`: the data is not outside the region at all.
    pub rpo: Option<u64>,
    /// `None`: nothing to recover from in the DR region.
    pub rto: Option<u64>,
    /// What provides it: "a replica in us-west-2", "daily backups".
    pub by: String,
    /// What would do better, as advice for the diagnostic.
    pub better: &'static str,
}

/// The cross-region replicas of a database in environment `env`, as (name, region).
pub fn replicas<'a>(database: &'a Block, env: &str) -> Vec<(&'a str, &'a str)> {
    database
        .children
        .iter()
        .filter(|it| it.kind == "replica")
        .filter(|it| plan_ir::exists_in(&it.env_attrs(env), env))
        .filter_map(|it| Some((it.name.as_deref()?, it.attr("region")?.value.as_str()?)))
        .collect()
}

/// The recovery a database, bucket or cache achieves in `dr_region` under `strategy`.
/// Where a block lives in one environment.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub env: &'a str,
    pub cloud: &'a str,
    pub region: &'a str,
}

pub fn recovery(
    block: &Block,
    attrs: &EnvAttrs<'_>,
    place: Place<'_>,
    dr_region: &str,
    strategy: &str,
) -> Option<Recovery> {
    let Place { env, cloud, region } = place;
    let _ = strategy; // Each resource's own recovery; REL217 bounds the plan's by the strategy.
    Some(match block.kind.as_str() {
        "database" => {
            if replicas(block, env).iter().any(|(_, region)| *region == dr_region) {
                Recovery {
                    rpo: Some(MINUTE),
                    rto: Some(5 * MINUTE),
                    by: format!("a replica in {dr_region}, promoted"),
                    better: "a replica recovers within about a minute of data and five minutes: relax the objective to that",
                }
            } else {
                let pitr = match attrs.get("backup").map(|it| &it.kind) {
                    Some(ValueKind::Map(entries)) => {
                        entries.iter().find(|it| it.key == "pitr").and_then(|it| it.value.as_bool())
                    }
                    _ => None,
                }
                .unwrap_or(true);
                Recovery {
                    // Backups copied to the DR region: the latest restorable point, or the day's snapshot.
                    rpo: Some(if pitr { 5 * MINUTE } else { 24 * HOUR }),
                    rto: Some(4 * HOUR),
                    by: if pitr { "point-in-time backups, restored".into() } else { "daily backups, restored".into() },
                    better: "add a cross-region replica in the DR region: `replica dr { region = \"...\" }`",
                }
            }
        }
        // Azure storage accounts are geo-redundant to the region's pair: a copy exists there,
        // readable after a failover (about an hour) or at once with `replicate_to` (RA-GRS).
        "bucket" if cloud == "azure" && attrs.get("replicate_to").is_none() && azure_pair(region) == Some(dr_region) => {
            Recovery {
            rpo: Some(15 * MINUTE),
            rto: Some(HOUR),
            by: format!("geo-redundant storage in {dr_region}, after a failover"),
                better: "make the copy readable at once with `replicate_to` the paired region",
            }
        }
        "bucket" => match attrs.get("replicate_to").and_then(Value::as_str) {
            Some(region) if region == dr_region => Recovery {
                rpo: Some(15 * MINUTE),
                rto: Some(MINUTE),
                by: format!("replication to {dr_region}"),
                better: "replication guarantees 15 minutes: relax `rpo` to 15min, or keep the data in a database with a replica",
            },
            _ => Recovery {
                rpo: None,
                rto: None,
                by: "no copy outside its region".into(),
                better: "replicate it to the DR region: `replicate_to = \"...\"`",
            },
        },
        // ElastiCache keeps daily snapshots of Redis (7 days unless `backup` says otherwise);
        // memcached keeps none.
        "cache" => match attrs.get("engine").and_then(Value::as_str) != Some("memcached")
            && (cloud == "aws" || attrs.get("backup").is_some())
        {
            true => Recovery {
                rpo: Some(24 * HOUR),
                rto: Some(HOUR),
                by: "daily snapshots, restored".into(),
                better: "snapshots are daily: rebuild the cache from its source after a failover (and mark it `// planc:ignore REL216`), or keep the data in a database",
            },
            false => Recovery {
                rpo: None,
                rto: None,
                by: "no backups".into(),
                better: "take daily snapshots with `backup { retention = 7d }`, or rebuild the cache from its source after a failover (`// planc:ignore REL216`)",
            },
        },
        _ => return None,
    })
}

/// The multi-region a GCS dual-region of two regions belongs to: both in the US, in Europe or
/// in Asia (Cloud Storage "configurable dual-regions").
pub fn gcs_multi_region(a: &str, b: &str) -> Option<&'static str> {
    let continent = |region: &str| match region.split('-').next()? {
        "us" => Some("US"),
        "europe" => Some("EU"),
        "asia" => Some("ASIA"),
        _ => None,
    };
    let (first, second) = (continent(a)?, continent(b)?);
    (first == second && a != b).then_some(first)
}

/// The region Azure geo-redundant storage copies a region's data to: its pair (Microsoft
/// Learn, "Azure cross-region replication pairings for all geographies", read 2026-12-07).
pub fn azure_pair(region: &str) -> Option<&'static str> {
    const PAIRS: &[(&str, &str)] = &[
        ("eastus", "westus"),
        ("eastus2", "centralus"),
        ("northcentralus", "southcentralus"),
        ("westus2", "westcentralus"),
        ("westus3", "eastus"),
        ("canadacentral", "canadaeast"),
        ("brazilsouth", "southcentralus"),
        ("northeurope", "westeurope"),
        ("uksouth", "ukwest"),
        ("francecentral", "francesouth"),
        ("germanywestcentral", "germanynorth"),
        ("switzerlandnorth", "switzerlandwest"),
        ("norwayeast", "norwaywest"),
        ("swedencentral", "swedensouth"),
        ("eastasia", "southeastasia"),
        ("japaneast", "japanwest"),
        ("koreacentral", "koreasouth"),
        ("centralindia", "southindia"),
        ("australiaeast", "australiasoutheast"),
        ("southafricanorth", "southafricawest"),
        ("uaenorth", "uaecentral"),
    ];
    PAIRS.iter().find_map(|(a, b)| {
        if *a == region {
            Some(*b)
        } else if *b == region && region != "eastus" && region != "southcentralus" {
            // West US 3 and Brazil South pair one way: East US and South Central US pair elsewhere.
            Some(*a)
        } else {
            None
        }
    })
}
