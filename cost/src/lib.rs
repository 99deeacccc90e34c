//! Monthly cost per block, environment and plan, from the price tables in `stdlib/pricing/`,
//! and the reports `planc cost` prints. Budgets are checked by the COST3xx rules from these
//! figures.

pub mod compare;
pub mod model;
mod queries;
pub mod report;

use plan_catalog as catalog;
use plan_db as db;
use plan_deploy as deploy;
use plan_ir as ir;

pub use queries::*;

use std::collections::BTreeMap;

pub use crate::catalog::money::{Money, HOURS_PER_MONTH};
pub use model::{ClusterCapacity, CostLine, ResourceCost};

use crate::catalog::pricing::PriceBook;
use crate::db::facts::PlanFacts;

/// The assumptions behind every estimate, printed with every report.
pub const ASSUMPTIONS: &[&str] = &[
    "public on-demand list prices in USD (no reserved, savings-plan or spot discounts, no taxes)",
    "730 hours a month; ranges run from the low to the high replica, node and instance counts",
    "no data transfer or request charges unless a usage attribute gives them (`invocations`, `messages`, `size`)",
    "workloads on a cluster show their share of its nodes (requests over capacity); totals count the nodes once",
    "regions other than each cloud's main region are priced with a documented multiplier and marked estimated",
];

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct EnvCost {
    pub env: String,
    pub production: bool,
    /// The env's budget, per month.
    pub budget: Option<Money>,
    pub low: Money,
    pub high: Money,
    pub resources: Vec<ResourceCost>,
}

impl EnvCost {
    /// One empty cost per environment of the plan, with its budget, to be filled in.
    pub fn per_env(facts: &crate::db::facts::PlanFacts) -> Vec<EnvCost> {
        facts
            .envs
            .iter()
            .map(|env| EnvCost {
                env: env.name.clone(),
                production: env.production,
                budget: env.budget.map(Money::from_micros),
                ..EnvCost::default()
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PlanCost {
    pub plan: Option<String>,
    pub budget: Option<Money>,
    pub low: Money,
    pub high: Money,
    pub envs: Vec<EnvCost>,
    /// The three resources that cost the most over all environments.
    pub top: Vec<ResourceCost>,
}

impl EnvCost {
    /// The resources that count toward the total (not a workload's share of a cluster).
    pub fn billed(&self) -> impl Iterator<Item = &ResourceCost> {
        self.resources.iter().filter(|it| it.allocated_from.is_none())
    }

    /// The three resources that cost the most at the high end.
    pub fn top_drivers(&self) -> Vec<&ResourceCost> {
        let mut billed: Vec<&ResourceCost> = self.billed().collect();
        billed.sort_by(|a, b| b.high.cmp(&a.high).then_with(|| a.name.cmp(&b.name)));
        billed.truncate(3);
        billed
    }
}

/// Capacity and node cost of the clusters among `blocks`, per environment.
pub fn capacities_of<'a>(
    blocks: impl Iterator<Item = &'a crate::ir::Block>,
    facts: &PlanFacts,
) -> BTreeMap<String, BTreeMap<String, ClusterCapacity>> {
    let prices = PriceBook::builtin();
    let mut clusters = BTreeMap::new();
    {
        for block in blocks.filter(|it| it.kind == "cluster") {
            let Some(name) = &block.name else { continue };
            let mut per_env = BTreeMap::new();
            for env in &facts.envs {
                let attrs = block.env_attrs(&env.name);
                let cloud = facts.cloud_of(&attrs, env).unwrap_or_default();
                let region = facts.region_of(&attrs, env).unwrap_or_default();
                let Some(cloud_prices) = prices.cloud(&cloud) else { continue };
                let pricing = cloud_prices.region_pricing(&region);
                let mut capacity = ClusterCapacity::default();
                for pool in crate::deploy::node_pools(block, &env.name) {
                    let repels = pool
                        .taints
                        .iter()
                        .find(|it| it.effect != crate::deploy::TaintEffect::PreferNoSchedule)
                        .map(crate::deploy::Taint::spec);
                    let mut pool_capacity = model::PoolCapacity {
                        name: pool.name.clone(),
                        class: pool.class.clone(),
                        nodes_high: pool.max.max(0),
                        repels,
                        ..Default::default()
                    };
                    let Some(class) = model::compute_class(cloud_prices, &pool.class) else {
                        capacity.pools.push(pool_capacity);
                        continue;
                    };
                    let (low, high) = (pool.min.max(0), pool.max.max(0));
                    let node_cpu = (class.vcpu.unwrap_or(0.0) * 1000.0) as u64;
                    let node_memory = (class.memory_gib.unwrap_or(0.0) * (1u64 << 30) as f64) as u64;
                    capacity.cpu_low += node_cpu * low as u64;
                    capacity.cpu_high += node_cpu * high as u64;
                    capacity.memory_low += node_memory * low as u64;
                    capacity.memory_high += node_memory * high as u64;
                    pool_capacity.node_cpu = node_cpu;
                    pool_capacity.node_memory = node_memory;
                    capacity.pools.push(pool_capacity);
                    capacity.largest_node_cpu = capacity.largest_node_cpu.max(node_cpu);
                    capacity.largest_node_memory = capacity.largest_node_memory.max(node_memory);
                    // The table's own price for the region where it has one, else the estimate.
                    let monthly = match (cloud_prices.compute_hourly_in(&pool.class, &region), pricing) {
                        (Some(exact), _) => exact,
                        (None, crate::catalog::pricing::RegionPricing::Estimated(multiplier)) => {
                            class.hourly.scale((multiplier * 1e6).round() as i128, 1_000_000)
                        }
                        (None, _) => class.hourly,
                    }
                    .monthly_from_hourly();
                    // An unknown disk price is reported by the cluster's own cost (`block_cost`).
                    let disk = model::disk_monthly(cloud_prices, &cloud, &pool.disk).unwrap_or_default();
                    capacity.nodes_low += (monthly + disk).times(low as i128);
                    capacity.nodes_high += (monthly + disk).times(high as i128);
                }
                per_env.insert(env.name.clone(), capacity);
            }
            clusters.entry(name.clone()).or_insert(per_env);
        }
    }
    clusters
}
