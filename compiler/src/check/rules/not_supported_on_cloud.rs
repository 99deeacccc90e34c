//! CAT509 `not-supported-on-cloud`: an attribute the compiler does not build on this cloud.
//!
//! The catalog says so per attribute (`unsupported = { azure = "..." }` in `stdlib/catalog`),
//! with what to do instead; the attribute-coverage test keeps the list true: an attribute that
//! changes no output on a cloud must be listed here or reported by another rule.

use super::*;
use crate::catalog::{AttrSchema, Catalog};
use crate::ir::ValueKind;

pub static RULE: Rule = Rule {
    code: "CAT509",
    check: Check::PerEnv(
        &[
            "network", "cluster", "service", "worker", "job", "function", "database", "cache", "bucket", "queue",
            "topic", "gateway", "cdn", "vm", "registry",
        ],
        check,
    ),
};

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let catalog = Catalog::builtin();
    let Some(kind) = catalog.kind(&view.block.kind) else { return };
    for attr in kind.attrs.iter().chain(catalog.common.iter()) {
        // Most attributes are built everywhere: skip them before looking their value up.
        let listed = !attr.unsupported.is_empty()
            || attr.fields.iter().any(|it| !it.unsupported.is_empty())
            || kind.unsupported.keys().any(|it| it.split('.').next() == Some(attr.name.as_str()));
        if !listed {
            continue;
        }
        let Some(value) = view.attrs.get(&attr.name) else { continue };
        report(ctx, view, &attr.name, attr, value.range, acc);
        if let ValueKind::Map(entries) = &value.kind {
            for entry in entries {
                if let Some(field) = attr.fields.iter().find(|it| it.name == entry.key) {
                    report(ctx, view, &format!("{}.{}", attr.name, field.name), field, entry.key_range, acc);
                }
            }
        }
    }
}

fn report(
    ctx: &RuleCtx<'_>,
    view: &BlockView<'_>,
    name: &str,
    attr: &AttrSchema,
    range: TextRange,
    acc: &mut Vec<Diagnostic>,
) {
    let for_kind = Catalog::builtin().kind(&view.block.kind).and_then(|kind| kind.unsupported.get(name));
    let Some(instead) = attr.unsupported.get(&view.cloud).or_else(|| for_kind?.get(&view.cloud)) else { return };
    acc.push(
        diagnostic("CAT509", format!("`{name}` is not built on {}", view.cloud), ctx.path, range)
            .label(format!("not supported on {}", view.cloud))
            .note(format!("planc would write nothing for it on {}: the value would be lost", view.cloud))
            .help(instead.clone()),
    );
}
