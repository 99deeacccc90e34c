//! Small readers and fix builders shared by the rules.

use std::sync::Arc;

use crate::diagnostics::TextEdit;
use crate::ir::{Block, EnvAttrs, Value, ValueKind};
use crate::syntax::{TextRange, TextSize};

/// `database `orders``, for messages.
pub fn describe(block: &Block) -> String {
    match &block.name {
        Some(name) => format!("{} `{name}`", block.kind),
        None => format!("this `{}`", block.kind),
    }
}

/// Where to point at a block as a whole: its name.
pub fn name_range(block: &Block) -> TextRange {
    block.name_range.unwrap_or(block.kind_range)
}

pub fn get_bool(attrs: &EnvAttrs<'_>, name: &str) -> Option<bool> {
    attrs.get(name).and_then(Value::as_bool)
}

pub fn get_str<'a>(attrs: &'a EnvAttrs<'a>, name: &str) -> Option<&'a str> {
    attrs.get(name).and_then(Value::as_str)
}

pub fn get_int(attrs: &EnvAttrs<'_>, name: &str) -> Option<i64> {
    attrs.get(name).and_then(Value::as_int)
}

pub fn get_ref<'a>(attrs: &'a EnvAttrs<'a>, name: &str) -> Option<&'a str> {
    match &attrs.get(name)?.kind {
        ValueKind::Ref(reference) => Some(&reference.name),
        _ => None,
    }
}

/// The low and high ends of an int range, or a single int as both.
pub fn int_range(value: &Value) -> Option<(i64, i64)> {
    match &value.kind {
        ValueKind::Range(low, high) => Some((low.as_int()?, high.as_int()?)),
        ValueKind::Int(n) => Some((*n, *n)),
        _ => None,
    }
}

pub fn duration_ms(value: &Value) -> Option<u64> {
    match value.kind {
        ValueKind::Duration(ms) => Some(ms),
        _ => None,
    }
}

/// A field of an object attribute: `backup.retention`.
pub fn field<'a>(attrs: &'a EnvAttrs<'a>, attr: &str, field: &str) -> Option<&'a Value> {
    match &attrs.get(attr)?.kind {
        ValueKind::Map(entries) => entries.iter().find(|it| it.key == field).map(|it| &it.value),
        _ => None,
    }
}

/// An edit that sets `assignment` (`ha = true`) for one environment: in place of the same
/// attribute in the block's `env NAME { }` override, else added to that override, else in a
/// new override before the block's closing brace.
pub fn set_in_env(file: &Arc<str>, block: &Block, env: &str, assignment: &str) -> TextEdit {
    if let Some(env_override) = block.overrides.iter().find(|it| it.env == env) {
        let name = assignment.split('=').next().unwrap_or_default().trim();
        if let Some(attr) = env_override.attrs.iter().find(|it| it.name == name) {
            return TextEdit {
                file: file.clone(),
                range: TextRange::new(attr.name_range.start(), attr.value.range.end()),
                new_text: assignment.to_string(),
            };
        }
        let before_brace = env_override.range.end() - TextSize::from(1);
        return TextEdit {
            file: file.clone(),
            range: TextRange::empty(before_brace),
            new_text: format!(" {assignment} "),
        };
    }
    let before_brace = block.range.end() - TextSize::from(1);
    TextEdit {
        file: file.clone(),
        range: TextRange::empty(before_brace),
        new_text: format!("  env {env} {{ {assignment} }}\n"),
    }
}

/// The kinds a `terraform { }` override or a `renamed_from` may stand in: every resource kind,
/// raw `terraform` resources and the workloads.
pub const RESOURCE_AND_WORKLOAD_KINDS: &[&str] = &[
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
    "registry",
    "alert",
    "slo",
    "dns",
    "container",
    "terraform",
    "service",
    "worker",
    "job",
];

/// An edit that adds `assignment` to a block, before its closing brace.
pub fn add_to_block(file: &Arc<str>, block: &Block, assignment: &str) -> TextEdit {
    let before_brace = block.range.end() - TextSize::from(1);
    TextEdit { file: file.clone(), range: TextRange::empty(before_brace), new_text: format!("  {assignment}\n") }
}

/// The range of a value as written in the block or its env override, for pointing at it.
pub fn value_range(attrs: &EnvAttrs<'_>, name: &str) -> Option<TextRange> {
    attrs.get(name).map(|it| it.range)
}

/// Whether any value of the block (or of its overrides and nested blocks) could not be read.
pub fn has_error_values(block: &Block) -> bool {
    fn has_error(value: &Value) -> bool {
        match &value.kind {
            ValueKind::Error => true,
            ValueKind::Range(low, high) => has_error(low) || has_error(high),
            ValueKind::List(items) => items.iter().any(has_error),
            ValueKind::Map(entries) => entries.iter().any(|it| has_error(&it.value)),
            _ => false,
        }
    }
    block.attrs.iter().any(|it| has_error(&it.value))
        || block.overrides.iter().flat_map(|it| it.attrs.iter()).any(|it| has_error(&it.value))
        || block.children.iter().any(has_error_values)
}

/// The top-level block declared as `name`, wherever it is, and its file.
pub fn declared<'a>(
    db: &'a dyn crate::db::Db,
    index: &crate::db::Index,
    name: &str,
) -> Option<(&'a Block, crate::db::SourceFile)> {
    let declaration = index.lookup(name)?;
    let ir = crate::db::file_ir(db, declaration.file);
    let block = ir.value.blocks.iter().find(|it| it.name.as_deref() == Some(name))?;
    Some((block, declaration.file))
}

/// The block an `alert` or `slo` watches (`on`), with its cloud in environment `env`.
pub fn watched<'a>(
    ctx: &super::RuleCtx<'a>,
    attrs: &EnvAttrs<'_>,
    env: &crate::db::facts::EnvFacts,
) -> Option<(&'a Block, String)> {
    let (target, _) = declared(ctx.db, ctx.index, get_ref(attrs, "on")?)?;
    let cloud = ctx.facts.cloud_of(&target.env_attrs(&env.name), env).unwrap_or_default();
    Some((target, cloud))
}

/// A duration as a user would write it: `90s`, `5min`, `36h`, `7d`.
pub fn duration_text(ms: u64) -> String {
    crate::ir::format_duration(ms)
}
