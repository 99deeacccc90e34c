//! CAT508 `unrepresentable-value`: a value the target cloud cannot take as written.
//!
//! The emitters write what the deployment model says, never a rounded or replaced value:
//! whatever the provider cannot represent exactly is rejected here, on the value's span,
//! with the nearest values it can.

use super::*;
use crate::deploy;
use crate::ir::Value;

pub static RULE: Rule =
    Rule {
        code: "CAT508",
        check: Check::PerEnv(&["plan", "network", "cluster", "vm", "cache", "database", "cdn", "queue", "topic", "function"], check),
    };

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

    /// A size the provider takes in whole decimal GB.
    fn whole_gb(&mut self, value: Option<&Value>, what: &str) {
        let Some(value) = value else { return };
        let Some(bytes) = deploy::size_bytes(Some(value)) else { return };
        if deploy::whole_gb(bytes).is_some() {
            return;
        }
        let low = bytes / 1_000_000_000;
        let choices = if low == 0 { "`1GB`".to_string() } else { format!("`{low}GB` or `{}GB`", low + 1) };
        self.report(
            value.range,
            format!("{what} must be a whole number of GB on {}", self.view.cloud),
            "not a whole GB",
            format!("the provider takes disk sizes in whole GB: use {choices}"),
        );
    }
}

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let mut finder = Finder { ctx, view, acc };
    match view.block.kind.as_str() {
        "cluster" => node_pools(&mut finder),
        "vm" => finder.whole_gb(view.attrs.get("disk"), "`disk`"),
        "database" => finder.whole_gb(view.attrs.get("storage"), "`storage`"),
        "cache" => cache(&mut finder),
        "plan" => state(&mut finder),
        "function" if view.cloud == "azure" => {
            if let Some(value) = view.attrs.get("timeout") {
                if crate::check::rules::duration_ms(value).is_some_and(|ms| ms > 600_000) {
                    finder.report(
                        value.range,
                        "Azure Functions on the Consumption plan run at most 10min".into(),
                        "too long",
                        "use `timeout = 10min` or less".into(),
                    );
                }
            }
        }
        "queue" | "topic" if view.cloud == "gcp" => {
            // Pub/Sub keeps messages 10 minutes to 7 days on a subscription, 31 days on a topic.
            let max_days = if view.block.kind == "queue" { 7 } else { 31 };
            if let Some(value) = view.attrs.get("retention") {
                let ms = crate::check::rules::duration_ms(value).unwrap_or(0);
                if ms < 600_000 || ms > max_days * 86_400_000 {
                    finder.report(
                        value.range,
                        format!("Pub/Sub keeps a {}'s messages from 10min to {max_days}d", view.block.kind),
                        "out of range",
                        format!("use a retention from `10min` to `{max_days}d`"),
                    );
                }
            }
        }
        "cdn" if view.cloud == "gcp" => {
            let origin = view.attrs.get("origin");
            let origin_kind = crate::check::rules::get_ref(view.attrs, "origin")
                .and_then(|name| ctx.index.lookup(name))
                .map(|it| it.kind.as_str());
            if origin_kind.is_some_and(|kind| kind != "bucket") {
                finder.report(
                    origin.map_or(name_range(view.block), |it| it.range),
                    "on gcp a `cdn` is built for a bucket origin only".into(),
                    "not built on gcp",
                    "put the CDN in front of a bucket, or place this cdn on aws or azure".into(),
                );
            }
            if view.attrs.get("host").is_none() {
                finder.report(
                    name_range(view.block),
                    format!("{} needs a `host` on gcp", describe(view.block)),
                    "no hostname for the certificate",
                    "Cloud CDN has no default domain: add `host = \"cdn.example.com\"` for its managed certificate".into(),
                );
            }
        }
        "network" => {
            if view.cloud == "aws" && deploy::wants_nat(view.attrs) && !deploy::has_public_subnet(view.block, &view.env.name) {
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

/// `state { }`: the fields each backend takes.
fn state(finder: &mut Finder<'_, '_>) {
    let view = finder.view;
    let Some(state) = view.attrs.get("state") else { return };
    let field = |name: &str| field(view.attrs, "state", name);
    let backend = field("backend").and_then(Value::as_str).map(String::from).unwrap_or_else(|| {
        crate::emit::terraform::default_backend(view.cloud.as_str().into()).to_string()
    });
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
                format!("add `{name} = \"...\"` naming the existing {}", if *name == "account" { "storage account" } else { "bucket or container" }),
            );
        }
    }
    for (name, used_by) in [("account", &["azurerm"][..]), ("bucket", &["s3", "gcs", "azurerm"]), ("key", &["s3", "gcs", "azurerm"])] {
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
        finder.whole_gb(attrs.get("disk"), "a node pool's `disk`");
        if let Some(Value { kind: crate::ir::ValueKind::List(taints), .. }) = attrs.get("taints") {
            for taint in taints {
                if taint.as_str().is_some_and(|text| deploy::Taint::parse(text).is_none()) {
                    finder.report(
                        taint.range,
                        "a taint is written `key=value:Effect`".into(),
                        "not a taint",
                        "the effect is one of `NoSchedule`, `PreferNoSchedule` or `NoExecute`, e.g. \
                         `\"gpu=true:NoSchedule\"`"
                            .into(),
                    );
                }
            }
        }
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
            let system = |what: &str| format!("AKS runs its system pods on the first node pool (`{pool_name}`), which {what}");
            if min < 1 {
                finder.report(
                    nodes_range,
                    system("needs at least one node"),
                    "the system pool cannot scale to zero",
                    format!("start it at one node, `nodes = 1..{}`, or put a pool that can scale to zero second", max.max(1)),
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
                    let gib = bytes as f64 / (1u64 << 30) as f64;
                    if deploy::whole_gib(bytes).is_none_or(|it| it < min || it > max) {
                        let low = (gib.floor() as u64).clamp(min, max);
                        let high = (gib.ceil() as u64).clamp(min, max);
                        let choices = if low == high { format!("`{low}Gi`") } else { format!("`{low}Gi` or `{high}Gi`") };
                        finder.report(
                            memory.range,
                            format!("Memorystore sizes caches in whole GiB from {min} to {max}; this is {gib:.2} GiB"),
                            "not a whole GiB Memorystore offers",
                            format!("use {choices}"),
                        );
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
        "Basic" if shape.nodes != 1 => Some("a Basic cache is one node: use `nodes = 1`, or a Standard tier for two".into()),
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
        finder.report(nodes_range, format!("{} nodes is not a size a {sku} Azure cache has", shape.nodes), "not offered", help);
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
