//! The deployment model: what a block means in one environment, resolved once.
//!
//! Cost, the Terraform and Kubernetes emitters, hover and `cost --compare` all read these
//! shapes instead of re-deriving counts and defaults from the IR, so they cannot disagree on
//! how many nodes, instances or NAT gateways a block is. Catalog defaults are read here from
//! `stdlib/catalog`, not typed in again by each reader. Nothing here knows a provider's
//! resource names: that is the emitters' business.

pub mod container;
pub mod dns;
pub mod dr;
mod flows;
pub mod migration;
pub mod monitoring;
mod workload;

pub use flows::{denies, flows, ports, Deny, Flow, Ports, Source};

pub use workload::{
    disruption, pinned_pool, placement_pool, scale_policy, spread, strategy, Amount, Budget, ScalePolicy, Spread,
    Strategy,
};

use plan_catalog::Catalog;
use plan_ir::{Block, EnvAttrs, Value, ValueKind};

/// The label every node of a pool carries, `plan.dev/node-pool = <pool>`: what a workload's
/// `node_pool` selects.
pub const POOL_LABEL: &str = "plan.dev/node-pool";

/// The default of `kind.attr` as the catalog writes it, read as Plan source.
fn catalog_default(kind: &str, attr: &str) -> Option<&'static str> {
    Catalog::builtin().kind(kind)?.attrs.iter().find(|it| it.name == attr)?.default.as_deref()
}

/// The default of a field of an object attribute: `autoscale.scale_down.stabilization`.
fn catalog_field_default(kind: &str, attr: &str, path: &[&str]) -> Option<&'static str> {
    let mut schema = Catalog::builtin().kind(kind)?.attrs.iter().find(|it| it.name == attr)?;
    for name in path {
        schema = schema.field(name)?;
    }
    schema.default.as_deref()
}

/// Whether a catalog mapping's condition holds for a block in one environment:
/// `engine = mongodb` (the value or the catalog's default) or `autoscaled` (a VM set whose
/// count is a range).
pub fn holds(kind: &str, attrs: &EnvAttrs<'_>, condition: &str) -> bool {
    if condition == "autoscaled" {
        return vm_set(attrs).is_some_and(|it| it.autoscaled());
    }
    let Some((attr, value)) = condition.split_once('=') else { return false };
    let (attr, value) = (attr.trim(), value.trim());
    attrs.get(attr).and_then(Value::as_str).or_else(|| default_text(kind, attr)) == Some(value)
}

/// An int default (`"1"`).
pub fn default_int(kind: &str, attr: &str) -> Option<i64> {
    catalog_default(kind, attr)?.replace('_', "").parse().ok()
}

/// A bool default (`"false"`).
pub fn default_bool(kind: &str, attr: &str) -> Option<bool> {
    catalog_default(kind, attr)?.parse().ok()
}

/// A size default in bytes (`"100GB"`).
pub fn default_size(kind: &str, attr: &str) -> Option<u64> {
    default_in(kind, attr, plan_ir::Dimension::Size)
}

/// A duration default in milliseconds (`"5min"`).
pub fn default_duration_ms(kind: &str, attr: &str) -> Option<u64> {
    default_in(kind, attr, plan_ir::Dimension::Duration)
}

/// A quantity default in its base unit, when it is of `dimension`.
fn default_in(kind: &str, attr: &str, dimension: plan_ir::Dimension) -> Option<u64> {
    let text = catalog_default(kind, attr)?;
    let split = text.find(|ch: char| !ch.is_ascii_digit() && ch != '.')?;
    let (number, unit) = text.split_at(split);
    let (found, scale) = plan_ir::unit(unit)?;
    let value = number.parse::<f64>().ok()?;
    (found == dimension).then(|| (value * scale) as u64)
}

/// A string or enum default (`"volatile-lru"`, `"\"x\""`).
pub fn default_text(kind: &str, attr: &str) -> Option<&'static str> {
    Some(catalog_default(kind, attr)?.trim_matches('"'))
}

fn int(attrs: &EnvAttrs<'_>, kind: &str, name: &str) -> Option<i64> {
    attrs.get(name).and_then(Value::as_int).or_else(|| default_int(kind, name))
}

fn boolean(attrs: &EnvAttrs<'_>, kind: &str, name: &str) -> bool {
    attrs.get(name).and_then(Value::as_bool).or_else(|| default_bool(kind, name)).unwrap_or(false)
}

fn text(attrs: &EnvAttrs<'_>, name: &str) -> Option<String> {
    attrs.get(name).and_then(Value::as_str).map(String::from)
}

/// The low and high ends of an int range, or one int twice.
pub fn int_range(value: Option<&Value>) -> Option<(i64, i64)> {
    match &value?.kind {
        ValueKind::Range(low, high) => Some((low.as_int()?, high.as_int()?)),
        ValueKind::Int(n) => Some((*n, *n)),
        _ => None,
    }
}

/// A size value in bytes (the low end of a range).
pub fn size_bytes(value: Option<&Value>) -> Option<u64> {
    match &value?.kind {
        ValueKind::Size(bytes) => Some(*bytes),
        ValueKind::Range(low, _) => size_bytes(Some(low)),
        _ => None,
    }
}

/// A size as the number the providers take: their "GB" (GiB for EBS, Persistent Disk,
/// Memorystore, Azure disks) is written either way, `100GB` or `100Gi` both being 100. `None`
/// when the size is a whole number of neither; CAT508 rejects it before anything is built.
pub fn provider_gb(bytes: u64) -> Option<u64> {
    if bytes % 1_000_000_000 == 0 {
        Some(bytes / 1_000_000_000)
    } else if bytes % (1 << 30) == 0 {
        Some(bytes >> 30)
    } else {
        None
    }
}

/// [`provider_gb`], rounded up for a plan that turned CAT508 off.
pub fn disk_gb(bytes: u64) -> u64 {
    provider_gb(bytes).unwrap_or_else(|| bytes.div_ceil(1_000_000_000))
}

/// A boot or OS disk: `disk = 200GB`, or `disk { size type iops throughput }`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Disk {
    pub bytes: u64,
    /// `ssd`, `balanced` or `hdd`; `None` when not written (each cloud's documented default).
    pub kind: Option<String>,
    pub iops: Option<i64>,
    /// MB/s.
    pub throughput: Option<i64>,
}

/// The `disk` of a `vm` or `node_pool` in one environment, defaults applied.
pub fn disk(kind: &str, attrs: &EnvAttrs<'_>) -> Disk {
    let value = attrs.get("disk");
    let field = |name: &str| match value.map(|it| &it.kind) {
        Some(ValueKind::Map(entries)) => entries.iter().find(|it| it.key == name).map(|it| &it.value),
        _ => None,
    };
    let bytes = match value.map(|it| &it.kind) {
        Some(ValueKind::Map(_)) => size_bytes(field("size")),
        _ => size_bytes(value),
    };
    Disk {
        bytes: bytes.or_else(|| default_size(kind, "disk")).unwrap_or(0),
        kind: field("type").and_then(Value::as_str).map(String::from),
        iops: field("iops").and_then(Value::as_int),
        throughput: field("throughput").and_then(Value::as_int),
    }
}

/// What a taint does to pods that do not tolerate it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

impl TaintEffect {
    pub fn parse(text: &str) -> Option<TaintEffect> {
        Some(match text {
            "NoSchedule" => TaintEffect::NoSchedule,
            "PreferNoSchedule" => TaintEffect::PreferNoSchedule,
            "NoExecute" => TaintEffect::NoExecute,
            _ => return None,
        })
    }

    /// The Kubernetes spelling: `NoSchedule`.
    pub fn kubernetes(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
            TaintEffect::PreferNoSchedule => "PreferNoSchedule",
            TaintEffect::NoExecute => "NoExecute",
        }
    }

    /// The EKS and GKE API enum: `NO_SCHEDULE`.
    pub fn api_enum(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NO_SCHEDULE",
            TaintEffect::PreferNoSchedule => "PREFER_NO_SCHEDULE",
            TaintEffect::NoExecute => "NO_EXECUTE",
        }
    }
}

/// A node taint, `key=value:Effect`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: TaintEffect,
}

impl Taint {
    /// Reads `key=value:Effect` (the value may be empty: `key:Effect`); `None` when malformed.
    pub fn parse(text: &str) -> Option<Taint> {
        let (key_value, effect) = text.rsplit_once(':')?;
        let (key, value) = key_value.split_once('=').unwrap_or((key_value, ""));
        (!key.is_empty()).then_some(())?;
        Some(Taint { key: key.to_string(), value: value.to_string(), effect: TaintEffect::parse(effect)? })
    }

    /// `key=value:Effect`, as Kubernetes and AKS write it.
    pub fn spec(&self) -> String {
        if self.value.is_empty() {
            format!("{}:{}", self.key, self.effect.kubernetes())
        } else {
            format!("{}={}:{}", self.key, self.value, self.effect.kubernetes())
        }
    }
}

/// One node pool of a cluster in one environment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NodePool {
    pub name: String,
    /// The name the provider knows the pool by: its first name when it was renamed
    /// (`renamed_from`), since EKS, AKS and GKE replace a pool whose name changes.
    pub provider_name: String,
    /// The provider's machine class: `m6i.large`, `Standard_D4s_v5`, `e2-standard-4`.
    pub class: String,
    /// Nodes over all zones, as written: `min == max` is a fixed size.
    pub min: i64,
    pub max: i64,
    pub spot: bool,
    /// Bytes of each node's disk.
    pub disk_bytes: u64,
    pub disk: Disk,
    pub labels: Vec<(String, String)>,
    pub taints: Vec<Taint>,
}

impl NodePool {
    /// A pool whose size a cluster autoscaler manages.
    pub fn autoscaled(&self) -> bool {
        self.max > self.min
    }

    pub fn disk_gb(&self) -> u64 {
        disk_gb(self.disk_bytes)
    }
}

/// The node pools of a cluster in `env`, in source order; pools without a size are left out
/// (P-level diagnostics report the missing required attribute).
pub fn node_pools(cluster: &Block, env: &str) -> Vec<NodePool> {
    let mut pools = Vec::new();
    for pool in cluster.children.iter().filter(|it| it.kind == "node_pool") {
        let attrs = pool.env_attrs(env);
        let Some(class) = text(&attrs, "size") else { continue };
        let (min, max) = int_range(attrs.get("nodes")).unwrap_or((1, 1));
        let mut labels: Vec<(String, String)> = match attrs.get("labels").map(|it| &it.kind) {
            Some(ValueKind::Map(entries)) => entries
                .iter()
                .filter_map(|entry| Some((entry.key.clone(), entry.value.as_str()?.to_string())))
                .collect(),
            _ => Vec::new(),
        };
        if let Some(name) = &pool.name {
            labels.push((POOL_LABEL.to_string(), name.clone()));
        }
        let taints = match attrs.get("taints").map(|it| &it.kind) {
            Some(ValueKind::List(items)) => items.iter().filter_map(|it| Taint::parse(it.as_str()?)).collect(),
            _ => Vec::new(),
        };
        let renamed_from = match attrs.get("renamed_from").map(|it| &it.kind) {
            Some(ValueKind::List(items)) => items.first().and_then(Value::as_str).map(String::from),
            _ => None,
        };
        let name = pool.name.clone().unwrap_or_default();
        pools.push(NodePool {
            provider_name: renamed_from.unwrap_or_else(|| name.clone()),
            name,
            class,
            min,
            max,
            spot: boolean(&attrs, "node_pool", "spot"),
            disk_bytes: disk("node_pool", &attrs).bytes,
            disk: disk("node_pool", &attrs),
            labels,
            taints,
        });
    }
    pools
}

/// The instances of a `vm` block in one environment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VmSet {
    pub class: String,
    pub min: i64,
    pub max: i64,
    pub disk_bytes: u64,
    pub disk: Disk,
    pub spot: bool,
    pub public_ip: bool,
}

impl VmSet {
    /// Only a range whose ends differ autoscales (LANGUAGE.md §10.6); `count = 3` is three
    /// instances with stable names.
    pub fn autoscaled(&self) -> bool {
        self.max > self.min
    }

    pub fn disk_gb(&self) -> u64 {
        disk_gb(self.disk_bytes)
    }
}

pub fn vm_set(attrs: &EnvAttrs<'_>) -> Option<VmSet> {
    let (min, max) = int_range(attrs.get("count")).unwrap_or_else(|| {
        let n = default_int("vm", "count").unwrap_or(1);
        (n, n)
    });
    Some(VmSet {
        class: text(attrs, "size")?,
        min,
        max,
        disk_bytes: disk("vm", attrs).bytes,
        disk: disk("vm", attrs),
        spot: boolean(attrs, "vm", "spot"),
        public_ip: boolean(attrs, "vm", "public_ip"),
    })
}

/// A cache in one environment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cache {
    pub engine: String,
    pub tier: Option<String>,
    /// Bytes, where the provider sizes caches by memory.
    pub memory_bytes: Option<u64>,
    /// Nodes in all, replicas included.
    pub nodes: i64,
    pub shards: i64,
    pub version: Option<String>,
    pub eviction: String,
}

impl Cache {
    /// Replicas besides the primary of each shard.
    pub fn replicas_per_shard(&self) -> i64 {
        (self.nodes / self.shards.max(1) - 1).max(0)
    }
}

pub fn cache(attrs: &EnvAttrs<'_>) -> Cache {
    Cache {
        engine: text(attrs, "engine").unwrap_or_else(|| "redis".into()),
        tier: text(attrs, "tier"),
        memory_bytes: size_bytes(attrs.get("memory")),
        nodes: int(attrs, "cache", "nodes").unwrap_or(1).max(1),
        shards: int(attrs, "cache", "shards").unwrap_or(1).max(1),
        version: text(attrs, "version"),
        eviction: text(attrs, "eviction")
            .or_else(|| default_text("cache", "eviction").map(String::from))
            .unwrap_or_else(|| "volatile-lru".into()),
    }
}

/// One subnet of a network in one environment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Subnet {
    /// The `subnet` block's name, or the default layout's (`public-1`, `private`, `main`).
    pub name: String,
    pub tier: String,
    /// Zero-based zone index (AWS places each subnet in one zone).
    pub zone: i64,
    /// The CIDR as written; `None` in the default layout, which carves it from the network's.
    pub cidr: Option<String>,
}

/// The subnets of a network in `env`: the declared `subnet` blocks, or the cloud's default
/// layout (AWS: a public and a private subnet per zone; Azure: one public and one private;
/// GCP: one regional subnetwork). CAT508 rejects a `zone` outside `1..zones`.
pub fn subnets(network: &Block, env: &str, cloud: &str) -> Vec<Subnet> {
    let attrs = network.env_attrs(env);
    let zones = int(&attrs, "network", "zones").unwrap_or(2).max(1);
    let declared: Vec<&Block> = network.children.iter().filter(|it| it.kind == "subnet").collect();
    if declared.is_empty() {
        let subnet = |name: String, tier: &str, zone| Subnet { name, tier: tier.into(), zone, cidr: None };
        return match cloud {
            "aws" => (0..zones)
                .flat_map(|zone| {
                    [
                        subnet(format!("public-{}", zone + 1), "public", zone),
                        subnet(format!("private-{}", zone + 1), "private", zone),
                    ]
                })
                .collect(),
            "azure" => vec![subnet("public".into(), "public", 0), subnet("private".into(), "private", 0)],
            _ => vec![subnet("main".into(), "private", 0)],
        };
    }
    declared
        .iter()
        .enumerate()
        .map(|(index, child)| {
            let child_attrs = child.env_attrs(env);
            Subnet {
                name: child.name.clone().unwrap_or_default(),
                tier: text(&child_attrs, "tier").unwrap_or_else(|| "private".into()),
                // Omitted, subnets spread round-robin over the zones (LANGUAGE.md §6).
                zone: child_attrs
                    .get("zone")
                    .and_then(Value::as_int)
                    .map_or(index as i64 % zones, |it| (it - 1).clamp(0, zones - 1)),
                cidr: text(&child_attrs, "cidr"),
            }
        })
        .collect()
}

/// Whether a network has a public subnet: one declared, or the default layout (no `subnet`
/// blocks), which has one per zone.
pub fn has_public_subnet(network: &Block, env: &str) -> bool {
    let subnets: Vec<&Block> = network.children.iter().filter(|it| it.kind == "subnet").collect();
    subnets.is_empty()
        || subnets.iter().any(|it| it.env_attrs(env).get("tier").and_then(Value::as_str) == Some("public"))
}

/// Whether the network asks for NAT (`nat`, on by default).
pub fn wants_nat(attrs: &EnvAttrs<'_>) -> bool {
    attrs.get("nat").and_then(Value::as_bool).or_else(|| default_bool("network", "nat")).unwrap_or(true)
}

/// NAT gateways of a network: `None` when NAT is off, or impossible for want of a public
/// subnet (CAT508 reports that). AWS puts one in each zone unless `single_nat`; Azure and GCP
/// use one regional gateway.
pub fn nat_gateways(cloud: &str, network: &Block, env: &str, attrs: &EnvAttrs<'_>) -> Option<i64> {
    if !wants_nat(attrs) || (cloud == "aws" && !has_public_subnet(network, env)) {
        return None;
    }
    let zones = int(attrs, "network", "zones").unwrap_or(2).max(1);
    Some(match cloud {
        "aws" if !boolean(attrs, "network", "single_nat") => zones,
        _ => 1,
    })
}

/// The low and high ends of a cpu (millicores) or size (bytes) range, or one value twice.
pub fn quantity_range(value: Option<&Value>) -> Option<(u64, u64)> {
    let scalar = |value: &Value| match value.kind {
        ValueKind::Cpu(n) | ValueKind::Size(n) => Some(n),
        _ => None,
    };
    match &value?.kind {
        ValueKind::Range(low, high) => Some((scalar(low)?, scalar(high)?)),
        _ => scalar(value?).map(|n| (n, n)),
    }
}

/// A default cpu or size (`"250m"`, `"512Mi"`) in millicores or bytes.
fn default_quantity(kind: &str, attr: &str) -> Option<u64> {
    let text = catalog_default(kind, attr)?;
    let split = text.find(|ch: char| !ch.is_ascii_digit() && ch != '.').unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    Some(match unit {
        "" => number * 1000.0, // cores
        unit => number * plan_ir::unit(unit)?.1,
    } as u64)
}

/// A `service`, `worker` or `job` in one environment: how many pods and what each asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Workload {
    /// Replicas, low and high (a job runs one pod).
    pub replicas: (i64, i64),
    /// Millicores: request and limit.
    pub cpu: (u64, u64),
    /// Bytes: request and limit.
    pub memory: (u64, u64),
}

impl Workload {
    pub fn autoscaled(&self) -> bool {
        self.replicas.1 > self.replicas.0
    }
}

pub fn workload(kind: &str, attrs: &EnvAttrs<'_>) -> Workload {
    let replicas = int_range(attrs.get("replicas")).unwrap_or_else(|| {
        let n = default_int(kind, "replicas").unwrap_or(1);
        (n, n)
    });
    let quantity = |name: &str| {
        quantity_range(attrs.get(name)).unwrap_or_else(|| {
            let n = default_quantity(kind, name).unwrap_or(0);
            (n, n)
        })
    };
    Workload { replicas, cpu: quantity("cpu"), memory: quantity("memory") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taints_parse_with_and_without_a_value() {
        let taint = Taint::parse("gpu=true:NoSchedule").unwrap();
        assert_eq!((taint.key.as_str(), taint.value.as_str(), taint.effect), ("gpu", "true", TaintEffect::NoSchedule));
        assert_eq!(Taint::parse("dedicated:NoExecute").unwrap().spec(), "dedicated:NoExecute");
        assert!(Taint::parse("gpu=true").is_none());
        assert!(Taint::parse("gpu=true:Sometimes").is_none());
    }

    #[test]
    fn catalog_defaults_are_read_from_the_catalog() {
        assert_eq!(default_size("node_pool", "disk"), Some(100_000_000_000));
        assert_eq!(default_size("vm", "disk"), Some(30_000_000_000));
        assert_eq!(default_int("cache", "nodes"), Some(1));
        assert_eq!(default_bool("node_pool", "spot"), Some(false));
        assert_eq!(default_quantity("service", "cpu"), Some(250));
        assert_eq!(default_quantity("service", "memory"), Some(512 << 20));
    }
}

/// The Terraform state backend a cloud's plan uses unless it names one: the cloud's object
/// store. The emitter writes it and the checks validate `state` against it.
pub fn state_backend(cloud: Option<&str>) -> &'static str {
    match cloud {
        Some("azure") => "azurerm",
        Some("gcp") => "gcs",
        _ => "s3",
    }
}
