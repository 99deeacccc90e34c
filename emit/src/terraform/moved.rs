//! Renames that never destroy: `renamed_from` on a block (or a nested `node_pool` or
//! `subnet`) becomes Terraform `moved` blocks from every address an old name produced to the
//! address the block produces now. The old addresses are found by rendering the block again
//! under its old name: the emitters are deterministic, so the resources of each type come in
//! the same order and only the names derived from the block's name differ.

use super::hcl::{Block, Expr};
use super::{raw, Provider, Tf};
use crate::ir::{Block as IrBlock, ValueKind};
use crate::Located;

/// The names a block (or its nested block) had before, in environment `env`.
fn old_names(block: &IrBlock, env: &str) -> Vec<String> {
    match block.env_attrs(env).get("renamed_from").map(|it| &it.kind) {
        Some(ValueKind::List(items)) => items.iter().filter_map(|it| it.as_str().map(String::from)).collect(),
        _ => Vec::new(),
    }
}

/// The first name of a renamed block, which its cloud resources keep.
pub fn first_name(block: &IrBlock, env: &str) -> Option<String> {
    old_names(block, env).into_iter().next()
}

/// The block as it was before each rename it records: itself under an old name, or with one
/// nested block under its old name.
fn variants(block: &IrBlock, env: &str) -> Vec<IrBlock> {
    let mut found = Vec::new();
    for old in old_names(block, env) {
        let mut variant = block.clone();
        variant.name = Some(old);
        found.push(variant);
    }
    for (index, child) in block.children.iter().enumerate() {
        for old in old_names(child, env) {
            let mut variant = block.clone();
            variant.children[index].name = Some(old);
            found.push(variant);
        }
    }
    found
}

/// Renders a variant of a block alone and returns its resources' `(type, name)`.
fn addresses_of(tf: &Tf<'_>, located: &Located<'_>, variant: &IrBlock, cloud: &str) -> Vec<(String, String)> {
    let mut scratch = tf.scratch();
    let located = Located { block: variant, file: located.file.clone(), line: located.line };
    let attrs = variant.env_attrs(&tf.env.name);
    if variant.kind == "terraform" {
        raw::resource(&mut scratch, &located, &attrs);
    } else {
        Provider::of(cloud).render(&mut scratch, &located, &attrs);
    }
    scratch.rendered_addresses()
}

/// The `moved` blocks of one Plan block, given the addresses it produced now; each pair once.
pub fn moved(tf: &mut Tf<'_>, located: &Located<'_>, cloud: &str, current: &[(String, String)]) {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for variant in variants(located.block, &tf.env.name) {
        let before = addresses_of(tf, located, &variant, cloud);
        let mut types: Vec<&str> = before.iter().map(|(kind, _)| kind.as_str()).collect();
        types.dedup();
        for resource_type in types {
            let old = before.iter().filter(|(kind, _)| kind == resource_type);
            let new = current.iter().filter(|(kind, _)| kind == resource_type);
            for ((_, from), (_, to)) in old.zip(new) {
                let pair = (format!("{resource_type}.{from}"), format!("{resource_type}.{to}"));
                if from != to && !pairs.contains(&pair) {
                    pairs.push(pair);
                }
            }
        }
    }
    for (from, to) in pairs {
        let comment = format!(
            "{} `{}` was renamed ({}): its resources move in the state instead of being replaced.",
            located.block.kind,
            located.name(),
            located.source()
        );
        tf.moved.push((from.clone(), to.clone()));
        tf.add_plain(
            "moved.tf",
            vec![comment],
            Block::new("moved", &[]).attr("from", Expr::raw(from)).attr("to", Expr::raw(to)),
        );
    }
}
