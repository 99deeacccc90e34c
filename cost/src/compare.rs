//! `planc cost --compare aws,azure,gcp`: the same plan priced on each cloud.
//!
//! Each resource keeps its kind and moves to the cloud's main region; instance classes are
//! translated through the price tables to the cheapest class on the target cloud of the same
//! shape: the same vCPUs, memory within 25%, the same architecture, burstable only for
//! burstable (Cloud SQL: the matching custom tier). What cannot be translated is listed, its
//! cloud's total marked incomplete, never priced at zero.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use super::model::{block_cost, cloud_sql_custom, CostContext};
use super::{capacities_of, EnvCost, Money, PlanCost};
use crate::catalog::pricing::{CloudPrices, PriceBook};
use crate::db::{file_ir, plan_facts, Database, Workspace};
use crate::ir::{Block, Value, ValueKind};

pub struct CloudCost {
    pub cloud: String,
    pub region: String,
    pub cost: PlanCost,
    /// (resource, from class, to class).
    pub mapped: Vec<(String, String, String)>,
    /// (resource, why it could not be moved).
    pub unmapped: Vec<(String, String)>,
}

pub struct Comparison {
    pub clouds: Vec<CloudCost>,
}

impl CloudCost {
    /// What could not be priced on this cloud: classes with no equivalent, and resources with a
    /// cost line the tables do not have. Their cost is missing from the totals, never $0.
    pub fn unpriced(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.unmapped.iter().map(|(resource, _)| resource.clone()).collect();
        for env in &self.cost.envs {
            for resource in env.billed().filter(|it| !it.unknown.is_empty()) {
                lines.push(format!("{} `{}`", resource.kind, resource.name));
            }
        }
        lines.sort();
        lines.dedup();
        lines
    }
}

impl Comparison {
    /// The cheapest cloud, named only when every total is complete: an incomplete total may
    /// look cheap for what it leaves out.
    pub fn cheapest(&self) -> Option<&CloudCost> {
        if self.clouds.iter().any(|it| !it.unpriced().is_empty()) {
            return None;
        }
        self.clouds.iter().min_by_key(|it| (it.cost.high, it.cost.low))
    }

    fn incomplete(&self) -> Vec<(&str, usize)> {
        self.clouds.iter().map(|it| (it.cloud.as_str(), it.unpriced().len())).filter(|it| it.1 > 0).collect()
    }

    /// The resources whose cost differs most between the cheapest and the dearest cloud.
    pub fn differences(&self) -> Vec<(String, Money, Money)> {
        let (Some(cheapest), Some(dearest)) =
            (self.cheapest(), self.clouds.iter().max_by_key(|it| (it.cost.high, it.cost.low)))
        else {
            return Vec::new();
        };
        let totals = |cost: &PlanCost| {
            let mut by_resource: BTreeMap<String, Money> = BTreeMap::new();
            for env in &cost.envs {
                for resource in env.billed() {
                    *by_resource.entry(format!("{} `{}`", resource.kind, resource.name)).or_default() += resource.high;
                }
            }
            by_resource
        };
        let (low, high) = (totals(&cheapest.cost), totals(&dearest.cost));
        let mut rows: Vec<(String, Money, Money)> =
            high.iter().map(|(key, dear)| (key.clone(), low.get(key).copied().unwrap_or_default(), *dear)).collect();
        rows.sort_by(|a, b| (b.2 - b.1).cmp(&(a.2 - a.1)));
        rows.truncate(3);
        rows
    }
}

pub fn compare(db: &Database, workspace: Workspace, clouds: &[String]) -> Comparison {
    let facts = plan_facts(db, workspace);
    let blocks: Vec<Block> =
        workspace.files(db).iter().flat_map(|&file| file_ir(db, file).value.blocks.clone()).collect();
    let source_cloud = facts.cloud.clone().unwrap_or_default();
    let book = PriceBook::builtin();
    let mut results = Vec::new();
    for cloud in clouds {
        let Some(target) = book.cloud(cloud) else { continue };
        let mut target_facts = facts.clone();
        target_facts.cloud = Some(cloud.clone());
        target_facts.region = Some(target.main_region.clone());
        for env in &mut target_facts.envs {
            env.cloud = None;
            env.region = None;
        }
        let mut mapped = Vec::new();
        let mut unmapped = Vec::new();
        let moved: Vec<Block> = blocks
            .iter()
            .map(|block| {
                let source =
                    book.cloud(block.attr("cloud").and_then(|it| it.value.as_str()).unwrap_or(source_cloud.as_str()));
                translate(block, source, target, &mut mapped, &mut unmapped)
            })
            .collect();
        let clusters = capacities_of(moved.iter(), &target_facts);
        let context = CostContext { facts: &target_facts, prices: book, clusters: &clusters };
        let mut envs: Vec<EnvCost> = EnvCost::per_env(&target_facts);
        for block in &moved {
            for (env, env_cost) in target_facts.envs.iter().zip(envs.iter_mut()) {
                let attrs = block.env_attrs(&env.name);
                if let Some(cost) = block_cost(&context, block, &attrs, env) {
                    if cost.allocated_from.is_none() {
                        env_cost.low += cost.low;
                        env_cost.high += cost.high;
                    }
                    env_cost.resources.push(cost);
                }
            }
        }
        mapped.sort();
        mapped.dedup();
        unmapped.sort();
        unmapped.dedup();
        results.push(CloudCost {
            cloud: cloud.clone(),
            region: target.main_region.clone(),
            cost: PlanCost {
                plan: facts.name.clone(),
                budget: facts.budget.map(Money::from_micros),
                low: envs.iter().map(|it| it.low).sum(),
                high: envs.iter().map(|it| it.high).sum(),
                envs,
                top: Vec::new(),
            },
            mapped,
            unmapped,
        });
    }
    Comparison { clouds: results }
}

/// A copy of `block` placed on the target cloud, its classes translated.
fn translate(
    block: &Block,
    source: Option<&CloudPrices>,
    target: &CloudPrices,
    mapped: &mut Vec<(String, String, String)>,
    unmapped: &mut Vec<(String, String)>,
) -> Block {
    let mut moved = block.clone();
    moved.attrs.retain(|attr| attr.name != "cloud" && attr.name != "region");
    for env_override in &mut moved.overrides {
        env_override.attrs.retain(|attr| attr.name != "cloud" && attr.name != "region");
    }
    let label = format!("{} `{}`", block.kind, block.name.as_deref().unwrap_or(""));
    let engine = block.attr("engine").and_then(|it| it.value.as_str()).unwrap_or("").to_string();
    let tables: Option<(Vec<&str>, Vec<&str>, &str)> = match block.kind.as_str() {
        "database" if engine == "mongodb" => Some((vec!["document_database"], vec!["document_database"], "tier")),
        "database" => Some((vec!["database", &engine], vec!["database", &engine], "tier")),
        "cache" => Some((vec!["cache", &engine], vec!["cache", &engine], "tier")),
        "vm" => Some((vec!["compute"], vec!["compute"], "size")),
        _ => None,
    };
    let Some(source) = source else { return moved };
    if source.cloud == target.cloud {
        return moved;
    }
    // Caches priced by capacity band (Memorystore) are sized by memory, not by a tier.
    if block.kind == "cache"
        && target.class_names(&["cache", &engine]).is_empty()
        && !target.cache_bands(&engine).is_empty()
    {
        if let Some(tier) = block.attr("tier").and_then(|it| it.value.as_str()) {
            if let Some(memory) = source.class(&["cache", &engine], tier).and_then(|it| it.memory_gib) {
                let gib = memory.ceil().max(1.0) as u64;
                let range = block.attr("tier").map(|it| it.value.range).unwrap_or(block.kind_range);
                moved.attrs.retain(|attr| attr.name != "tier");
                moved.attrs.push(crate::ir::Attr {
                    name: "memory".into(),
                    name_range: range,
                    value: Value { kind: ValueKind::Size(gib << 30), range },
                    doc: None,
                });
                mapped.push((label.clone(), tier.to_string(), format!("{gib} GiB")));
            }
        }
        return moved;
    }
    if let Some((from_table, to_table, attr)) = tables {
        translate_attr(&mut moved, attr, source, target, &from_table, &to_table, &label, mapped, unmapped);
    }
    if block.kind == "cluster" {
        for pool in &mut moved.children {
            let pool_label = format!("{label} node pool `{}`", pool.name.as_deref().unwrap_or(""));
            translate_attr(pool, "size", source, target, &["compute"], &["compute"], &pool_label, mapped, unmapped);
        }
    }
    moved
}

#[allow(clippy::too_many_arguments)]
fn translate_attr(
    block: &mut Block,
    attr: &str,
    source: &CloudPrices,
    target: &CloudPrices,
    from_table: &[&str],
    to_table: &[&str],
    label: &str,
    mapped: &mut Vec<(String, String, String)>,
    unmapped: &mut Vec<(String, String)>,
) {
    let mut values: Vec<&mut Value> =
        block.attrs.iter_mut().filter(|it| it.name == attr).map(|it| &mut it.value).collect();
    values.extend(
        block
            .overrides
            .iter_mut()
            .flat_map(|it| it.attrs.iter_mut())
            .filter(|it| it.name == attr)
            .map(|it| &mut it.value),
    );
    for value in values {
        let Some(class) = value.as_str().map(String::from) else { continue };
        let source_class = source.class(from_table, &class);
        // The equivalent keeps the architecture, and is burstable only if the original is.
        let arch = source_class.as_ref().and_then(|it| it.arch.clone());
        let burstable = crate::catalog::pricing::is_burstable(&class);
        let (vcpu, memory) = match (source_class, cloud_sql_custom(&class)) {
            (Some(priced), _) => (priced.vcpu.unwrap_or(0.0), priced.memory_gib.unwrap_or(0.0)),
            (None, Some((vcpu, mib))) => (vcpu as f64, mib as f64 / 1024.0),
            (None, None) => {
                unmapped.push((label.to_string(), format!("`{class}` is not in the {} tables", source.cloud)));
                continue;
            }
        };
        let per_vcpu_engine = to_table.get(1).filter(|_| to_table.first() == Some(&"database"));
        let best = if per_vcpu_engine
            .is_some_and(|engine| target.price(&["database_unit", engine, "vcpu_hourly"]).is_some())
        {
            let mib = ((memory * 1024.0 / 256.0).ceil() as u32).max(1) * 256;
            Some(format!("db-custom-{}-{mib}", vcpu.ceil().max(1.0) as u32))
        } else {
            target
                .class_names(to_table)
                .into_iter()
                .filter_map(|name| target.class(to_table, name).map(|priced| (name, priced)))
                // The same shape: the same vCPUs (caches, sized by memory alone, have none) and
                // memory within 25%.
                .filter(|(_, priced)| priced.vcpu.is_none_or(|it| (it - vcpu).abs() < 1e-9) || vcpu == 0.0)
                .filter(|(_, priced)| {
                    priced.memory_gib.is_some_and(|it| it >= memory * 0.75 - 1e-9 && it <= memory * 1.25 + 1e-9)
                })
                .filter(|(_, priced)| arch.is_none() || priced.arch.is_none() || priced.arch == arch)
                .filter(|(name, _)| burstable || !crate::catalog::pricing::is_burstable(name))
                .min_by(|a, b| a.1.hourly.cmp(&b.1.hourly).then(a.0.cmp(b.0)))
                .map(|(name, _)| name.to_string())
        };
        match best {
            Some(best) => {
                if best != class {
                    mapped.push((label.to_string(), class.clone(), best.clone()));
                }
                value.kind = ValueKind::String(best);
            }
            None => unmapped
                .push((label.to_string(), format!("no class with {vcpu} vCPU and {memory} GiB on {}", target.cloud))),
        }
    }
}

fn range_text(low: Money, high: Money) -> String {
    if low == high {
        low.to_string()
    } else {
        format!("{low}..{high}")
    }
}

/// A cloud's total, with ` (incomplete: 2 lines not priced)` when it leaves something out.
fn total_text(cloud: &CloudCost) -> String {
    let total = range_text(cloud.cost.low, cloud.cost.high);
    match cloud.unpriced().len() {
        0 => total,
        1 => format!("{total} (incomplete: 1 line not priced)"),
        count => format!("{total} (incomplete: {count} lines not priced)"),
    }
}

pub fn table(comparison: &Comparison) -> String {
    let mut out = String::from("The same plan priced on each cloud (main region, on-demand), USD per month\n\n");
    for cloud in &comparison.clouds {
        let _ = writeln!(out, "  {:<6} {:<12} {}", cloud.cloud, cloud.region, total_text(cloud));
    }
    out.push('\n');
    explain(&mut out, comparison, false);
    out
}

pub fn markdown(comparison: &Comparison) -> String {
    let mut out =
        String::from("## The same plan on each cloud\n\n| cloud | region | monthly |\n| --- | --- | ---: |\n");
    for cloud in &comparison.clouds {
        let _ = writeln!(out, "| {} | {} | {} |", cloud.cloud, cloud.region, total_text(cloud));
    }
    out.push('\n');
    explain(&mut out, comparison, true);
    out
}

fn explain(out: &mut String, comparison: &Comparison, markdown: bool) {
    let bullet = if markdown { "-" } else { "  -" };
    let incomplete = comparison.incomplete();
    if !incomplete.is_empty() {
        let clouds = incomplete.iter().map(|(cloud, _)| *cloud).collect::<Vec<_>>().join(", ");
        let _ = writeln!(
            out,
            "No cloud is called cheapest: the totals of {clouds} leave out what could not be priced there."
        );
    }
    if let Some(cheapest) = comparison.cheapest() {
        let _ = writeln!(out, "Cheapest: {} at {}/mo (high end).", cheapest.cloud, cheapest.cost.high);
        let differences = comparison.differences();
        if !differences.is_empty() {
            out.push_str("What makes the difference (high end, cheapest vs dearest):\n");
            for (resource, low, high) in differences {
                let _ = writeln!(out, "{bullet} {resource}: {low} vs {high}");
            }
        }
    }
    for cloud in &comparison.clouds {
        if !cloud.mapped.is_empty() {
            let _ = writeln!(out, "Classes translated for {}:", cloud.cloud);
            for (resource, from, to) in &cloud.mapped {
                let _ = writeln!(out, "{bullet} {resource}: {from} -> {to}");
            }
        }
        if !cloud.unmapped.is_empty() {
            let _ = writeln!(out, "Not priced on {}:", cloud.cloud);
            for (resource, why) in &cloud.unmapped {
                let _ = writeln!(out, "{bullet} {resource}: {why}");
            }
        }
    }
}

pub fn json(comparison: &Comparison) -> String {
    let money = |money: Money| format!("{}.{:02}", money.cents() / 100, (money.cents() % 100).abs());
    let document = json!({
        "currency": "USD",
        "period": "month",
        "cheapest": comparison.cheapest().map(|it| it.cloud.clone()),
        "clouds": comparison.clouds.iter().map(|cloud| json!({
            "cloud": cloud.cloud,
            "region": cloud.region,
            "low": money(cloud.cost.low),
            "high": money(cloud.cost.high),
            "complete": cloud.unpriced().is_empty(),
            "not_priced_lines": cloud.unpriced(),
            "envs": cloud.cost.envs.iter().map(|env| json!({ "env": env.env, "low": money(env.low), "high": money(env.high) })).collect::<Vec<_>>(),
            "translated": cloud.mapped.iter().map(|(resource, from, to)| json!({ "resource": resource, "from": from, "to": to })).collect::<Vec<_>>(),
            "not_priced": cloud.unmapped.iter().map(|(resource, why)| json!({ "resource": resource, "why": why })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}
