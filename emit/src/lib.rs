//! Emitters: pure functions from the checked IR to output files, one module per target.
//!
//! Everything here is deterministic: blocks are visited in file order, maps in key order, and
//! no clock, path or environment variable reaches an output. Each generated resource carries a
//! comment naming the `.plan` file and line it came from.

pub mod adr;
pub mod k8s;
mod runbook;
pub mod terraform;
mod yaml;

use plan_catalog as catalog;
use plan_cost as cost;
use plan_db as db;
use plan_deploy as deploy;
use plan_diagnostics as diagnostics;
use plan_fmt::markdown;
use plan_ir as ir;

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::db::facts::{EnvFacts, PlanFacts};
use crate::db::{file_ir, plan_facts, workspace_index, Db, Index, Workspace};
use crate::diagnostics::LineIndex;
use crate::ir::{Block, EnvAttrs, Value, ValueKind};

/// One generated file: a path relative to the output directory, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: String,
}

/// Which outputs to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Terraform,
    K8s,
    Adr,
}

/// A block and where it was written, for provenance comments.
pub struct Located<'a> {
    pub block: &'a Block,
    pub file: Arc<str>,
    pub line: u32,
}

impl Located<'_> {
    pub fn source(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    pub fn name(&self) -> &str {
        self.block.name.as_deref().unwrap_or("")
    }
}

/// What every emitter reads: the plan's facts and every top-level block in file order.
pub struct EmitCtx<'a> {
    pub db: &'a dyn Db,
    pub workspace: Workspace,
    pub facts: &'a PlanFacts,
    pub index: &'a Index,
    pub blocks: Vec<Located<'a>>,
    /// Name to position in `blocks` (the first block of a name), for `find`.
    by_name: std::collections::HashMap<&'a str, usize>,
}

impl<'a> EmitCtx<'a> {
    /// `source_root` is the workspace directory as the file paths start with; provenance
    /// comments name files relative to it, so outputs do not depend on where the plan lives.
    pub fn new(db: &'a dyn Db, workspace: Workspace, source_root: &str) -> EmitCtx<'a> {
        let mut blocks = Vec::new();
        for &file in workspace.files(db) {
            let ir = &file_ir(db, file).value;
            let text = file.text(db);
            let lines = LineIndex::new(text);
            for block in &ir.blocks {
                let line = lines.line_col(text, block.kind_range.start()).line + 1;
                let path = file.path(db);
                let prefix = format!("{}/", source_root.trim_end_matches('/'));
                let relative: Arc<str> = match path.strip_prefix(&prefix) {
                    Some(relative) if !source_root.is_empty() => Arc::from(relative),
                    _ => path.clone(),
                };
                blocks.push(Located { block, file: relative, line });
            }
        }
        let mut by_name = std::collections::HashMap::new();
        for (position, located) in blocks.iter().enumerate() {
            if let Some(name) = located.block.name.as_deref() {
                by_name.entry(name).or_insert(position);
            }
        }
        EmitCtx {
            db,
            workspace,
            facts: plan_facts(db, workspace),
            index: workspace_index(db, workspace),
            blocks,
            by_name,
        }
    }

    pub fn of_kind(&self, kind: &'a str) -> impl Iterator<Item = &Located<'a>> + '_ {
        self.blocks.iter().filter(move |it| it.block.kind == kind && it.block.name.is_some())
    }

    pub fn find(&self, name: &str) -> Option<&Located<'a>> {
        self.blocks.get(*self.by_name.get(name)?)
    }

    pub fn env(&self, name: &str) -> Option<&EnvFacts> {
        self.facts.env(name)
    }

    /// Whether a block exists in `env` (`envs = [..]`).
    pub fn exists_in(&self, block: &Block, env: &str) -> bool {
        crate::cost::model::exists_in(&block.env_attrs(env), env)
    }

    pub fn plan_name(&self) -> String {
        dns_name(self.facts.name.as_deref().unwrap_or("plan"))
    }
}

/// Where a workload's `vars` entry comes from (LANGUAGE.md §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarRoute {
    /// Known at compile time: the Kubernetes output writes it into the workload's ConfigMap.
    Literal(String),
    /// A secret, or an output that carries credentials: a key of the Secret Terraform fills.
    Secret,
    /// Not secret but known only after apply (a queue URL): a key of the ConfigMap Terraform fills.
    Applied,
}

impl EmitCtx<'_> {
    /// How a `vars` value reaches the container in `env`; the Terraform and Kubernetes
    /// emitters both read this, so a key is never in two places or in none.
    pub fn var_route(&self, value: &Value, env: &EnvFacts) -> VarRoute {
        match &value.kind {
            ValueKind::String(text) => VarRoute::Literal(text.clone()),
            ValueKind::Int(n) => VarRoute::Literal(n.to_string()),
            ValueKind::Bool(b) => VarRoute::Literal(b.to_string()),
            ValueKind::Secret(_) => VarRoute::Secret,
            ValueKind::Ref(reference) => {
                let field = reference.field.as_ref().map_or("url", |(field, _)| field.as_str());
                let Some(target) = self.find(&reference.name) else { return VarRoute::Secret };
                let attrs = target.block.env_attrs(&env.name);
                if target.block.kind == "service" {
                    let name = dns_name(&reference.name);
                    let port = get_int(&attrs, "port").unwrap_or(80);
                    return VarRoute::Literal(match field {
                        "host" => get_str(&attrs, "host")
                            .map(String::from)
                            .unwrap_or_else(|| format!("{name}.{}.svc.cluster.local", self.plan_name())),
                        _ => format!("http://{name}.{}.svc.cluster.local:{port}", self.plan_name()),
                    });
                }
                let cloud = self.facts.cloud_of(&attrs, env).unwrap_or_default();
                let secret = crate::catalog::Catalog::builtin()
                    .kind(&target.block.kind)
                    .and_then(|kind| kind.output(field))
                    .is_none_or(|output| output.secret.get(&cloud).copied().unwrap_or(false));
                if secret {
                    VarRoute::Secret
                } else {
                    VarRoute::Applied
                }
            }
            ValueKind::Interpolated(parts) => {
                let mut text = String::new();
                let mut applied = false;
                for part in parts {
                    match part {
                        crate::ir::InterpolationPart::Text(piece) => text.push_str(piece),
                        crate::ir::InterpolationPart::Value(value) => match self.var_route(value, env) {
                            VarRoute::Literal(piece) => text.push_str(&piece),
                            VarRoute::Secret => return VarRoute::Secret,
                            VarRoute::Applied => applied = true,
                        },
                    }
                }
                if applied {
                    VarRoute::Applied
                } else {
                    VarRoute::Literal(text)
                }
            }
            // The catalog types `vars` as strings, refs and secrets; lowering rejects the rest.
            _ => VarRoute::Literal(String::new()),
        }
    }
}

/// Writes every target for the environments asked for. Callers check first: the IR must be
/// free of errors.
pub fn emit(
    db: &dyn Db,
    workspace: Workspace,
    envs: &[String],
    targets: &BTreeSet<Target>,
    source_root: &str,
) -> Vec<OutputFile> {
    emit_with_notes(db, workspace, envs, targets, source_root).0
}

/// [`emit`], with a note for each generated value a `terraform { }` override replaced.
pub fn emit_with_notes(
    db: &dyn Db,
    workspace: Workspace,
    envs: &[String],
    targets: &BTreeSet<Target>,
    source_root: &str,
) -> (Vec<OutputFile>, Vec<String>) {
    let ctx = EmitCtx::new(db, workspace, source_root);
    let mut files = Vec::new();
    let mut notes = Vec::new();
    for env in envs {
        let Some(env_facts) = ctx.env(env) else { continue };
        if targets.contains(&Target::Terraform) {
            let (terraform, replaced) = terraform::emit(&ctx, env_facts);
            files.extend(terraform);
            notes.extend(replaced);
        }
        if targets.contains(&Target::K8s) {
            files.extend(k8s::emit(&ctx, env_facts));
        }
    }
    if targets.contains(&Target::Adr) {
        files.extend(adr::emit(&ctx));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, notes)
}

/// A name as Kubernetes and most clouds accept it: lowercase letters, digits and `-`.
pub fn dns_name(name: &str) -> String {
    let mut out: String =
        name.chars().map(|ch| if ch.is_ascii_alphanumeric() { ch.to_ascii_lowercase() } else { '-' }).collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.trim_matches('-').to_string()
}

/// A name as Terraform identifiers accept it: letters, digits, `_` and `-`, not starting with
/// a digit.
pub fn tf_name(name: &str) -> String {
    let out: String = name.chars().map(|ch| if ch.is_ascii_alphanumeric() || ch == '_' { ch } else { '_' }).collect();
    if out.starts_with(|ch: char| ch.is_ascii_digit()) {
        format!("r_{out}")
    } else {
        out
    }
}

pub fn get_str<'a>(attrs: &'a EnvAttrs<'_>, name: &str) -> Option<&'a str> {
    attrs.get(name).and_then(Value::as_str)
}

pub fn get_bool(attrs: &EnvAttrs<'_>, name: &str) -> Option<bool> {
    attrs.get(name).and_then(Value::as_bool)
}

pub fn get_int(attrs: &EnvAttrs<'_>, name: &str) -> Option<i64> {
    attrs.get(name).and_then(Value::as_int)
}

pub fn get_ref<'a>(attrs: &'a EnvAttrs<'_>, name: &str) -> Option<&'a str> {
    match &attrs.get(name)?.kind {
        ValueKind::Ref(reference) => Some(&reference.name),
        _ => None,
    }
}

/// The low and high ends of an int range (or one int twice).
pub fn int_range(attrs: &EnvAttrs<'_>, name: &str) -> Option<(i64, i64)> {
    match &attrs.get(name)?.kind {
        ValueKind::Range(low, high) => Some((low.as_int()?, high.as_int()?)),
        ValueKind::Int(n) => Some((*n, *n)),
        _ => None,
    }
}

/// Seconds of a duration value.
pub fn duration_seconds(attrs: &EnvAttrs<'_>, name: &str) -> Option<u64> {
    match attrs.get(name)?.kind {
        ValueKind::Duration(ms) => Some(ms / 1000),
        _ => None,
    }
}

/// A size value as the number of "GB" the providers take (see `deploy::provider_gb`).
pub fn size_gb(attrs: &EnvAttrs<'_>, name: &str) -> Option<u64> {
    match attrs.get(name)?.kind {
        ValueKind::Size(bytes) => Some(crate::deploy::disk_gb(bytes)),
        _ => None,
    }
}

/// The entries of a map value (`tags`, `vars`, `labels`), in source order.
pub fn map_entries<'a>(attrs: &'a EnvAttrs<'_>, name: &str) -> Vec<(&'a str, &'a Value)> {
    match attrs.get(name).map(|it| &it.kind) {
        Some(ValueKind::Map(entries)) => entries.iter().map(|it| (it.key.as_str(), &it.value)).collect(),
        _ => Vec::new(),
    }
}

/// A field of an object attribute (`backup.retention`).
pub fn field<'a>(attrs: &'a EnvAttrs<'_>, name: &str, field: &str) -> Option<&'a Value> {
    match &attrs.get(name)?.kind {
        ValueKind::Map(entries) => entries.iter().find(|it| it.key == field).map(|it| &it.value),
        _ => None,
    }
}
