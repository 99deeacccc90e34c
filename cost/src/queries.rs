//! The cost queries: per file, so an edit re-prices only the edited file; the plan's totals
//! from the files' costs.

use std::collections::BTreeMap;

use crate::db::{file_ir, plan_facts, workspace_index, Db, SourceFile, Workspace};

/// Every cluster's capacity and node cost per environment.
#[salsa::tracked(returns(ref))]
pub fn cluster_capacities(
    db: &dyn Db,
    workspace: Workspace,
) -> BTreeMap<String, BTreeMap<String, crate::ClusterCapacity>> {
    let files: Vec<_> = workspace.files(db).iter().map(|&file| file_ir(db, file).value.clone()).collect();
    crate::capacities_of(files.iter().flat_map(|ir| ir.blocks.iter()), plan_facts(db, workspace))
}

/// The monthly cost of every resource of a file in every environment.
#[salsa::tracked(returns(ref))]
pub fn file_costs(db: &dyn Db, file: SourceFile) -> Vec<crate::ResourceCost> {
    let workspace = Workspace::get(db);
    let facts = plan_facts(db, workspace);
    let context = crate::model::CostContext {
        facts,
        prices: crate::catalog::pricing::PriceBook::builtin(),
        clusters: cluster_capacities(db, workspace),
    };
    let mut costs = Vec::new();
    // Workloads only show a share of their cluster, which no total counts: `plan_cost` adds them.
    for block in file_ir(db, file).value.blocks.iter().filter(|it| !crate::model::is_workload(&it.kind)) {
        for env in &facts.envs {
            let attrs = block.env_attrs(&env.name);
            if let Some(cost) = crate::model::block_cost(&context, block, &attrs, env) {
                costs.push(cost);
            }
        }
    }
    costs
}

/// Per block name, the first cost of the file whose price is unknown in some environment: a
/// lookup for COST304 instead of a scan of every cost for every block.
#[salsa::tracked(returns(ref))]
pub fn file_unknown_prices(db: &dyn Db, file: SourceFile) -> BTreeMap<String, usize> {
    let mut found = BTreeMap::new();
    for (index, cost) in file_costs(db, file).iter().enumerate() {
        if !cost.unknown.is_empty() {
            found.entry(cost.name.clone()).or_insert(index);
        }
    }
    found
}

/// The cost of the whole plan with every resource, for reports. Not a query: it copies every
/// resource's cost, which only `planc cost` and hover need.
pub fn plan_cost(db: &dyn Db, workspace: Workspace) -> crate::PlanCost {
    let mut cost = plan_totals(db, workspace).clone();
    for env in &mut cost.envs {
        env.resources.clear();
    }
    let facts = plan_facts(db, workspace);
    let context = crate::model::CostContext {
        facts,
        prices: crate::catalog::pricing::PriceBook::builtin(),
        clusters: cluster_capacities(db, workspace),
    };
    for &file in workspace.files(db) {
        for resource in file_costs(db, file) {
            if let Some(env) = cost.envs.iter_mut().find(|it| it.env == resource.env) {
                env.resources.push(resource.clone());
            }
        }
        let ir = file_ir(db, file);
        for block in ir.value.blocks.iter().filter(|it| crate::model::is_workload(&it.kind)) {
            for (env_facts, env) in facts.envs.iter().zip(cost.envs.iter_mut()) {
                let attrs = block.env_attrs(&env_facts.name);
                if let Some(resource) = crate::model::block_cost(&context, block, &attrs, env_facts) {
                    env.resources.push(resource);
                }
            }
        }
    }
    for env in &mut cost.envs {
        env.resources.sort_by(|a, b| {
            (a.allocated_from.is_some(), &a.kind, &a.name).cmp(&(b.allocated_from.is_some(), &b.kind, &b.name))
        });
    }
    cost
}

/// The cost of one block in each environment, for hover and inlay hints: only the file that
/// declares it is read, where `plan_cost` prices every block of the workspace.
pub fn block_costs(db: &dyn Db, workspace: Workspace, name: &str) -> Vec<crate::ResourceCost> {
    let Some(declaration) = workspace_index(db, workspace).lookup(name) else { return Vec::new() };
    let file = declaration.file;
    let mut costs: Vec<crate::ResourceCost> =
        file_costs(db, file).iter().filter(|it| it.name == name).cloned().collect();
    let ir = file_ir(db, file);
    let workload =
        ir.value.blocks.iter().find(|it| it.name.as_deref() == Some(name) && crate::model::is_workload(&it.kind));
    if let Some(block) = workload {
        let facts = plan_facts(db, workspace);
        let context = crate::model::CostContext {
            facts,
            prices: crate::catalog::pricing::PriceBook::builtin(),
            clusters: cluster_capacities(db, workspace),
        };
        for env_facts in &facts.envs {
            let attrs = block.env_attrs(&env_facts.name);
            costs.extend(crate::model::block_cost(&context, block, &attrs, env_facts));
        }
    }
    costs
}

/// Totals per environment and for the plan, with the three largest costs of each, for the
/// budget rules. The resources of each env are only its top three drivers.
#[salsa::tracked(returns(ref))]
pub fn plan_totals(db: &dyn Db, workspace: Workspace) -> crate::PlanCost {
    use crate::{EnvCost, Money, PlanCost, ResourceCost};
    let facts = plan_facts(db, workspace);
    let mut envs: Vec<EnvCost> = EnvCost::per_env(&facts);
    let mut tops: Vec<Vec<&ResourceCost>> = vec![Vec::new(); envs.len()];
    let mut plan_top: Vec<&ResourceCost> = Vec::new();
    fn keep_top<'a>(top: &mut Vec<&'a ResourceCost>, resource: &'a ResourceCost) {
        top.push(resource);
        top.sort_by(|a, b| b.high.cmp(&a.high).then_with(|| a.name.cmp(&b.name)));
        top.truncate(3);
    }
    let files = workspace.files(db);
    let all_costs: Vec<&Vec<ResourceCost>> = files.iter().map(|&file| file_costs(db, file)).collect();
    for resource in all_costs.iter().flat_map(|it| it.iter()) {
        if resource.allocated_from.is_some() {
            continue;
        }
        if let Some(index) = envs.iter().position(|it| it.env == resource.env) {
            envs[index].low += resource.low;
            envs[index].high += resource.high;
            keep_top(&mut tops[index], resource);
            keep_top(&mut plan_top, resource);
        }
    }
    for (env, top) in envs.iter_mut().zip(tops) {
        env.resources = top.into_iter().cloned().collect();
    }
    PlanCost {
        plan: facts.name.clone(),
        budget: facts.budget.map(Money::from_micros),
        low: envs.iter().map(|it| it.low).sum(),
        high: envs.iter().map(|it| it.high).sum(),
        top: plan_top.into_iter().cloned().collect(),
        envs,
    }
}
