//! P025 `reference-in-plain-string`: an output referenced in an attribute that takes plain text.
//!
//! Only `vars` (and attributes typed as references) carry another block's outputs: there the
//! emitters route a secret to a Secret and a value known only after apply to a ConfigMap that
//! Terraform fills. A plain `string` attribute (`host`, `description`, ...) is written as text
//! into Terraform or Kubernetes, so a reference there would be dropped or, for a secret output
//! such as a database `url`, written out in plain text.

use super::*;
use crate::catalog::{Catalog, Ty};
use crate::ir::{InterpolationPart, Value, ValueKind};

pub static RULE: Rule = Rule {
    code: "P025",
    check: Check::Block(
        &[
            "plan", "env", "network", "cluster", "service", "worker", "job", "function", "database", "cache", "bucket",
            "queue", "topic", "gateway", "cdn", "vm", "registry",
        ],
        check,
    ),
};

/// Whether values of this type are plain text, with no place for a reference.
fn plain_text(ty: &Ty) -> bool {
    match ty {
        Ty::String => true,
        Ty::List(inner) | Ty::Map(inner) => plain_text(inner),
        _ => false,
    }
}

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    check_block(ctx, block, acc);
    for child in &block.children {
        check_block(ctx, child, acc);
    }
}

fn check_block(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let Some(schema) = Catalog::builtin().kind(&block.kind) else { return };
    let attrs = block.attrs.iter().chain(block.overrides.iter().flat_map(|it| it.attrs.iter()));
    for attr in attrs {
        let Some(attr_schema) = schema.attr(&attr.name) else { continue };
        if !plain_text(&attr_schema.ty) {
            continue;
        }
        let mut refs = Vec::new();
        collect(&attr.value, &mut refs);
        for (reference, range) in refs {
            acc.push(problem(ctx, &attr.name, reference, range));
        }
    }
}

/// References anywhere in a value, with the range to point at.
fn collect<'a>(value: &'a Value, acc: &mut Vec<(&'a crate::ir::Ref, TextRange)>) {
    match &value.kind {
        ValueKind::Ref(reference) => acc.push((reference, value.range)),
        ValueKind::Interpolated(parts) => {
            for part in parts {
                if let InterpolationPart::Value(inner) = part {
                    collect(inner, acc);
                }
            }
        }
        ValueKind::List(items) => items.iter().for_each(|it| collect(it, acc)),
        ValueKind::Map(entries) => entries.iter().for_each(|it| collect(&it.value, acc)),
        _ => {}
    }
}

fn problem(ctx: &RuleCtx<'_>, attr: &str, reference: &crate::ir::Ref, range: TextRange) -> Diagnostic {
    let written = match &reference.field {
        Some((field, _)) => format!("{}.{field}", reference.name),
        None => reference.name.clone(),
    };
    let output = ctx.index.lookup(&reference.name).and_then(|declaration| {
        let field = reference.field.as_ref()?.0.as_str();
        Catalog::builtin().kind(&declaration.kind)?.output(field)
    });
    let secret = output.is_some_and(|it| it.secret.values().any(|secret| *secret));
    let diagnostic =
        diagnostic("P025", format!("`{attr}` takes plain text, so it cannot refer to `{written}`"), ctx.path, range);
    if secret {
        diagnostic
            .label("a secret output")
            .note(format!("`{written}` carries credentials, and `{attr}` is written as plain text into the outputs"))
            .help("pass it to a workload through `vars`, where it becomes a secretKeyRef on a Secret")
    } else {
        diagnostic
            .label("a reference in plain text")
            .note(format!(
                "`{attr}` is written into the outputs as text; only `vars` and reference-typed attributes carry outputs"
            ))
            .help("write the value itself, or pass the output to a workload through `vars`")
    }
}
