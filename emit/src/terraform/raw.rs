//! The escape hatch (LANGUAGE.md §10.7): raw `terraform NAME { type args }` resources, and
//! `terraform { }` overrides merged into a block's main resource. CAT510 has checked both
//! against the provider's schema before anything is built.

use super::hcl::{Block, Expr, Item};
use super::{var_expression, Tf};
use crate::ir::{EnvAttrs, MapEntry, Value, ValueKind};
use crate::{tf_name, Located};

/// A Plan value as a Terraform expression: plain values as written, `secret(..)` as a
/// sensitive variable, outputs as references.
fn expression(tf: &mut Tf<'_>, value: &Value) -> Option<Expr> {
    Some(match &value.kind {
        ValueKind::String(text) => Expr::str(text.clone()),
        ValueKind::Int(n) => Expr::Num(*n),
        ValueKind::Float(f) => Expr::Float(f.get()),
        ValueKind::Bool(b) => Expr::Bool(*b),
        ValueKind::List(items) => Expr::List(items.iter().map(|it| expression(tf, it)).collect::<Option<_>>()?),
        ValueKind::Map(entries) => Expr::Object(
            entries.iter().map(|it| Some((it.key.clone(), expression(tf, &it.value)?))).collect::<Option<_>>()?,
        ),
        ValueKind::Secret(_) | ValueKind::Ref(_) | ValueKind::Interpolated(_) => var_expression(tf, value)?,
        _ => return None,
    })
}

/// The items of a body: arguments, then nested blocks, in the order written.
fn items(tf: &mut Tf<'_>, entries: &[MapEntry]) -> Vec<Item> {
    let mut items = Vec::new();
    for entry in entries {
        match &entry.value.kind {
            ValueKind::Body(children) => {
                let mut block = Block::new(&entry.key, &[]);
                block.items = self::items(tf, children);
                items.push(Item::Block(block));
            }
            _ => {
                if let Some(expression) = expression(tf, &entry.value) {
                    items.push(Item::Attr(entry.key.clone(), expression));
                }
            }
        }
    }
    items
}

/// `depends_on` of a raw resource: the main resource of each block it names.
fn depends_on(tf: &Tf<'_>, attrs: &EnvAttrs<'_>) -> Vec<String> {
    let Some(ValueKind::List(items)) = attrs.get("depends_on").map(|it| &it.kind) else { return Vec::new() };
    let mut addresses = Vec::new();
    for item in items {
        let ValueKind::Ref(reference) = &item.kind else { continue };
        let Some(target) = tf.ctx.find(&reference.name) else { continue };
        let target_attrs = target.block.env_attrs(&tf.env.name);
        let cloud = tf.ctx.facts.cloud_of(&target_attrs, tf.env).unwrap_or_default();
        let kind = target.block.kind.as_str();
        let main = match kind {
            "terraform" => target_attrs.get("type").and_then(Value::as_str),
            _ => crate::catalog::Catalog::builtin()
                .main_resource(kind, &cloud, |condition| crate::deploy::holds(kind, &target_attrs, condition)),
        };
        if let Some(main) = main {
            addresses.push(format!("{main}.{}", tf_name(&reference.name)));
        }
    }
    addresses
}

/// Where the block's main resource went in this render: (file, index).
fn main_position(tf: &Tf<'_>, main: &str) -> Option<(&'static str, usize)> {
    tf.rendered.iter().copied().find(|(file, index)| {
        tf.files.get(file).and_then(|it| it.items.get(*index)).is_some_and(|(_, block)| {
            block.kind == "resource" && block.labels.first().map(String::as_str) == Some(main)
        })
    })
}

/// A block's `depends_on` on its main resource: the main resource of each block it names,
/// after any dependency the renderer wrote itself.
pub fn apply_depends_on(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>, cloud: &str) {
    let addresses = depends_on(tf, attrs);
    if addresses.is_empty() {
        return;
    }
    let kind = located.block.kind.as_str();
    let main = crate::catalog::Catalog::builtin()
        .main_resource(kind, cloud, |condition| crate::deploy::holds(kind, attrs, condition));
    let Some((file, index)) = main.and_then(|main| main_position(tf, main)) else {
        tf.notes.push(format!(
            "{kind} `{}` ({}): its `depends_on` was not applied in `{}`: no main resource is generated there",
            located.name(),
            located.source(),
            tf.env.name
        ));
        return;
    };
    let Some((_, block)) = tf.files.get_mut(file).and_then(|it| it.items.get_mut(index)) else { return };
    let existing = block.items.iter().position(|it| matches!(it, Item::Attr(name, _) if name == "depends_on"));
    match existing {
        Some(at) => {
            if let Item::Attr(_, Expr::Raw(list)) = &block.items[at] {
                let mut all: Vec<String> = list
                    .trim_matches(|ch| ch == '[' || ch == ']')
                    .split(',')
                    .map(|it| it.trim().to_string())
                    .filter(|it| !it.is_empty())
                    .collect();
                all.extend(addresses.into_iter().filter(|it| !all.contains(it)).collect::<Vec<_>>());
                block.items[at] = Item::Attr("depends_on".into(), Expr::raw(format!("[{}]", all.join(", "))));
            }
        }
        None => block.items.push(Item::Attr("depends_on".into(), Expr::raw(format!("[{}]", addresses.join(", "))))),
    }
}

/// A top-level `terraform NAME { type args }`: one resource in `raw.tf`.
pub fn resource(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let Some(resource_type) = attrs.get("type").and_then(Value::as_str) else { return };
    let mut block = Block::resource(resource_type, &tf_name(located.name()));
    if let Some(ValueKind::Body(entries)) = attrs.get("args").map(|it| &it.kind) {
        block.items = items(tf, entries);
    }
    let depends = depends_on(tf, attrs);
    if !depends.is_empty() {
        block = block.raw("depends_on", format!("[{}]", depends.join(", ")));
    }
    tf.add("raw.tf", located, block);
}

/// Merges `terraform { }` into the block's main resource: an argument replaces the generated
/// one of that name (noted, and commented in the output); a nested block merges into the one
/// generated block of its type, or is added.
pub fn merge_override(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>, cloud: &str, entries: &[MapEntry]) {
    let kind = located.block.kind.as_str();
    let Some(main) = crate::catalog::Catalog::builtin()
        .main_resource(kind, cloud, |condition| crate::deploy::holds(kind, attrs, condition))
    else {
        return;
    };
    let Some((file, index)) = main_position(tf, main) else {
        // CAT510 checked the override against this type; it was not generated in this
        // environment (a VM set of no machines, say), so there is nothing to merge into.
        tf.notes.push(format!(
            "{} `{}` ({}): its `terraform {{ }}` override was not applied in `{}`: no `{main}` is generated there",
            kind,
            located.name(),
            located.source(),
            tf.env.name
        ));
        return;
    };
    let overrides = items(tf, entries);
    let source = format!("{} `{}` ({})", kind, located.name(), located.source());
    let Some((_, block)) = tf.files.get_mut(file).and_then(|it| it.items.get_mut(index)) else { return };
    let address = format!(
        "{}.{}",
        block.labels.first().cloned().unwrap_or_default(),
        block.labels.get(1).cloned().unwrap_or_default()
    );
    let mut notes = Vec::new();
    merge(block, overrides, &address, &mut notes);
    tf.notes.extend(notes.into_iter().map(|it| format!("{source}: {it}")));
}

fn merge(block: &mut Block, overrides: Vec<Item>, path: &str, notes: &mut Vec<String>) {
    for item in overrides {
        match item {
            Item::Attr(key, value) => {
                let existing = block.items.iter().position(|it| matches!(it, Item::Attr(name, _) if *name == key));
                match existing {
                    Some(at) => {
                        let Item::Attr(_, old) = &block.items[at] else { continue };
                        if *old != value {
                            let (old, new) = (super::hcl::inline(old), super::hcl::inline(&value));
                            notes.push(format!("`{path}.{key}` was {old}, the override sets {new}"));
                            block.items.insert(at, Item::Comment(format!("terraform override: was {old}")));
                            block.items[at + 1] = Item::Attr(key, value);
                        }
                    }
                    None => block.items.push(Item::Attr(key, value)),
                }
            }
            Item::Block(nested) => {
                let same: Vec<usize> = block
                    .items
                    .iter()
                    .enumerate()
                    .filter(|(_, it)| matches!(it, Item::Block(inner) if inner.kind == nested.kind))
                    .map(|(at, _)| at)
                    .collect();
                match same.as_slice() {
                    [one] => {
                        let Item::Block(inner) = &mut block.items[*one] else { continue };
                        let kind = nested.kind.clone();
                        merge(inner, nested.items, &format!("{path}.{kind}"), notes);
                    }
                    _ => block.items.push(Item::Block(nested)),
                }
            }
            Item::Comment(_) => {}
        }
    }
}
