//! CAT508 `unrepresentable-value`: a value the target cloud cannot take as written.
//!
//! The emitters write what the deployment model says, never a rounded or replaced value:
//! whatever the provider cannot represent exactly is rejected here, on the value's span,
//! with the nearest values it can.

use super::*;
use crate::deploy;
use crate::ir::Value;

pub static RULE: Rule = Rule {
    code: "CAT508",
    check: Check::PerEnv(
        &[
            "plan",
            "network",
            "cluster",
            "vm",
            "cache",
            "database",
            "cdn",
            "queue",
            "topic",
            "function",
            "bucket",
            "gateway",
            "job",
            "service",
            "worker",
            "container",
        ],
        check,
    ),
};

const S: u64 = 1000;
const MIN: u64 = 60 * S;
const HOUR: u64 = 60 * MIN;
const DAY: u64 = 24 * HOUR;
const GB: u64 = 1_000_000_000;
const INT32: u64 = i32::MAX as u64;
const VM_COUNT: &str = "One `vm` block is at most 1000 instances (split a larger fleet): `count` takes";

/// What a value must be on a cloud: within `min..=max` (in the value's base unit: ms, bytes or
/// a count) and a whole number of `step`, as the provider's argument takes it.
struct Limit {
    kind: &'static str,
    /// `attr` or `attr.field`.
    attr: &'static str,
    cloud: &'static str,
    min: u64,
    max: u64,
    step: u64,
    /// Who sets the limit, for the message.
    service: &'static str,
}

const fn limit(
    kind: &'static str,
    attr: &'static str,
    cloud: &'static str,
    min: u64,
    max: u64,
    step: u64,
    service: &'static str,
) -> Limit {
    Limit { kind, attr, cloud, min, max, step, service }
}

/// The provider ranges the emitters would otherwise have to clamp or round.
const LIMITS: &[Limit] = &[
    limit("cache", "backup.retention", "aws", DAY, 35 * DAY, DAY, "ElastiCache keeps snapshots"),
    limit("database", "backup.retention", "aws", DAY, 35 * DAY, DAY, "RDS keeps automated backups"),
    limit(
        "database",
        "backup.retention",
        "azure",
        7 * DAY,
        35 * DAY,
        DAY,
        "Azure Database flexible servers keep backups",
    ),
    limit("database", "backup.retention", "gcp", DAY, 365 * DAY, DAY, "Cloud SQL keeps automated backups"),
    limit("database", "storage", "gcp", 10 * GB, 65_536 * GB, GB, "Cloud SQL disks are"),
    limit("database", "storage", "aws", 20 * GB, 65_536 * GB, GB, "RDS storage is"),
    limit("queue", "retention", "aws", MIN, 14 * DAY, S, "SQS keeps messages"),
    limit("queue", "retention", "gcp", 10 * MIN, 7 * DAY, S, "Pub/Sub subscriptions keep messages"),
    limit("topic", "retention", "gcp", 10 * MIN, 31 * DAY, S, "Pub/Sub topics keep messages"),
    limit("queue", "visibility_timeout", "aws", 0, 12 * HOUR, S, "SQS visibility timeouts are"),
    limit("queue", "visibility_timeout", "gcp", 10 * S, 600 * S, S, "Pub/Sub acknowledgement deadlines are"),
    limit("queue", "max_receives", "aws", 1, 1000, 1, "SQS redrive allows"),
    limit("queue", "max_receives", "gcp", 5, 100, 1, "Pub/Sub dead-letter policies allow"),
    limit("function", "timeout", "aws", S, 15 * MIN, S, "Lambda runs a function"),
    limit("function", "timeout", "azure", S, 10 * MIN, S, "Azure Functions on the Consumption plan run"),
    limit("function", "timeout", "gcp", S, 60 * MIN, S, "Cloud Run functions run"),
    limit(
        "bucket",
        "lifecycle.infrequent",
        "aws",
        30 * DAY,
        100_000 * DAY,
        DAY,
        "S3 moves objects to Standard-IA after",
    ),
    limit("bucket", "lifecycle.archive", "aws", DAY, 100_000 * DAY, DAY, "S3 lifecycle rules count"),
    limit("bucket", "lifecycle.expire", "aws", DAY, 100_000 * DAY, DAY, "S3 lifecycle rules count"),
    limit("bucket", "lifecycle.infrequent", "azure", DAY, 100_000 * DAY, DAY, "Azure lifecycle rules count"),
    limit("bucket", "lifecycle.archive", "azure", DAY, 100_000 * DAY, DAY, "Azure lifecycle rules count"),
    limit("bucket", "lifecycle.expire", "azure", DAY, 100_000 * DAY, DAY, "Azure lifecycle rules count"),
    limit("bucket", "lifecycle.infrequent", "gcp", DAY, 100_000 * DAY, DAY, "GCS lifecycle rules count"),
    limit("bucket", "lifecycle.archive", "gcp", DAY, 100_000 * DAY, DAY, "GCS lifecycle rules count"),
    limit("bucket", "lifecycle.expire", "gcp", DAY, 100_000 * DAY, DAY, "GCS lifecycle rules count"),
    limit("gateway", "rate_limit", "aws", 10, 2_000_000_000, 1, "AWS WAF rate-based rules take"),
    // Counts that multiply what is built: bounded by what the region or the API can hold, so a
    // typo such as `zones = 4294967295` is an error rather than an unbounded build.
    limit("network", "zones", "aws", 1, 6, 1, "An AWS region has at most 6 availability zones: `zones` takes"),
    limit("network", "zones", "azure", 1, 3, 1, "An Azure region has 3 availability zones: `zones` takes"),
    // An autoscaled set may scale to zero (`count = 0..5`), as the three providers allow.
    limit("vm", "count", "aws", 0, 1000, 1, VM_COUNT),
    limit("vm", "count", "azure", 0, 1000, 1, VM_COUNT),
    limit("vm", "count", "gcp", 0, 1000, 1, VM_COUNT),
    limit("service", "replicas", "aws", 0, INT32, 1, "Kubernetes counts replicas from"),
    limit("service", "replicas", "azure", 0, INT32, 1, "Kubernetes counts replicas from"),
    limit("service", "replicas", "gcp", 0, INT32, 1, "Kubernetes counts replicas from"),
    limit("worker", "replicas", "aws", 0, INT32, 1, "Kubernetes counts replicas from"),
    limit("worker", "replicas", "azure", 0, INT32, 1, "Kubernetes counts replicas from"),
    limit("worker", "replicas", "gcp", 0, INT32, 1, "Kubernetes counts replicas from"),
    limit("job", "timeout", "aws", S, u64::MAX, S, "Kubernetes counts a job's deadline in"),
    limit("job", "timeout", "azure", S, u64::MAX, S, "Kubernetes counts a job's deadline in"),
    limit("job", "timeout", "gcp", S, u64::MAX, S, "Kubernetes counts a job's deadline in"),
];

/// A value in a limit's unit, and how to write an amount of it.
fn base_amount(value: &Value) -> Option<u64> {
    match value.kind {
        crate::ir::ValueKind::Duration(ms) => Some(ms),
        crate::ir::ValueKind::Size(bytes) => Some(bytes),
        crate::ir::ValueKind::Int(n) => u64::try_from(n).ok(),
        _ => None,
    }
}

fn written(value: &Value, amount: u64) -> String {
    match value.kind {
        crate::ir::ValueKind::Duration(_) => match amount {
            0 => "0s".into(),
            n if n % DAY == 0 => format!("{}d", n / DAY),
            n if n % HOUR == 0 => format!("{}h", n / HOUR),
            n if n % MIN == 0 => format!("{}min", n / MIN),
            n if n % S == 0 => format!("{}s", n / S),
            n => format!("{n}ms"),
        },
        crate::ir::ValueKind::Size(_) => format!("{}GB", amount / GB),
        _ => amount.to_string(),
    }
}

fn limits(finder: &mut Finder<'_, '_>) {
    let view = finder.view;
    for limit in LIMITS.iter().filter(|it| it.kind == view.block.kind && it.cloud == view.cloud) {
        let (attr, field_name) = limit.attr.split_once('.').map_or((limit.attr, None), |(a, f)| (a, Some(f)));
        let value = match field_name {
            Some(name) => field(view.attrs, attr, name),
            None => view.attrs.get(attr),
        };
        let Some(value) = value else { continue };
        // A range is checked at both ends.
        let ends: Vec<&Value> = match &value.kind {
            crate::ir::ValueKind::Range(low, high) => vec![&**low, &**high],
            _ => vec![value],
        };
        for value in ends {
            check_limit(finder, limit, value);
        }
    }
}

fn check_limit(finder: &mut Finder<'_, '_>, limit: &Limit, value: &Value) {
    let Some(amount) = base_amount(value) else { return };
    let in_range = amount >= limit.min && amount <= limit.max;
    if in_range && amount % limit.step == 0 {
        return;
    }
    let nearest = if !in_range {
        amount.clamp(limit.min, limit.max)
    } else {
        let low = amount / limit.step * limit.step;
        if low < limit.min {
            low + limit.step
        } else {
            low
        }
    };
    let unit = match (&value.kind, limit.step) {
        (crate::ir::ValueKind::Duration(_), DAY) => " days",
        (crate::ir::ValueKind::Duration(_), HOUR) => " hours",
        (crate::ir::ValueKind::Duration(_), MIN) => " minutes",
        (crate::ir::ValueKind::Duration(_), _) => " seconds",
        (crate::ir::ValueKind::Size(_), _) => " GB",
        _ => "",
    };
    let message = if limit.max == u64::MAX {
        format!("{} whole{unit}", limit.service)
    } else if unit.is_empty() {
        format!("{} {} to {}", limit.service, written(value, limit.min), written(value, limit.max))
    } else {
        format!("{} {} to {}, in whole{unit}", limit.service, written(value, limit.min), written(value, limit.max))
    };
    finder.report(value.range, message, "not a value the provider takes", format!("use `{}`", written(value, nearest)));
}

/// The size of a `disk`, written alone or as the `size` of its object form.
fn disk_size(value: Option<&Value>) -> Option<&Value> {
    match &value?.kind {
        crate::ir::ValueKind::Map(entries) => entries.iter().find(|it| it.key == "size").map(|it| &it.value),
        _ => value,
    }
}

/// An EC2 boot volume is gp3 here: no HDD, IOPS 3,000 to 16,000 and at most 500 per GiB,
/// throughput 125 to 1,000 MB/s and at most 0.25 MB/s per IOPS (the EBS limits).
fn ebs_boot_disk(finder: &mut Finder<'_, '_>) {
    let view = finder.view;
    let disk = deploy::disk("vm", view.attrs);
    let disk_value = view.attrs.get("disk");
    let field_range = |name: &str| match disk_value.map(|it| &it.kind) {
        Some(crate::ir::ValueKind::Map(entries)) => {
            entries.iter().find(|it| it.key == name).map(|it| it.value.range).or(disk_value.map(|it| it.range))
        }
        _ => disk_value.map(|it| it.range),
    };
    if disk.kind.as_deref() == Some("hdd") {
        let range = field_range("type").unwrap_or_else(|| name_range(view.block));
        finder.report(
            range,
            "EC2 cannot boot from an HDD volume (st1 and sc1 are data volumes only)".into(),
            "not a boot volume type",
            "use `type = balanced` or `type = ssd` (gp3); put bulk data on a bucket or a data volume".into(),
        );
    }
    let gib = disk.bytes >> 30;
    if let (Some(iops), Some(range)) = (disk.iops, field_range("iops")) {
        if !(3000..=16000).contains(&iops) || iops as u64 > 500 * gib.max(1) {
            finder.report(
                range,
                format!(
                    "a gp3 volume takes 3000 to 16000 IOPS, at most 500 per GiB ({} for this disk)",
                    (500 * gib).min(16000)
                ),
                "not a gp3 IOPS value",
                "lower `iops`, or make the disk larger".into(),
            );
        }
    }
    if let (Some(throughput), Some(range)) = (disk.throughput, field_range("throughput")) {
        let iops = disk.iops.unwrap_or(3000);
        if !(125..=1000).contains(&throughput) || throughput * 4 > iops {
            finder.report(
                range,
                format!(
                    "a gp3 volume takes 125 to 1000 MB/s, at most 0.25 per provisioned IOPS ({} for {iops} IOPS)",
                    (iops / 4).min(1000)
                ),
                "not a gp3 throughput value",
                "lower `throughput`, or raise `iops`".into(),
            );
        }
    }
}

/// Memorystore for Redis: 1 to 300 GiB, at most 5 read replicas.
const MEMORYSTORE_GIB: (u64, u64) = (1, 300);
const MEMORYSTORE_MAX_REPLICAS: i64 = 5;

struct Finder<'a, 'b> {
    ctx: &'a RuleCtx<'b>,
    view: &'a BlockView<'b>,
    acc: &'a mut Vec<Diagnostic>,
}

impl Finder<'_, '_> {
    fn report(&mut self, range: TextRange, message: String, label: &str, help: String) {
        self.acc.push(
            diagnostic("CAT508", message, self.ctx.path, range)
                .label(label.to_string())
                .note(format!("in environment `{}` on {}", self.view.env.name, self.view.cloud))
                .help(help),
        );
    }

    /// A size the provider takes as a whole number of GB (its GB being GiB, either is read).
    fn whole_gb(&mut self, value: Option<&Value>, what: &str) {
        let Some(value) = value else { return };
        let Some(bytes) = deploy::size_bytes(Some(value)) else { return };
        if deploy::provider_gb(bytes).is_some() {
            return;
        }
        let low = bytes / 1_000_000_000;
        let choices = if low == 0 { "`1GB`".to_string() } else { format!("`{low}GB` or `{}GB`", low + 1) };
        self.report(
            value.range,
            format!("{what} must be a whole number of GB on {}", self.view.cloud),
            "not a whole GB",
            format!("the provider takes sizes in whole GB: use {choices}"),
        );
    }
}

/// `replicate_to` on each cloud: another region (S3), a region on the bucket's continent
/// (a GCS dual-region), or the region's pair (Azure geo-redundant storage).
fn replicate_to(finder: &mut Finder<'_, '_>) {
    let Some(value) = finder.view.attrs.get("replicate_to") else { return };
    let Some(target) = value.as_str() else { return };
    let home = finder.view.region.clone();
    let problem = match finder.view.cloud.as_str() {
        "gcp" if deploy::dr::gcs_multi_region(&home, target).is_none() => Some((
            format!("Cloud Storage replicates {home} only to another region on its continent (a dual-region)"),
            "use a region in the same multi-region (us-*, europe-* or asia-*)".to_string(),
        )),
        "azure" if deploy::dr::azure_pair(&home) != Some(target) => Some((
            format!("Azure geo-redundant storage replicates {home} only to its pair"),
            match deploy::dr::azure_pair(&home) {
                Some(pair) => format!("use `replicate_to = \"{pair}\"`"),
                None => format!("{home} has no paired region: remove `replicate_to`"),
            },
        )),
        _ if target == home => Some((
            format!("the bucket is in {home} already: a copy in the same region does not survive losing it"),
            "replicate to another region".to_string(),
        )),
        _ => None,
    };
    if let Some((message, help)) = problem {
        finder.report(value.range, message, "not a region the copy can go to", help);
    }
}

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let mut finder = Finder { ctx, view, acc };
    limits(&mut finder);
    match view.block.kind.as_str() {
        "cluster" => node_pools(&mut finder),
        "vm" => {
            finder.whole_gb(disk_size(view.attrs.get("disk")), "`disk`");
            if view.cloud == "aws" {
                ebs_boot_disk(&mut finder);
            }
        }
        "database" => {
            finder.whole_gb(view.attrs.get("storage"), "`storage`");
            // Azure flexible servers offer these disk sizes only (GiB).
            const AZURE: &[u64] = &[32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767];
            let storage = view.attrs.get("storage");
            let gb = deploy::size_bytes(storage).and_then(deploy::provider_gb);
            if let (Some(value), Some(gb), "azure") = (storage, gb, view.cloud.as_str()) {
                if !AZURE.contains(&gb) {
                    let nearest = AZURE.iter().copied().find(|it| *it >= gb).unwrap_or(32767);
                    finder.report(
                        value.range,
                        format!(
                            "Azure flexible servers offer storage of {} GB",
                            AZURE.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
                        ),
                        "not a size Azure offers",
                        format!("use `{nearest}GB`"),
                    );
                }
            }
        }
        "cache" => cache(&mut finder),
        "bucket" => replicate_to(&mut finder),
        "container" => {
            let shape = deploy::container::container(view.attrs);
            if let Err(offered) = deploy::container::size_offered(&view.cloud, shape.cpu, shape.memory) {
                let range = value_range(view.attrs, "memory")
                    .or_else(|| value_range(view.attrs, "cpu"))
                    .unwrap_or_else(|| name_range(view.block));
                finder.report(
                    range,
                    offered,
                    "not a size the platform runs",
                    "pick `cpu` and `memory` from the platform's table".into(),
                );
            }
        }
        "plan" => state(&mut finder),
        "service" | "worker" => {
            workload_behaviour(&mut finder);
            let workload = deploy::workload(&view.block.kind, view.attrs);
            if workload.autoscaled() && workload.replicas.0 < 1 {
                finder.report(
                    value_range(view.attrs, "replicas").unwrap_or_else(|| name_range(view.block)),
                    "a HorizontalPodAutoscaler keeps at least one replica".into(),
                    "cannot scale to zero",
                    format!("use `replicas = 1..{}`", workload.replicas.1),
                );
            }
        }
        "network" => {
            rule_ports(&mut finder);
            subnets_inside(&mut finder);
            if view.cloud == "aws"
                && deploy::wants_nat(view.attrs)
                && !deploy::has_public_subnet(view.block, &view.env.name)
            {
                let range = value_range(view.attrs, "nat").unwrap_or_else(|| name_range(view.block));
                finder.report(
                    range,
                    format!("{} has NAT but no public subnet to put a NAT gateway in", describe(view.block)),
                    "no public subnet",
                    "add a `subnet` with `tier = public`, or set `nat = false`".into(),
                );
            }
        }
        _ => {}
    }
}

/// Kubernetes and Argo Rollouts take percentages as whole numbers and times in whole seconds;
/// the HPA bounds a policy's period to 30 minutes and a stabilization window to an hour.
fn workload_behaviour(finder: &mut Finder<'_, '_>) {
    use crate::ir::ValueKind;
    let view = finder.view;
    let mut percents: Vec<&Value> = Vec::new();
    for (attr, name) in [
        ("rollout", "max_surge"),
        ("rollout", "max_unavailable"),
        ("disruption", "max_unavailable"),
        ("disruption", "min_available"),
    ] {
        percents.extend(field(view.attrs, attr, name));
    }
    if let Some(ValueKind::List(steps)) = field(view.attrs, "rollout", "steps").map(|it| &it.kind) {
        percents.extend(steps);
    }
    let mut seconds: Vec<(&Value, u64, u64, &str)> = Vec::new();
    if let Some(pause) = field(view.attrs, "rollout", "pause") {
        seconds.push((pause, S, u64::MAX, "Argo Rollouts pauses for"));
    }
    for direction in ["scale_up", "scale_down"] {
        let Some(ValueKind::Map(entries)) = field(view.attrs, "autoscale", direction).map(|it| &it.kind) else {
            continue;
        };
        for entry in entries {
            match entry.key.as_str() {
                "max" => percents.push(&entry.value),
                "period" => seconds.push((&entry.value, S, 30 * MIN, "A HorizontalPodAutoscaler policy's period is")),
                "stabilization" => {
                    seconds.push((&entry.value, 0, HOUR, "A HorizontalPodAutoscaler's stabilization window is"))
                }
                _ => {}
            }
        }
    }
    for value in percents {
        let ValueKind::Percent(p) = value.kind else { continue };
        let p = p.get();
        if p.fract() != 0.0 || p < 0.0 {
            finder.report(
                value.range,
                format!("Kubernetes takes a percentage as a whole number, not {p}%"),
                "not a whole percentage",
                format!("use `{}%` or `{}%`", p.floor().max(0.0), p.ceil().max(0.0)),
            );
        }
    }
    for (value, min, max, service) in seconds {
        let limit = Limit { kind: "", attr: "", cloud: "", min, max, step: S, service };
        check_limit(finder, &limit, value);
    }
}

/// Ports of `allow` and `deny` rules are 1 to 65535; a rule to a service is a NetworkPolicy,
/// which matches TCP and UDP only.
fn rule_ports(finder: &mut Finder<'_, '_>) {
    use crate::ir::ValueKind;
    let view = finder.view;
    for rule in view.block.children.iter().filter(|it| matches!(it.kind.as_str(), "allow" | "deny")) {
        let attrs = rule.env_attrs(&view.env.name);
        if let Some(ValueKind::List(items)) = attrs.get("ports").map(|it| &it.kind) {
            for item in items {
                let ends: Vec<&Value> = match &item.kind {
                    ValueKind::Range(low, high) => vec![&**low, &**high],
                    _ => vec![item],
                };
                for end in ends {
                    if end.as_int().is_some_and(|port| !(1..=65535).contains(&port)) {
                        finder.report(
                            end.range,
                            "a port is a number from 1 to 65535".into(),
                            "not a port",
                            "use a port from 1 to 65535, or a range such as `8000..8100`".into(),
                        );
                    }
                }
            }
        }
        let protocol = attrs.get("protocol").and_then(Value::as_str).unwrap_or("tcp");
        let to_service = matches!(attrs.get("to").map(|it| &it.kind), Some(ValueKind::Ref(reference))
            if finder.ctx.index.lookup(&reference.name).is_some_and(|it| it.kind == "service"));
        if rule.kind == "allow" && to_service && matches!(protocol, "icmp" | "all") {
            let range = attrs.get("protocol").map_or_else(|| name_range(rule), |it| it.range);
            finder.report(
                range,
                "a rule to a service is a Kubernetes NetworkPolicy, which matches TCP and UDP only".into(),
                "not a NetworkPolicy protocol",
                "use `protocol = tcp` or `protocol = udp`".into(),
            );
        }
    }
}

/// Every subnet's block lies inside its network's (P027 has checked that both are blocks).
fn subnets_inside(finder: &mut Finder<'_, '_>) {
    use crate::catalog::formats::{mask, parse_cidr4};
    let view = finder.view;
    let Some((network, prefix)) = view.attrs.get("cidr").and_then(Value::as_str).and_then(parse_cidr4) else {
        return;
    };
    let (network, network_mask) = (u32::from(network), mask(prefix));
    for subnet in view.block.children.iter().filter(|it| it.kind == "subnet") {
        let attrs = subnet.env_attrs(&view.env.name);
        let Some(value) = attrs.get("cidr") else { continue };
        let Some((address, subnet_prefix)) = value.as_str().and_then(parse_cidr4) else { continue };
        let inside = subnet_prefix >= prefix && u32::from(address) & network_mask == network & network_mask;
        if !inside {
            finder.report(
                value.range,
                format!(
                    "the subnet `{}` is not inside its network's block `{}/{prefix}`",
                    value.as_str().unwrap_or(""),
                    std::net::Ipv4Addr::from(network)
                ),
                "outside the network",
                format!(
                    "carve the subnet from the network's block, e.g. `\"{}/{}\"`",
                    std::net::Ipv4Addr::from(network),
                    (prefix.max(24)).min(32)
                ),
            );
        }
    }
}

/// `state { }`: the fields each backend takes.
fn state(finder: &mut Finder<'_, '_>) {
    let view = finder.view;
    let Some(state) = view.attrs.get("state") else { return };
    let field = |name: &str| field(view.attrs, "state", name);
    let backend = field("backend")
        .and_then(Value::as_str)
        .map(String::from)
        .unwrap_or_else(|| crate::deploy::state_backend(view.cloud.as_str().into()).to_string());
    let needs: &[&str] = match backend.as_str() {
        "s3" | "gcs" => &["bucket"],
        "azurerm" => &["bucket", "account"],
        _ => &[],
    };
    for name in needs {
        if field(name).is_none() {
            finder.report(
                state.range,
                format!("the `{backend}` state backend needs `{name}`"),
                "incomplete backend",
                format!(
                    "add `{name} = \"...\"` naming the existing {}",
                    if *name == "account" { "storage account" } else { "bucket or container" }
                ),
            );
        }
    }
    for (name, used_by) in
        [("account", &["azurerm"][..]), ("bucket", &["s3", "gcs", "azurerm"]), ("key", &["s3", "gcs", "azurerm"])]
    {
        if let Some(value) = field(name).filter(|_| !used_by.contains(&backend.as_str())) {
            finder.report(
                value.range,
                format!("the `{backend}` state backend has no `{name}`"),
                "not used by this backend",
                format!("remove it, or use a backend that takes it ({})", used_by.join(", ")),
            );
        }
    }
    if let Some(lock) = field("lock").filter(|it| it.as_bool() == Some(false)) {
        if matches!(backend.as_str(), "azurerm" | "gcs") {
            finder.report(
                lock.range,
                format!("the `{backend}` state backend always locks"),
                "cannot be turned off",
                "remove `lock = false`".into(),
            );
        }
    }
}

fn node_pools(finder: &mut Finder<'_, '_>) {
    let view = finder.view;
    let env = view.env.name.as_str();
    let pools: Vec<_> = view.block.children.iter().filter(|it| it.kind == "node_pool").collect();
    for (position, pool) in pools.iter().enumerate() {
        let attrs = pool.env_attrs(env);
        let pool_name = pool.name.as_deref().unwrap_or("");
        finder.whole_gb(disk_size(attrs.get("disk")), "a node pool's `disk`");
        let nodes = attrs.get("nodes");
        let (min, max) = deploy::int_range(nodes).unwrap_or((1, 1));
        let nodes_range = nodes.map_or(name_range(pool), |it| it.range);
        if max < 1 {
            finder.report(
                nodes_range,
                format!("node pool `{pool_name}` can never have a node"),
                "no nodes",
                "managed node groups need a maximum of at least one node: write `nodes = 0..N` for a pool the \
                 autoscaler may empty"
                    .into(),
            );
        }
        // AKS: the first pool is the cluster's system pool (`default_node_pool`).
        if view.cloud == "azure" && position == 0 {
            let system =
                |what: &str| format!("AKS runs its system pods on the first node pool (`{pool_name}`), which {what}");
            if min < 1 {
                finder.report(
                    nodes_range,
                    system("needs at least one node"),
                    "the system pool cannot scale to zero",
                    format!(
                        "start it at one node, `nodes = 1..{}`, or put a pool that can scale to zero second",
                        max.max(1)
                    ),
                );
            }
            if let Some(spot) = attrs.get("spot").filter(|it| it.as_bool() == Some(true)) {
                finder.report(
                    spot.range,
                    system("cannot use spot capacity"),
                    "spot on the system pool",
                    "declare a regular pool first and the spot pool after it".into(),
                );
            }
            if let Some(taints) = attrs.get("taints") {
                finder.report(
                    taints.range,
                    system("cannot carry taints in azurerm 4"),
                    "taints on the system pool",
                    "move the tainted workloads to a second pool".into(),
                );
            }
        }
    }
}

fn cache(finder: &mut Finder<'_, '_>) {
    let view = finder.view;
    let attrs = view.attrs;
    let shape = deploy::cache(attrs);
    let nodes_range = value_range(attrs, "nodes").unwrap_or_else(|| name_range(view.block));
    match view.cloud.as_str() {
        "gcp" => {
            let memory = attrs.get("memory");
            match (memory, shape.memory_bytes) {
                (Some(memory), Some(bytes)) => {
                    let (min, max) = MEMORYSTORE_GIB;
                    match deploy::provider_gb(bytes) {
                        Some(gb) if (min..=max).contains(&gb) => {}
                        Some(_) => finder.report(
                            memory.range,
                            format!("Memorystore sizes caches from {min} to {max} GB"),
                            "out of range",
                            format!("use a size from `{min}GB` to `{max}GB`"),
                        ),
                        None => finder.whole_gb(Some(memory), "a Memorystore cache's `memory`"),
                    }
                }
                (None, _) if attrs.get("tier").is_none() => finder.report(
                    name_range(view.block),
                    format!("{} needs a `memory` size on gcp", describe(view.block)),
                    "no size",
                    "Memorystore sizes caches by memory: add e.g. `memory = 5Gi`".into(),
                ),
                _ => {}
            }
            if shape.engine == "redis" {
                if shape.shards > 1 {
                    finder.report(
                        value_range(attrs, "shards").unwrap_or(nodes_range),
                        "Memorystore for Redis has no shards (cluster mode is a separate product Plan does not model)"
                            .into(),
                        "not offered",
                        "remove `shards`, or place the cache on aws or azure".into(),
                    );
                }
                if shape.nodes - 1 > MEMORYSTORE_MAX_REPLICAS {
                    finder.report(
                        nodes_range,
                        format!(
                            "Memorystore for Redis runs at most {} nodes (a primary and {MEMORYSTORE_MAX_REPLICAS} read replicas)",
                            MEMORYSTORE_MAX_REPLICAS + 1
                        ),
                        "too many nodes",
                        format!("use `nodes = {}` or fewer", MEMORYSTORE_MAX_REPLICAS + 1),
                    );
                }
            }
        }
        "aws" | "azure" => {
            if let Some(memory) = attrs.get("memory") {
                let service = if view.cloud == "aws" { "ElastiCache" } else { "Azure Cache for Redis" };
                finder.report(
                    memory.range,
                    format!("{service} sizes a cache by its `tier`, not by `memory`"),
                    "not used on this cloud",
                    "remove `memory` and pick a `tier` with that much memory (`planc explain CAT501` lists where the tiers are)"
                        .into(),
                );
            }
            if view.cloud == "aws" && shape.shards > 1 && shape.nodes % shape.shards != 0 {
                let per_shard = (shape.nodes / shape.shards).max(1);
                finder.report(
                    nodes_range,
                    format!("{} nodes cannot be split evenly over {} shards", shape.nodes, shape.shards),
                    "uneven shards",
                    format!("every shard has the same replicas: use `nodes = {}`", per_shard * shape.shards),
                );
            }
            if view.cloud == "azure" {
                azure_cache(finder, &shape, nodes_range);
            }
        }
        _ => {}
    }
}

/// Azure Cache for Redis: Basic is one node, Standard a primary and a replica, Premium
/// `shards × (1 + 1..3 replicas)`. Versions are CAT502's.
fn azure_cache(finder: &mut Finder<'_, '_>, shape: &deploy::Cache, nodes_range: TextRange) {
    let attrs = finder.view.attrs;
    let sku = shape.tier.as_deref().and_then(|it| it.split_once('_')).map(|it| it.0).unwrap_or("");
    let allowed: Option<String> = match sku {
        "Basic" if shape.nodes != 1 => {
            Some("a Basic cache is one node: use `nodes = 1`, or a Standard tier for two".into())
        }
        "Standard" if shape.nodes != 2 => {
            Some("a Standard cache is a primary and one replica: use `nodes = 2`, or a Premium tier for more".into())
        }
        "Premium" => {
            let per_shard = shape.nodes / shape.shards.max(1);
            let even = shape.nodes % shape.shards.max(1) == 0;
            (!even || !(2..=4).contains(&per_shard)).then(|| {
                format!(
                    "a Premium cache has 1 to 3 replicas per shard: with {} shards use `nodes` from {} to {} in steps of {}",
                    shape.shards,
                    2 * shape.shards,
                    4 * shape.shards,
                    shape.shards
                )
            })
        }
        _ => None,
    };
    if let Some(help) = allowed {
        finder.report(
            nodes_range,
            format!("{} nodes is not a size a {sku} Azure cache has", shape.nodes),
            "not offered",
            help,
        );
    }
    if shape.shards > 1 && sku != "Premium" {
        finder.report(
            value_range(attrs, "shards").unwrap_or(nodes_range),
            "only Premium Azure caches are sharded".into(),
            "not offered",
            "use a Premium tier (`Premium_P1`) or remove `shards`".into(),
        );
    }
}
