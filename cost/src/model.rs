//! The cost model: the monthly cost of one block in one environment, from the price tables.
//!
//! Costs are ranges: the low end at the low replica, node and instance counts, the high end at
//! the high ones. On-demand list prices, 730 hours a month, no data transfer. Usage-based
//! prices (function invocations, stored bytes, messages) need the usage attribute; without it
//! the component is listed as usage-based rather than priced at zero. A class the tables do not
//! price is reported as unknown, never as free.

use std::collections::BTreeMap;

use super::Money;
use crate::catalog::pricing::{CloudPrices, PriceBook, RegionPricing};
use crate::catalog::versions::{KubernetesSupport, Versions};
use crate::db::facts::{EnvFacts, PlanFacts};
use crate::ir::{Block, EnvAttrs, Value, ValueKind};

/// One priced component of a resource: `3 × m6i.large nodes`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CostLine {
    pub label: String,
    pub low: Money,
    pub high: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ResourceCost {
    pub kind: String,
    pub name: String,
    pub env: String,
    pub cloud: String,
    pub region: String,
    pub low: Money,
    pub high: Money,
    pub lines: Vec<CostLine>,
    /// Usage-based components without usage, and assumptions made for this resource.
    pub notes: Vec<String>,
    /// The main price that could not be found: the resource's cost is unknown.
    pub unknown: Vec<String>,
    /// Extra components the tables have no price for (a WAF, a NAT priced per VM): the
    /// estimate is low by that much, and the report says so.
    pub partial: Vec<String>,
    /// Set when the region is priced by a multiplier rather than exactly.
    pub estimated_region: Option<String>,
    /// A workload's share of its cluster: shown, but not added to totals (the nodes are).
    pub allocated_from: Option<String>,
}

impl ResourceCost {
    fn add(&mut self, label: impl Into<String>, low: Money, high: Money) {
        self.low += low;
        self.high += high;
        self.lines.push(CostLine { label: label.into(), low, high });
    }

    fn add_fixed(&mut self, label: impl Into<String>, monthly: Money) {
        self.add(label, monthly, monthly);
    }
}

/// What the cost model knows of a cluster in an environment, for workloads on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ClusterCapacity {
    /// Millicores and bytes at the low and high node counts.
    pub cpu_low: u64,
    pub cpu_high: u64,
    pub memory_low: u64,
    pub memory_high: u64,
    /// Monthly cost of the nodes at the low and high counts.
    pub nodes_low: Money,
    pub nodes_high: Money,
    /// The largest single node: millicores and bytes.
    pub largest_node_cpu: u64,
    pub largest_node_memory: u64,
    /// Each node pool, for workloads placed on one.
    pub pools: Vec<PoolCapacity>,
}

/// One node pool of a cluster in one environment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PoolCapacity {
    pub name: String,
    pub class: String,
    /// One node: millicores and bytes; 0 when the catalog does not know the class.
    pub node_cpu: u64,
    pub node_memory: u64,
    /// Nodes at the high end.
    pub nodes_high: i64,
    /// A taint that keeps off pods that do not tolerate it (NoSchedule or NoExecute).
    pub repels: Option<String>,
}

pub struct CostContext<'a> {
    pub facts: &'a PlanFacts,
    pub prices: &'a PriceBook,
    /// Cluster name to env name to capacity.
    pub clusters: &'a BTreeMap<String, BTreeMap<String, ClusterCapacity>>,
}

pub use crate::deploy::quantity_range;

fn bool_attr(attrs: &EnvAttrs<'_>, name: &str) -> Option<bool> {
    attrs.get(name).and_then(Value::as_bool)
}

fn text_attr<'a>(attrs: &'a EnvAttrs<'a>, name: &str) -> Option<&'a str> {
    attrs.get(name).and_then(Value::as_str)
}

fn size_gb(attrs: &EnvAttrs<'_>, name: &str) -> Option<i128> {
    match attrs.get(name)?.kind {
        ValueKind::Size(bytes) => Some(crate::deploy::disk_gb(bytes) as i128),
        _ => None,
    }
}

fn int_attr(attrs: &EnvAttrs<'_>, name: &str) -> Option<i64> {
    attrs.get(name).and_then(Value::as_int)
}

fn ref_name(attrs: &EnvAttrs<'_>, name: &str) -> Option<String> {
    match &attrs.get(name)?.kind {
        ValueKind::Ref(reference) => Some(reference.name.clone()),
        _ => None,
    }
}

/// Workloads run on a cluster's nodes: their cost is a share of the cluster's, not their own.
pub fn is_workload(kind: &str) -> bool {
    matches!(kind, "service" | "worker" | "job")
}

pub use crate::ir::exists_in;

/// Applies the region's multiplier to a main-region price.
fn regional(price: Money, pricing: RegionPricing) -> Money {
    match pricing {
        RegionPricing::Estimated(multiplier) => price.scale((multiplier * 1_000_000.0).round() as i128, 1_000_000),
        _ => price,
    }
}

/// The Cloud SQL custom tier `db-custom-<vcpu>-<MiB>`: (vcpu, MiB).
pub fn cloud_sql_custom(tier: &str) -> Option<(u32, u32)> {
    let rest = tier.strip_prefix("db-custom-")?;
    let (vcpu, mib) = rest.split_once('-')?;
    let (vcpu, mib): (u32, u32) = (vcpu.parse().ok()?, mib.parse().ok()?);
    (vcpu >= 1 && mib >= 256 && mib % 256 == 0).then_some((vcpu, mib))
}

/// The hourly price of a machine class in a region: the table's own price for the region where
/// it has one (said in a note), else the main region's times the region's multiplier.
pub fn compute_hourly(
    prices: &CloudPrices,
    class: &str,
    region: &str,
    main_hourly: Money,
    pricing: RegionPricing,
    cost: &mut ResourceCost,
) -> Money {
    match prices.compute_hourly_in(class, region) {
        Some(exact) => {
            if region != prices.main_region {
                let note = format!("`{class}` at {region}'s own rate (not estimated)");
                if !cost.notes.contains(&note) {
                    cost.notes.push(note);
                }
            }
            exact
        }
        None => regional(main_hourly, pricing),
    }
}

/// Price of a node or VM size: hourly and (vcpu, memory GiB).
pub fn compute_class(prices: &CloudPrices, size: &str) -> Option<crate::catalog::pricing::PricedClass> {
    prices.class(&["compute"], size)
}

/// The monthly price of one disk at the cloud's main-region list price: per GB by type, plus
/// gp3 IOPS and throughput above the free baseline. `Err` names what the tables lack.
pub fn disk_monthly(prices: &CloudPrices, cloud: &str, disk: &crate::deploy::Disk) -> Result<Money, String> {
    let gb = crate::deploy::disk_gb(disk.bytes) as i128;
    let key = match (cloud, disk.kind.as_deref()) {
        ("gcp", Some("ssd")) => "block_ssd_gb_month",
        ("gcp", Some("hdd")) => "block_hdd_gb_month",
        ("azure", Some(kind @ ("balanced" | "hdd"))) => {
            return Err(format!("Azure {} disk", if kind == "hdd" { "Standard HDD" } else { "Standard SSD" }))
        }
        _ => "block_gb_month",
    };
    let per_gb = prices.price(&["storage", key]).ok_or_else(|| format!("{key} disk storage"))?;
    let mut total = per_gb.times(gb);
    if cloud == "aws" {
        if let Some(iops) = disk.iops.filter(|it| *it > 3000) {
            let each = prices.price(&["storage", "block_gp3_iops_month"]).ok_or("gp3 IOPS")?;
            total += each.times((iops - 3000) as i128);
        }
        if let Some(throughput) = disk.throughput.filter(|it| *it > 125) {
            let each = prices.price(&["storage", "block_gp3_throughput_mbps_month"]).ok_or("gp3 throughput")?;
            total += each.times((throughput - 125) as i128);
        }
    }
    Ok(total)
}

/// ` (ssd, 8000 IOPS, 250 MB/s)` for a cost line, or nothing for a plain disk.
fn disk_detail(disk: &crate::deploy::Disk) -> String {
    let mut parts: Vec<String> = disk.kind.iter().cloned().collect();
    parts.extend(disk.iops.map(|it| format!("{it} IOPS")));
    parts.extend(disk.throughput.map(|it| format!("{it} MB/s")));
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

pub fn block_cost(ctx: &CostContext<'_>, block: &Block, attrs: &EnvAttrs<'_>, env: &EnvFacts) -> Option<ResourceCost> {
    let schema = crate::catalog::Catalog::builtin().kind(&block.kind)?;
    if !schema.resource && block.kind != "monitoring" {
        return None;
    }
    let name = block.name.clone().or_else(|| (block.kind == "monitoring").then(|| "monitoring".to_string()))?;
    if !exists_in(attrs, &env.name) {
        return None;
    }
    let cloud = ctx.facts.cloud_of(attrs, env).unwrap_or_default();
    let region = ctx.facts.region_of(attrs, env).unwrap_or_default();
    let mut cost = ResourceCost {
        kind: block.kind.clone(),
        name,
        env: env.name.clone(),
        cloud: cloud.clone(),
        region: region.clone(),
        ..ResourceCost::default()
    };
    let Some(prices) = ctx.prices.cloud(&cloud) else {
        cost.unknown.push(format!("no price tables for cloud `{cloud}`"));
        return Some(cost);
    };
    let pricing = prices.region_pricing(&region);
    match pricing {
        RegionPricing::Exact => {}
        RegionPricing::Estimated(multiplier) => {
            cost.estimated_region = Some(format!("{region}: {} prices × {multiplier}", prices.main_region));
        }
        RegionPricing::Unknown => cost.estimated_region = Some(format!("{region}: priced as {}", prices.main_region)),
    }
    let price = |path: &[&str]| prices.price(path).map(|it| regional(it, pricing));

    match block.kind.as_str() {
        "terraform" => {
            let resource_type = attrs.get("type").and_then(Value::as_str).unwrap_or("?");
            cost.unknown.push(format!("raw Terraform resource `{resource_type}`: the catalog does not price it"));
        }
        "network" => {
            if let Some(gateways) = crate::deploy::nat_gateways(&cloud, block, &env.name, attrs) {
                match price(&["network", "nat_gateway_hourly"]) {
                    Some(hourly) => cost.add_fixed(
                        format!("{gateways} × NAT gateway"),
                        hourly.monthly_from_hourly().times(gateways as i128),
                    ),
                    None => {
                        cost.partial.push(format!("NAT gateway (the {cloud} tables price it per VM or not at all)"))
                    }
                }
                if cloud == "aws" {
                    if let Some(hourly) = price(&["network", "public_ipv4_hourly"]) {
                        cost.add_fixed(
                            format!("{gateways} × public IPv4 for NAT"),
                            hourly.monthly_from_hourly().times(gateways as i128),
                        );
                    }
                }
                cost.notes.push("NAT data processing is not included (no data transfer given)".into());
            }
        }
        "cluster" => {
            let support = Versions::builtin().kubernetes_support(&cloud, text_attr(attrs, "version").unwrap_or(""));
            // The extended-support fee applies where the provider charges one for the version
            // (EKS, AKS LTS); GKE clusters here are on the Regular channel, which has none.
            let extended = match support {
                KubernetesSupport::Extended { .. } => price(&["kubernetes", "control_plane_extended_hourly"]),
                _ => None,
            };
            match extended {
                Some(hourly) => cost.add_fixed("control plane (extended support)", hourly.monthly_from_hourly()),
                None => match price(&["kubernetes", "control_plane_hourly"]) {
                    Some(hourly) => cost.add_fixed("control plane", hourly.monthly_from_hourly()),
                    None => cost.unknown.push("control plane".into()),
                },
            }
            if let Some(capacity) = ctx.clusters.get(&cost.name).and_then(|envs| envs.get(&env.name)) {
                cost.add("nodes", capacity.nodes_low, capacity.nodes_high);
            }
            for pool in crate::deploy::node_pools(block, &env.name) {
                match compute_class(prices, &pool.class) {
                    // The nodes were priced with the cluster's capacity; say which rate was used.
                    Some(class) => {
                        compute_hourly(prices, &pool.class, &region, class.hourly, pricing, &mut cost);
                    }
                    None => cost.unknown.push(format!("node size `{}`", pool.class)),
                }
                if let Err(what) = disk_monthly(prices, &cloud, &pool.disk) {
                    cost.unknown.push(format!("{what} of node pool `{}`", pool.name));
                }
                if pool.spot {
                    cost.notes.push(format!(
                        "node pool `{}` uses spot capacity, priced at on-demand (an upper bound)",
                        pool.name
                    ));
                }
            }
        }
        "service" | "worker" | "job" => {
            let Some(cluster) = ref_name(attrs, "cluster") else { return Some(cost) };
            cost.allocated_from = Some(cluster.clone());
            let Some(capacity) = ctx.clusters.get(&cluster).and_then(|envs| envs.get(&env.name)) else {
                return Some(cost);
            };
            if block.kind == "job" {
                cost.notes
                    .push("a job runs on its cluster's nodes only while it runs; its share is not estimated".into());
                return Some(cost);
            }
            let workload = crate::deploy::workload(&block.kind, attrs);
            let (replicas_low, replicas_high) = workload.replicas;
            let (cpu, memory) = (workload.cpu.0, workload.memory.0);
            let share = |replicas: i64, cpu_capacity: u64, memory_capacity: u64, nodes: Money| -> Money {
                if cpu_capacity == 0 || memory_capacity == 0 {
                    return Money::ZERO;
                }
                // The larger of the cpu and memory shares: what the workload keeps others from using.
                let cpu_share = nodes.scale(replicas.max(0) as i128 * cpu as i128, cpu_capacity as i128);
                let memory_share = nodes.scale(replicas.max(0) as i128 * memory as i128, memory_capacity as i128);
                cpu_share.max(memory_share)
            };
            let low = share(replicas_low, capacity.cpu_low, capacity.memory_low, capacity.nodes_low);
            let high = share(replicas_high, capacity.cpu_high, capacity.memory_high, capacity.nodes_high);
            cost.add(format!("share of cluster `{cluster}` ({replicas_low}..{replicas_high} replicas)"), low, high);
        }
        "database" => {
            database_cost(&mut cost, prices, pricing, attrs);
            dr_cost(&mut cost, prices, block, attrs, &env.name);
        }
        "cache" => cache_cost(&mut cost, prices, pricing, attrs),
        "bucket" => {
            match size_gb(attrs, "size") {
                Some(gb) => match price(&["storage", "object_standard_gb_month"]) {
                    Some(per_gb) => cost.add_fixed(format!("{gb} GB stored"), per_gb.times(gb)),
                    None => cost.unknown.push("object storage".into()),
                },
                None => cost.notes.push("usage-based: set `size` (stored data) for an estimate".into()),
            }
            dr_cost(&mut cost, prices, block, attrs, &env.name);
        }
        "queue" | "topic" => {
            if let Some(base) = price(&["messaging", "namespace_month"]) {
                cost.add_fixed("messaging namespace (shared per environment)", base);
            }
            let per_million_key = match (block.kind.as_str(), bool_attr(attrs, "fifo").unwrap_or(false)) {
                ("queue", true) => "queue_fifo_per_million",
                ("queue", false) => "queue_per_million",
                _ => "topic_per_million",
            };
            match int_attr(attrs, "messages") {
                Some(messages) => {
                    let per_million =
                        price(&["messaging", per_million_key]).or_else(|| price(&["messaging", "queue_per_million"]));
                    match (per_million, price(&["messaging", "pubsub_per_tib"])) {
                        (Some(per_million), _) => cost
                            .add_fixed(format!("{messages} messages"), per_million.scale(messages as i128, 1_000_000)),
                        // Pub/Sub bills throughput, at least 1 KB a message.
                        (None, Some(per_tib)) => {
                            cost.add_fixed(
                                format!("{messages} messages at 1 KB"),
                                per_tib.scale(messages as i128 * 1000, 1 << 40),
                            );
                            cost.notes.push("Pub/Sub throughput priced at its 1 KB minimum per message".into());
                        }
                        (None, None) => cost.unknown.push("per-message".into()),
                    }
                }
                None => cost.notes.push("usage-based: set `messages` (per month) for an estimate".into()),
            }
        }
        "function" => {
            let memory_mib = quantity_range(attrs.get("memory")).map_or(512, |it| it.0 >> 20) as i128;
            let duration_ms = match attrs.get("avg_duration").map(|it| &it.kind) {
                Some(ValueKind::Duration(ms)) => *ms as i128,
                _ => 200,
            };
            match int_attr(attrs, "invocations") {
                Some(invocations) => {
                    let invocations = invocations.max(0) as i128;
                    if let Some(per_million) = price(&["functions", "requests_per_million"]) {
                        cost.add_fixed(format!("{invocations} requests"), per_million.scale(invocations, 1_000_000));
                    }
                    match (
                        price(&["functions", "gb_second"]),
                        price(&["functions", "vcpu_second"]),
                        price(&["functions", "gib_second"]),
                    ) {
                        // GB-seconds = invocations × duration (s) × memory (GiB).
                        (Some(per_gb_second), _, _) => cost.add_fixed(
                            format!("{invocations} × {duration_ms} ms × {memory_mib} MiB"),
                            per_gb_second.scale(invocations * duration_ms * memory_mib, 1000 * 1024),
                        ),
                        // Cloud Run functions bill vCPU-seconds and GiB-seconds; memory sets the vCPU share.
                        (None, Some(per_vcpu_second), Some(per_gib_second)) => {
                            let millicpu: i128 = match memory_mib {
                                0..=256 => 167,
                                257..=512 => 333,
                                513..=1024 => 583,
                                1025..=2048 => 1000,
                                2049..=4096 => 2000,
                                _ => 4000,
                            };
                            let seconds_scale = 1000; // duration in ms
                            cost.add_fixed(
                                format!("{invocations} × {duration_ms} ms × {memory_mib} MiB and {millicpu}m vCPU"),
                                per_gib_second.scale(invocations * duration_ms * memory_mib, seconds_scale * 1024)
                                    + per_vcpu_second.scale(invocations * duration_ms * millicpu, seconds_scale * 1000),
                            );
                        }
                        _ => cost.unknown.push("compute (GB-second)".into()),
                    }
                    cost.notes.push("free tier not deducted".into());
                }
                None => cost.notes.push("usage-based: set `invocations` (per month) for an estimate".into()),
            }
        }
        "gateway" => {
            match price(&["network", "load_balancer_hourly"]) {
                Some(hourly) => cost.add_fixed("load balancer", hourly.monthly_from_hourly()),
                None => cost.unknown.push("load balancer".into()),
            }
            if let Some(unit) = price(&["network", "load_balancer_capacity_unit_hourly"]) {
                cost.add_fixed("1 capacity unit (assumed)", unit.monthly_from_hourly());
            }
            if bool_attr(attrs, "waf").unwrap_or(false) {
                match price(&["network", "waf_month"]) {
                    Some(monthly) => cost.add_fixed("web application firewall", monthly),
                    None => cost.partial.push(format!("web application firewall (no {cloud} price in the tables)")),
                }
            }
        }
        "cdn" => cost.notes.push("usage-based: priced per GB delivered; no traffic given".into()),
        "vm" => {
            let Some(set) = crate::deploy::vm_set(attrs) else {
                cost.unknown.push("a vm needs a `size` to be priced".into());
                return Some(cost);
            };
            let (low, high) = (set.min.max(0) as i128, set.max.max(0) as i128);
            match compute_class(prices, &set.class) {
                Some(class) => {
                    let hourly = compute_hourly(prices, &set.class, &region, class.hourly, pricing, &mut cost);
                    let monthly = hourly.monthly_from_hourly();
                    let count = if low == high { low.to_string() } else { format!("{low}..{high}") };
                    cost.add(format!("{count} × {}", set.class), monthly.times(low), monthly.times(high));
                }
                None => cost.unknown.push(format!("size `{}`", set.class)),
            }
            if set.spot {
                cost.notes.push("spot capacity, priced at on-demand (an upper bound)".into());
            }
            match disk_monthly(prices, &cloud, &set.disk) {
                Ok(each) => {
                    let each = regional(each, pricing);
                    let gb = set.disk_gb();
                    cost.add(format!("{gb} GB disk each{}", disk_detail(&set.disk)), each.times(low), each.times(high))
                }
                Err(what) => cost.unknown.push(what),
            }
        }
        "monitoring" => monitoring_cost(&mut cost, prices, pricing, block),
        "container" => container_cost(&mut cost, prices, pricing, attrs),
        "dns" => {
            match price(&["dns", "zone_month"]) {
                Some(month) => cost.add_fixed("hosted zone", month),
                None => cost.unknown.push("DNS zone".into()),
            }
            cost.notes.push("usage-based: DNS queries per million".into());
        }
        "alert" | "slo" => alarm_cost(&mut cost, prices, pricing, ctx.facts, &block.kind, attrs),
        "registry" => {
            if let Some(base) = price(&["registry", "base_month"]) {
                cost.add_fixed("registry", base);
            }
            cost.notes.push("usage-based: storage per GB of images".into());
        }
        _ => {}
    }
    Some(cost)
}

/// Logs: ingestion of `volume` a month, and storage beyond the days the ingestion price
/// includes, at the steady state where `retention` worth of logs is kept.
fn monitoring_cost(cost: &mut ResourceCost, prices: &CloudPrices, pricing: RegionPricing, block: &Block) {
    let price = |key: &str| prices.price(&["monitoring", key]).map(|it| regional(it, pricing));
    let (days, volume) = crate::deploy::monitoring::logs(block);
    let Some(bytes) = volume else {
        cost.notes.push("usage-based: log ingestion and storage per GB (no `logs { volume }` given)".into());
        return;
    };
    // Google bills logs per GiB, AWS and Azure per GB.
    let per_gib = prices.cloud == "gcp";
    let unit = if per_gib { (1u64 << 30) as f64 } else { 1e9 };
    let unit_name = if per_gib { "GiB" } else { "GB" };
    let amount = bytes as f64 / unit;
    let thousandths = (amount * 1000.0).round() as i128;
    match price("log_ingest_gb") {
        Some(per_unit) => cost.add_fixed(
            format!("log ingestion, {} {unit_name} a month", trim_float(amount)),
            per_unit.scale(thousandths, 1000),
        ),
        None => cost.unknown.push("log ingestion".into()),
    }
    let free_days = prices.number(&["monitoring", "free_retention_days"]).unwrap_or(0.0) as u64;
    if days > free_days {
        match price("log_storage_gb_month") {
            // Kept `days - free_days` days: that many thirtieths of a month's volume.
            Some(per_unit) => cost.add_fixed(
                format!("log storage, {} days beyond the {free_days} included", days - free_days),
                per_unit.scale(thousandths * (days - free_days) as i128, 1000 * 30),
            ),
            None => cost.unknown.push("log storage".into()),
        }
    }
    if let Some(free) = prices.number(&["monitoring", "free_log_gb"]) {
        cost.notes
            .push(format!("before the account's free allowance of {} {unit_name} of logs a month", trim_float(free)));
    }
    if prices.cloud == "aws" {
        cost.notes.push("CloudWatch bills stored logs compressed: the storage line is an upper bound".into());
    }
    cost.notes.push("usage-based: email notifications past the free tier".into());
}

/// An alert is one alarm on the cloud (a CloudWatch alarm metric, an Azure monitored time
/// series, a Cloud Monitoring condition); an SLO on a gateway two metric-math alarms of two
/// metrics each (AWS) or two alert policies (Google Cloud). Prometheus rules cost nothing on
/// the cloud.
fn alarm_cost(
    cost: &mut ResourceCost,
    prices: &CloudPrices,
    pricing: RegionPricing,
    facts: &PlanFacts,
    kind: &str,
    attrs: &EnvAttrs<'_>,
) {
    let watched = ref_name(attrs, "on").and_then(|name| facts.watched_kind(&name).map(String::from));
    if watched.as_deref().is_some_and(is_workload) {
        cost.add_fixed("rule evaluated by the cluster's Prometheus (no cloud charge)", Money::default());
        return;
    }
    let alarms: i128 = match kind {
        "slo" if prices.cloud == "aws" => 4,
        "slo" => 2,
        _ => 1,
    };
    let label = match (kind, prices.cloud) {
        ("slo", "aws") => "2 burn-rate alarms of 2 metrics each".to_string(),
        ("slo", _) => "2 burn-rate alert policies".to_string(),
        _ => "1 alarm".to_string(),
    };
    match prices.price(&["monitoring", "alarm_month"]).map(|it| regional(it, pricing)) {
        Some(each) => cost.add_fixed(label, each.times(alarms)),
        None => cost.partial.push(format!("{label}: the {} tables have no confirmed alerting price", prices.cloud)),
    }
    if let Some(free) = prices.number(&["monitoring", "free_alarms"]) {
        cost.notes.push(format!("before the account's {} free alarms a month", trim_float(free)));
    }
}

/// A container's replicas running all month: per vCPU-hour and GB-hour on Fargate, per
/// vCPU-second and GiB-second on Container Apps and Cloud Run (CPU always allocated).
fn container_cost(cost: &mut ResourceCost, prices: &CloudPrices, pricing: RegionPricing, attrs: &EnvAttrs<'_>) {
    let shape = crate::deploy::container::container(attrs);
    let price = |key: &str| prices.price(&["containers", key]).map(|it| regional(it, pricing));
    // Thousandths of a vCPU and of a GB (or GiB): exact for every size the platforms run.
    let vcpu = shape.cpu as i128;
    let (per_cpu, per_memory, memory, unit) = match prices.cloud {
        "aws" => (
            price("vcpu_hour").map(|it| it.monthly_from_hourly()),
            price("gb_hour").map(|it| it.monthly_from_hourly()),
            (shape.memory as i128 * 1000) >> 30,
            "GB",
        ),
        cloud => {
            let (cpu_key, memory_key) = if cloud == "gcp" {
                ("vcpu_second_always_on", "gib_second_always_on")
            } else {
                ("vcpu_second", "gib_second")
            };
            let seconds = 730 * 3600;
            (
                price(cpu_key).map(|it| it.times(seconds)),
                price(memory_key).map(|it| it.times(seconds)),
                (shape.memory as i128 * 1000) >> 30,
                "GiB",
            )
        }
    };
    let (Some(per_cpu), Some(per_memory)) = (per_cpu, per_memory) else {
        cost.unknown.push("container vCPU and memory".into());
        return;
    };
    let one = per_cpu.scale(vcpu, 1000) + per_memory.scale(memory, 1000);
    let (low, high) = (shape.replicas.0.max(0) as i128, shape.replicas.1.max(0) as i128);
    cost.add(
        format!(
            "{}..{} × ({} vCPU, {} {unit})",
            low,
            high,
            trim_float(vcpu as f64 / 1000.0),
            trim_float(memory as f64 / 1000.0)
        ),
        one.times(low),
        one.times(high),
    );
    if prices.cloud != "aws" {
        cost.notes
            .push("replicas billed as active all month; the monthly free grant and requests are not subtracted".into());
    }
}

fn trim_float(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A database tier's hourly price without and with a standby.
fn database_hourly(prices: &CloudPrices, engine: &str, tier: &str) -> Option<(Money, Money)> {
    if engine == "mongodb" {
        prices.class(&["document_database"], tier).map(|class| (class.hourly, class.hourly.times(2)))
    } else if let Some((vcpu, mib)) = cloud_sql_custom(tier) {
        let unit = |key: &str| prices.price(&["database_unit", engine, key]);
        match (unit("vcpu_hourly"), unit("memory_gib_hourly"), unit("vcpu_hourly_ha"), unit("memory_gib_hourly_ha")) {
            (Some(cpu), Some(memory), cpu_ha, memory_ha) => {
                let single = cpu.times(vcpu as i128) + memory.scale(mib as i128, 1024);
                let with_ha = match (cpu_ha, memory_ha) {
                    (Some(cpu_ha), Some(memory_ha)) => cpu_ha.times(vcpu as i128) + memory_ha.scale(mib as i128, 1024),
                    _ => single.times(2),
                };
                Some((single, with_ha))
            }
            _ => None,
        }
    } else {
        prices
            .class(&["database", engine], tier)
            .map(|class| (class.hourly, class.hourly_ha.unwrap_or(class.hourly.times(2))))
    }
}

fn database_cost(cost: &mut ResourceCost, prices: &CloudPrices, pricing: RegionPricing, attrs: &EnvAttrs<'_>) {
    let engine = text_attr(attrs, "engine").unwrap_or("");
    let tier = text_attr(attrs, "tier").unwrap_or("");
    let ha = bool_attr(attrs, "ha").unwrap_or(false);
    let replicas = int_attr(attrs, "read_replicas").unwrap_or(0).max(0) as i128;
    let storage_gb = size_gb(attrs, "storage").unwrap_or(20);
    match database_hourly(prices, engine, tier) {
        Some((single, with_ha)) => {
            let hourly = regional(if ha { with_ha } else { single }, pricing);
            let label = if ha { format!("{tier} with standby") } else { tier.to_string() };
            cost.add_fixed(label, hourly.monthly_from_hourly());
            if replicas > 0 {
                cost.add_fixed(
                    format!("{replicas} × read replica {tier}"),
                    regional(single, pricing).monthly_from_hourly().times(replicas),
                );
            }
        }
        None => cost.unknown.push(format!("{engine} tier `{tier}`")),
    }
    let storage_key = if ha { "gb_month_ha" } else { "gb_month" };
    // A read replica is a single-AZ instance: its storage is at the single-AZ rate, whatever
    // the primary's.
    let (storage_price, replica_storage_price) = if engine == "mongodb" {
        let shared = prices.price(&["document_database", "storage_gb_month"]);
        (shared, shared)
    } else {
        let single = prices.price(&["database_storage", "gb_month"]);
        (
            prices
                .price(&["database_storage", storage_key])
                .or_else(|| single.map(|it| it.times(if ha { 2 } else { 1 }))),
            single,
        )
    };
    match storage_price {
        Some(per_gb) => cost.add_fixed(format!("{storage_gb} GB storage"), regional(per_gb, pricing).times(storage_gb)),
        None => cost.unknown.push("database storage".into()),
    }
    if replicas > 0 {
        match replica_storage_price {
            Some(per_gb) => cost.add_fixed(
                format!("{storage_gb} GB storage × {replicas} read replica{}", if replicas == 1 { "" } else { "s" }),
                regional(per_gb, pricing).times(storage_gb * replicas),
            ),
            None => cost.unknown.push("read replica storage".into()),
        }
    }
    cost.notes.push("backup storage up to the database size is included by the providers".into());
}

/// What disaster recovery adds to a block (LANGUAGE.md §10.4), each line labelled `DR:` so
/// the report can show the DR share: cross-region database replicas at their region's price,
/// and the copy of a replicated bucket.
fn dr_cost(cost: &mut ResourceCost, prices: &CloudPrices, block: &Block, attrs: &EnvAttrs<'_>, env: &str) {
    match block.kind.as_str() {
        "database" => {
            let engine = text_attr(attrs, "engine").unwrap_or("");
            let storage_gb = size_gb(attrs, "storage").unwrap_or(20);
            for replica in block.children.iter().filter(|it| it.kind == "replica") {
                let replica_attrs = replica.env_attrs(env);
                let (Some(name), true) = (replica.name.as_deref(), exists_in(&replica_attrs, env)) else { continue };
                let region = text_attr(&replica_attrs, "region").unwrap_or("");
                let tier = text_attr(&replica_attrs, "tier").or_else(|| text_attr(attrs, "tier")).unwrap_or("");
                let pricing = prices.region_pricing(region);
                match database_hourly(prices, engine, tier) {
                    Some((single, _)) => cost.add_fixed(
                        format!("DR: replica `{name}` {tier} in {region}"),
                        regional(single, pricing).monthly_from_hourly(),
                    ),
                    None => cost.unknown.push(format!("DR replica `{name}`: {engine} tier `{tier}`")),
                }
                match prices.price(&["database_storage", "gb_month"]) {
                    Some(per_gb) => cost.add_fixed(
                        format!("DR: replica `{name}` {storage_gb} GB storage"),
                        regional(per_gb, pricing).times(storage_gb),
                    ),
                    None => cost.unknown.push(format!("DR replica `{name}` storage")),
                }
            }
        }
        "bucket" => {
            let Some(region) = text_attr(attrs, "replicate_to") else { return };
            match (prices.cloud, size_gb(attrs, "size"), prices.price(&["storage", "object_standard_gb_month"])) {
                ("aws", Some(gb), Some(per_gb)) => cost.add_fixed(
                    format!("DR: copy of {gb} GB in {region}"),
                    regional(per_gb, prices.region_pricing(region)).times(gb),
                ),
                ("aws", None, _) => cost.notes.push(format!("usage-based: the copy in {region} (set `size`)")),
                _ => {}
            }
            cost.partial.push(match prices.cloud {
                "aws" => "DR: replication data transfer and Replication Time Control per GB".to_string(),
                "gcp" => "DR: the dual-region storage premium and turbo replication per GB".to_string(),
                _ => "DR: read access to the geo-redundant copy (RA-GRS over GRS)".to_string(),
            });
        }
        _ => {}
    }
}

fn cache_cost(cost: &mut ResourceCost, prices: &CloudPrices, pricing: RegionPricing, attrs: &EnvAttrs<'_>) {
    let shape = crate::deploy::cache(attrs);
    let nodes = shape.nodes as i128;
    if let Some(tier) = &shape.tier {
        match prices.class(&["cache", &shape.engine], tier) {
            Some(class) => {
                // A price that covers several nodes (Azure Standard: 2) buys them in pairs.
                let units = (nodes + class.nodes as i128 - 1) / class.nodes as i128;
                cost.add_fixed(
                    format!("{nodes} × {tier}"),
                    regional(class.hourly, pricing).monthly_from_hourly().times(units),
                );
            }
            None => cost.unknown.push(format!("{} tier `{tier}`", shape.engine)),
        }
        return;
    }
    let Some(memory) = shape.memory_bytes else {
        cost.unknown.push("a cache needs a `tier` or a `memory` size to be priced".into());
        return;
    };
    // The same whole GB the emitters write (CAT508 rejects a size that is not whole).
    let gib = crate::deploy::disk_gb(memory).max(1);
    let tier = if nodes > 1 { "standard" } else { "basic" };
    let band = prices
        .cache_bands(&shape.engine)
        .into_iter()
        .find(|(band_tier, min, max, _)| band_tier == tier && gib as f64 >= *min && gib as f64 <= *max);
    match band {
        Some((_, _, _, per_gib_hour)) => {
            let label = if nodes > 1 {
                format!("{gib} GiB standard (primary and replica)")
            } else {
                format!("{gib} GiB basic")
            };
            cost.add_fixed(label, regional(per_gib_hour, pricing).monthly_from_hourly().times(gib as i128));
            if nodes > 2 {
                cost.partial.push(format!("{} read replicas (no read-replica price in the tables)", nodes - 2));
            }
        }
        None => cost.unknown.push(format!("{} cache of {gib} GiB", shape.engine)),
    }
}
