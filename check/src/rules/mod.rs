//! The policy rules: one file per rule, named after the problem it reports, listed once in
//! `RULES`. A rule's code, name, default severity and summary are in `diagnostics::CODES`, its
//! documentation in `stdlib/docs/<CODE>.md`.
//!
//! Block rules run on one block at a time: once on the values as written (`Check::Block`),
//! or once per environment the block exists in, on the values after that environment's
//! override (`Check::PerEnv`). Workspace rules see the whole plan and its costs.

mod helpers;

mod adr_affects_nothing;
mod adr_chosen_not_an_option;
mod adr_chosen_not_top_scored;
mod adr_duplicate_number;
mod adr_score_out_of_range;
mod adr_superseded_without_successor;
mod adr_unscored_criterion;
mod alert_without_notify;
mod allow_overlaps_deny;
mod budget;
mod cluster_over_capacity;
mod cluster_without_network;
mod dead_letter_loop;
mod disruption_blocks_drains;
mod dr_objective_unmet;
mod engine_not_offered;
mod flow_logs_disabled;
mod gateway_without_waf;
mod ha_outside_production;
mod image_scanning_disabled;
mod impossible_rollout;
mod incompatible_migration;
mod ineffective_attribute;
mod invalid_alert;
mod invalid_dr;
mod invalid_record;
mod invalid_rename;
mod invalid_slo;
mod invalid_terraform;
mod job_without_timeout;
mod kubernetes_extended_support;
mod log_retention_not_offered;
mod migration_over_budget;
mod misplaced_workload;
mod missing_health_check;
mod missing_required_tag;
mod missing_rollback;
mod needs_prometheus;
mod not_sold_in_region;
mod not_supported_on_cloud;
mod open_to_internet;
mod pattern_missing_component;
mod phase_cycle;
mod plaintext_secret;
mod production_database_without_ha;
mod public_bucket;
mod public_cluster_endpoint;
mod public_database;
mod public_vm;
mod queue_without_dead_letter;
mod reference_in_plain_string;
mod region_not_allowed;
mod root_container;
mod route_to_unexposed_service;
mod runtime_not_offered;
mod shared_database;
mod short_backup_retention;
mod single_node_cache;
mod single_replica_in_production;
mod single_zone_network;
mod tls_disabled;
mod unknown_metric;
mod unknown_price;
mod unknown_region;
mod unknown_tier;
mod unpinned_image;
mod unrepresentable_value;
mod unschedulable_workload;
mod unused_migration_target;
mod version_not_offered;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use helpers::*;

use crate::db::facts::{EnvFacts, PlanFacts};
use crate::db::{Db, Index, SourceFile, Workspace};
use crate::diagnostics::{code_info, Diagnostic, Severity};
use crate::ir::{Block, EnvAttrs};
use crate::syntax::TextRange;

pub enum Check {
    /// Once per block of these kinds, on the values as written.
    Block(&'static [&'static str], fn(&RuleCtx<'_>, &Block, &mut Vec<Diagnostic>)),
    /// Once per block of these kinds and environment it exists in, on that env's values.
    PerEnv(&'static [&'static str], fn(&RuleCtx<'_>, &BlockView<'_>, &mut Vec<Diagnostic>)),
    /// Once for the whole workspace.
    Workspace(fn(&WorkspaceCtx<'_>, &mut Vec<Diagnostic>)),
}

pub struct Rule {
    pub code: &'static str,
    pub check: Check,
}

pub static RULES: &[&Rule] = &[
    &public_database::RULE,
    &unpinned_image::RULE,
    &public_bucket::RULE,
    &plaintext_secret::RULE,
    &gateway_without_waf::RULE,
    &tls_disabled::RULE,
    &public_cluster_endpoint::RULE,
    &image_scanning_disabled::RULE,
    &root_container::RULE,
    &missing_required_tag::RULE,
    &flow_logs_disabled::RULE,
    &public_vm::RULE,
    &open_to_internet::RULE,
    &allow_overlaps_deny::RULE,
    &region_not_allowed::RULE,
    &production_database_without_ha::RULE,
    &short_backup_retention::RULE,
    &single_replica_in_production::RULE,
    &missing_health_check::RULE,
    &unschedulable_workload::RULE,
    &cluster_over_capacity::RULE,
    &queue_without_dead_letter::RULE,
    &single_zone_network::RULE,
    &job_without_timeout::RULE,
    &single_node_cache::RULE,
    &dead_letter_loop::RULE,
    &misplaced_workload::RULE,
    &impossible_rollout::RULE,
    &disruption_blocks_drains::RULE,
    &dr_objective_unmet::RULE,
    &invalid_dr::RULE,
    &budget::RULE,
    &unknown_price::RULE,
    &ha_outside_production::RULE,
    &pattern_missing_component::RULE,
    &shared_database::RULE,
    &cluster_without_network::RULE,
    &route_to_unexposed_service::RULE,
    &unknown_tier::RULE,
    &version_not_offered::RULE,
    &not_sold_in_region::RULE,
    &engine_not_offered::RULE,
    &kubernetes_extended_support::RULE,
    &unknown_region::RULE,
    &runtime_not_offered::RULE,
    &unrepresentable_value::RULE,
    &not_supported_on_cloud::RULE,
    &invalid_terraform::RULE,
    &invalid_record::RULE,
    &ineffective_attribute::RULE,
    &reference_in_plain_string::RULE,
    &invalid_rename::RULE,
    &adr_chosen_not_an_option::RULE,
    &adr_affects_nothing::RULE,
    &adr_superseded_without_successor::RULE,
    &adr_chosen_not_top_scored::RULE,
    &adr_duplicate_number::RULE,
    &adr_score_out_of_range::RULE,
    &adr_unscored_criterion::RULE,
    &unknown_metric::RULE,
    &invalid_alert::RULE,
    &needs_prometheus::RULE,
    &alert_without_notify::RULE,
    &invalid_slo::RULE,
    &log_retention_not_offered::RULE,
    &phase_cycle::RULE,
    &missing_rollback::RULE,
    &incompatible_migration::RULE,
    &unused_migration_target::RULE,
    &migration_over_budget::RULE,
];

/// What a block rule can see.
pub struct RuleCtx<'a> {
    pub db: &'a dyn Db,
    pub workspace: Workspace,
    pub file: SourceFile,
    pub path: &'a Arc<str>,
    pub facts: &'a PlanFacts,
    pub index: &'a Index,
}

/// A block in one environment: its values after the env's override, and where it lives.
pub struct BlockView<'a> {
    pub block: &'a Block,
    pub env: &'a EnvFacts,
    pub attrs: &'a EnvAttrs<'a>,
    pub cloud: String,
    pub region: String,
}

/// What a workspace rule can see.
pub struct WorkspaceCtx<'a> {
    pub db: &'a dyn Db,
    pub workspace: Workspace,
    pub facts: &'a PlanFacts,
    pub index: &'a Index,
}

/// A diagnostic of `code` at its default severity.
pub fn diagnostic(code: &'static str, message: impl Into<String>, file: &Arc<str>, range: TextRange) -> Diagnostic {
    let severity = code_info(code).map_or(Severity::Warning, |info| info.severity);
    Diagnostic::new(code, severity, message, file, range)
}

/// Runs every block rule on the blocks of one file.
pub fn check_file_rules(ctx: &RuleCtx<'_>, blocks: &[Block], acc: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    for block in blocks {
        let mut views = Vec::new();
        for env in &ctx.facts.envs {
            let attrs = block.env_attrs(&env.name);
            if !crate::cost::model::exists_in(&attrs, &env.name) {
                continue;
            }
            let cloud = ctx.facts.cloud_of(&attrs, env).unwrap_or_default();
            let region = ctx.facts.region_of(&attrs, env).unwrap_or_default();
            views.push((env, attrs, cloud, region));
        }
        // LANGUAGE.md §5: a production environment turns security warnings into errors.
        let production = views.iter().map(|it| it.0).find(|env| env.production);
        for rule in rules_for(&block.kind) {
            match &rule.check {
                Check::Block(_, check) => {
                    let start = found.len();
                    check(ctx, block, &mut found);
                    if let Some(env) = production {
                        stricter_in_production(block, env, &mut found[start..]);
                    }
                }
                Check::PerEnv(_, check) => {
                    for (env, attrs, cloud, region) in &views {
                        let view = BlockView { block, env, attrs, cloud: cloud.clone(), region: region.clone() };
                        let start = found.len();
                        check(ctx, &view, &mut found);
                        if env.production {
                            stricter_in_production(block, env, &mut found[start..]);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    dedupe(&mut found);
    acc.extend(found);
}

/// SEC warnings about a block that a production environment deploys are errors there; a
/// `policy { severity { ... } }` entry, applied afterwards, still wins.
fn stricter_in_production(block: &Block, env: &crate::db::facts::EnvFacts, found: &mut [Diagnostic]) {
    for diagnostic in found.iter_mut().filter(|it| it.code.starts_with("SEC") && it.severity == Severity::Warning) {
        diagnostic.severity = Severity::Error;
        let what = block.name.as_deref().map_or_else(|| format!("this `{}`", block.kind), |name| format!("`{name}`"));
        diagnostic.notes.push(format!(
            "an error rather than a warning: {what} is deployed to `{}`, a production environment",
            env.name
        ));
    }
}

/// The block rules that apply to a kind, looked up once per kind.
fn rules_for(kind: &str) -> &'static [&'static Rule] {
    static BY_KIND: std::sync::OnceLock<std::collections::HashMap<&'static str, Vec<&'static Rule>>> =
        std::sync::OnceLock::new();
    let by_kind = BY_KIND.get_or_init(|| {
        let mut by_kind: std::collections::HashMap<&'static str, Vec<&'static Rule>> = std::collections::HashMap::new();
        for rule in RULES {
            if let Check::Block(kinds, _) | Check::PerEnv(kinds, _) = &rule.check {
                for kind in kinds.iter() {
                    by_kind.entry(kind).or_default().push(rule);
                }
            }
        }
        by_kind
    });
    by_kind.get(kind).map_or(&[], Vec::as_slice)
}

pub fn check_workspace_rules(ctx: &WorkspaceCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    for rule in RULES {
        if let Check::Workspace(check) = &rule.check {
            check(ctx, &mut found);
        }
    }
    dedupe(&mut found);
    acc.extend(found);
}

/// The same finding in several environments is reported once, at its first.
fn dedupe(found: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    found.retain(|it| seen.insert((it.code, it.primary.file.clone(), it.primary.range)));
}

/// Applies the policy's per-code severities: `off` drops a diagnostic. P0xx codes are fixed.
pub fn apply_policy(facts: &PlanFacts, diagnostics: &mut Vec<Diagnostic>) {
    if facts.policy.severity.is_empty() {
        return;
    }
    diagnostics.retain_mut(|diagnostic| {
        if diagnostic.code.starts_with('P') {
            return true;
        }
        match facts.policy.severity.iter().find(|(code, _)| code == diagnostic.code).map(|(_, level)| level.as_str()) {
            Some("off") => false,
            Some("error") => {
                diagnostic.severity = Severity::Error;
                true
            }
            Some("warning") => {
                diagnostic.severity = Severity::Warning;
                true
            }
            Some("info") => {
                diagnostic.severity = Severity::Info;
                true
            }
            _ => true,
        }
    });
}
