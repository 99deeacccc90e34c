//! The queries: one line of glue per layer; the work lives in the layer's module.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use super::{Db, SourceFile, Workspace};
use crate::catalog::Catalog;
use crate::check;
use crate::diagnostics::{self, Diagnostic};
use crate::ir::{self, FileIr};
use crate::syntax::{self, Parse, TextRange, TextSize};

/// The lossless tree of a file.
#[salsa::tracked(returns(ref), lru = 256)]
pub fn parse(db: &dyn Db, file: SourceFile) -> Parse {
    syntax::parse(file.text(db))
}

/// The line index of a file: built once per text, shared by every request of the language
/// server and every renderer.
#[salsa::tracked(returns(ref))]
pub fn line_index(db: &dyn Db, file: SourceFile) -> diagnostics::LineIndex {
    diagnostics::LineIndex::new(file.text(db))
}

/// A value and the diagnostics found while computing it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Checked<T> {
    pub value: T,
    pub diagnostics: Vec<Diagnostic>,
}

/// The IR of a file, with the type, unit and structure errors found while lowering it.
#[salsa::tracked(returns(ref))]
pub fn file_ir(db: &dyn Db, file: SourceFile) -> Checked<Arc<FileIr>> {
    let (ir, diagnostics) = ir::lower_file(parse(db, file), file.path(db), Catalog::builtin());
    Checked { value: Arc::new(ir), diagnostics }
}

/// What a file declares, without positions: unchanged by edits that rename nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FileSymbols {
    /// Top-level named blocks: (name, kind), in source order.
    pub blocks: Vec<(String, String)>,
    /// Nested named blocks: (parent name, child name, child kind).
    pub children: Vec<(String, String, String)>,
    /// Named blocks nested in an unnamed one (`notify pager` in `monitoring`): (parent kind,
    /// child name, child kind).
    pub singleton_children: Vec<(String, String, String)>,
}

#[salsa::tracked(returns(ref))]
pub fn file_symbols(db: &dyn Db, file: SourceFile) -> FileSymbols {
    let ir = &file_ir(db, file).value;
    let mut symbols = FileSymbols::default();
    for block in &ir.blocks {
        let Some(name) = &block.name else {
            for child in &block.children {
                if let Some(child_name) = &child.name {
                    symbols.singleton_children.push((block.kind.clone(), child_name.clone(), child.kind.clone()));
                }
            }
            continue;
        };
        symbols.blocks.push((name.clone(), block.kind.clone()));
        for child in &block.children {
            if let Some(child_name) = &child.name {
                symbols.children.push((name.clone(), child_name.clone(), child.kind.clone()));
            }
        }
    }
    symbols
}

/// Where a top-level name is declared.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Declaration {
    pub file: SourceFile,
    pub kind: String,
}

/// Every name of the workspace. Declarations of one name are in file order, then source order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Index {
    pub names: HashMap<String, Vec<Declaration>>,
    /// Nested blocks: parent name to (child name, kind).
    pub children: HashMap<String, Vec<(String, String)>>,
    /// Blocks nested in an unnamed block: its kind (`monitoring`) to (child name, kind).
    pub singleton_children: HashMap<String, Vec<(String, String)>>,
    /// The declared environments, or `default` when none is.
    pub envs: BTreeSet<String>,
    /// Whether any `env` block is declared.
    pub has_env_blocks: bool,
}

impl Index {
    pub fn lookup(&self, name: &str) -> Option<&Declaration> {
        self.names.get(name).and_then(|it| it.first())
    }

    pub fn names_of_kinds<'a>(&'a self, kinds: &'a [String]) -> impl Iterator<Item = &'a str> + 'a {
        self.names
            .iter()
            .filter(move |(_, declarations)| kinds.is_empty() || declarations.iter().any(|it| kinds.contains(&it.kind)))
            .map(|(name, _)| name.as_str())
    }
}

#[salsa::tracked(returns(ref))]
pub fn workspace_index(db: &dyn Db, workspace: Workspace) -> Index {
    let mut index = Index::default();
    for &file in workspace.files(db) {
        let symbols = file_symbols(db, file);
        for (name, kind) in &symbols.blocks {
            index.names.entry(name.clone()).or_default().push(Declaration { file, kind: kind.clone() });
            if kind == "env" {
                index.envs.insert(name.clone());
                index.has_env_blocks = true;
            }
        }
        for (parent, child, kind) in &symbols.children {
            index.children.entry(parent.clone()).or_default().push((child.clone(), kind.clone()));
        }
        for (parent, child, kind) in &symbols.singleton_children {
            index.singleton_children.entry(parent.clone()).or_default().push((child.clone(), kind.clone()));
        }
    }
    if !index.has_env_blocks {
        index.envs.insert("default".to_string());
    }
    index
}

/// The environments of the workspace, in name order: an output set per environment.
#[salsa::tracked(returns(ref))]
pub fn workspace_envs(db: &dyn Db, workspace: Workspace) -> Vec<String> {
    workspace_index(db, workspace).envs.iter().cloned().collect()
}

/// A position-free view of the index, so that files checked against it are re-checked only
/// when a name, a kind or the set of environments changes.
#[salsa::tracked(returns(ref))]
pub fn workspace_names(db: &dyn Db, workspace: Workspace) -> BTreeMap<String, (String, usize)> {
    workspace_index(db, workspace)
        .names
        .iter()
        .map(|(name, declarations)| (name.clone(), (declarations[0].kind.clone(), declarations.len())))
        .collect()
}

/// Everything wrong with one file: syntax, lowering, and names checked against the workspace.
#[salsa::tracked(returns(ref))]
pub fn file_diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let path = file.path(db);
    let mut acc = Vec::new();
    if let Some(offset) = file.invalid_utf8_at(db) {
        acc.push(
            Diagnostic::error(
                "P002",
                format!("this file is not valid UTF-8 (first invalid byte at offset {offset})"),
                path,
                TextRange::empty(TextSize::from(0)),
            )
            .label("cannot read this file")
            .note("Plan files are UTF-8 text; the file was not checked")
            .help("re-save the file as UTF-8"),
        );
        return acc;
    }
    for error in parse(db, file).errors.iter() {
        acc.push(Diagnostic::error("P001", error.message.clone(), path, error.range).label("syntax error"));
    }
    let lowered = file_ir(db, file);
    acc.extend(lowered.diagnostics.iter().cloned());
    let workspace = Workspace::get(db);
    check::check_file(db, workspace, file, &lowered.value, &mut acc);
    diagnostics::sort(&mut acc);
    acc
}

/// Problems of the workspace as a whole: no `plan` block, or more than one.
#[salsa::tracked(returns(ref))]
pub fn workspace_diagnostics(db: &dyn Db, workspace: Workspace) -> Vec<Diagnostic> {
    let mut acc = Vec::new();
    check::check_workspace(db, workspace, &mut acc);
    diagnostics::sort(&mut acc);
    acc
}

/// Below this much source, a workspace is checked on one thread.
const PARALLEL_FROM_BYTES: usize = 64 * 1024;

/// Every diagnostic of the workspace, sorted, files checked in parallel.
pub fn all_diagnostics(db: &super::Database, workspace: Workspace) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let files = workspace.files(db).clone();
    // Warm the per-file queries on all cores; salsa shares the results between the clones.
    // A small workspace is checked faster than a thread pool starts: check it on this thread.
    let bytes: usize = files.iter().map(|it| it.text(db).len()).sum();
    if files.len() > 1 && bytes >= PARALLEL_FROM_BYTES {
        files.par_iter().for_each_with(db.clone(), |db, &file| {
            file_symbols(db, file);
        });
        files.par_iter().for_each_with(db.clone(), |db, &file| {
            file_diagnostics(db, file);
        });
    }
    let mut acc: Vec<Diagnostic> = files.iter().flat_map(|&file| file_diagnostics(db, file).iter().cloned()).collect();
    acc.extend(workspace_diagnostics(db, workspace).iter().cloned());
    // Last, so that an ignore silences workspace-level diagnostics too and can tell when it
    // silences nothing.
    for &file in &files {
        let ignores = file_ignores(db, file);
        if !ignores.is_empty() {
            crate::check::ignore::apply(file.path(db), ignores, &mut acc);
        }
    }
    diagnostics::sort(&mut acc);
    acc
}

/// The `// planc:ignore CODE: reason` comments of a file.
#[salsa::tracked(returns(ref))]
pub fn file_ignores(db: &dyn Db, file: SourceFile) -> Vec<crate::check::ignore::Ignore> {
    // Most files have no ignore at all: one substring search instead of a walk over every token.
    if !file.text(db).contains(crate::check::ignore::PREFIX) {
        return Vec::new();
    }
    crate::check::ignore::collect(parse(db, file))
}

/// The plan's cloud, region, environments and policy, without positions.
#[salsa::tracked(returns(ref))]
pub fn plan_facts(db: &dyn Db, workspace: Workspace) -> crate::check::facts::PlanFacts {
    crate::check::facts::plan_facts(db, workspace)
}

/// Every cluster's capacity and node cost per environment.
#[salsa::tracked(returns(ref))]
pub fn cluster_capacities(
    db: &dyn Db,
    workspace: Workspace,
) -> BTreeMap<String, BTreeMap<String, crate::cost::ClusterCapacity>> {
    crate::cost::cluster_capacities(db, workspace, plan_facts(db, workspace))
}

/// The monthly cost of every resource of a file in every environment.
#[salsa::tracked(returns(ref))]
pub fn file_costs(db: &dyn Db, file: SourceFile) -> Vec<crate::cost::ResourceCost> {
    let workspace = Workspace::get(db);
    let facts = plan_facts(db, workspace);
    let context = crate::cost::model::CostContext {
        facts,
        prices: crate::catalog::pricing::PriceBook::builtin(),
        clusters: cluster_capacities(db, workspace),
    };
    let mut costs = Vec::new();
    // Workloads only show a share of their cluster, which no total counts: `plan_cost` adds them.
    for block in file_ir(db, file).value.blocks.iter().filter(|it| !crate::cost::model::is_workload(&it.kind)) {
        for env in &facts.envs {
            let attrs = block.env_attrs(&env.name);
            if let Some(cost) = crate::cost::model::block_cost(&context, block, &attrs, env) {
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
pub fn plan_cost(db: &dyn Db, workspace: Workspace) -> crate::cost::PlanCost {
    let mut cost = plan_totals(db, workspace).clone();
    for env in &mut cost.envs {
        env.resources.clear();
    }
    let facts = plan_facts(db, workspace);
    let context = crate::cost::model::CostContext {
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
        for block in ir.value.blocks.iter().filter(|it| crate::cost::model::is_workload(&it.kind)) {
            for (env_facts, env) in facts.envs.iter().zip(cost.envs.iter_mut()) {
                let attrs = block.env_attrs(&env_facts.name);
                if let Some(resource) = crate::cost::model::block_cost(&context, block, &attrs, env_facts) {
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
pub fn block_costs(db: &dyn Db, workspace: Workspace, name: &str) -> Vec<crate::cost::ResourceCost> {
    let Some(declaration) = workspace_index(db, workspace).lookup(name) else { return Vec::new() };
    let file = declaration.file;
    let mut costs: Vec<crate::cost::ResourceCost> =
        file_costs(db, file).iter().filter(|it| it.name == name).cloned().collect();
    let ir = file_ir(db, file);
    let workload =
        ir.value.blocks.iter().find(|it| it.name.as_deref() == Some(name) && crate::cost::model::is_workload(&it.kind));
    if let Some(block) = workload {
        let facts = plan_facts(db, workspace);
        let context = crate::cost::model::CostContext {
            facts,
            prices: crate::catalog::pricing::PriceBook::builtin(),
            clusters: cluster_capacities(db, workspace),
        };
        for env_facts in &facts.envs {
            let attrs = block.env_attrs(&env_facts.name);
            costs.extend(crate::cost::model::block_cost(&context, block, &attrs, env_facts));
        }
    }
    costs
}

/// Totals per environment and for the plan, with the three largest costs of each, for the
/// budget rules. The resources of each env are only its top three drivers.
#[salsa::tracked(returns(ref))]
pub fn plan_totals(db: &dyn Db, workspace: Workspace) -> crate::cost::PlanCost {
    use crate::cost::{EnvCost, Money, PlanCost, ResourceCost};
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

/// The queues that another queue names as its `dead_letter`.
#[salsa::tracked(returns(ref))]
pub fn dead_letter_targets(db: &dyn Db, workspace: Workspace) -> BTreeSet<String> {
    let mut targets = BTreeSet::new();
    for &file in workspace.files(db) {
        for block in file_ir(db, file).value.blocks.iter().filter(|it| it.kind == "queue") {
            if let Some(attr) = block.attr("dead_letter") {
                for reference in attr.value.refs() {
                    targets.insert(reference.name.clone());
                }
            }
        }
    }
    targets
}
