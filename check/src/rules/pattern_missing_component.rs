//! ARCH401 `pattern-missing-component`: the plan's pattern needs a component it does not have.
//!
//! Each missing component is its own diagnostic, at the plan's `pattern`.

use super::*;

pub static RULE: Rule = Rule { code: "ARCH401", check: Check::Workspace(check) };

/// Components by pattern: (what, the kinds any of which provides it).
pub fn required_components(pattern: &str) -> &'static [(&'static str, &'static [&'static str])] {
    // LANGUAGE.md §10.6: the source specification's definition of each pattern.
    const COMPUTE: &[&str] = &["service", "worker", "vm", "container", "function"];
    match pattern {
        "monolith" => &[("compute (a service, worker, VM or function)", COMPUTE), ("a database", &["database"])],
        "microservices" => &[
            ("a cluster", &["cluster"]),
            ("a database", &["database"]),
            ("a gateway", &["gateway"]),
            ("messaging (a queue or a topic)", &["queue", "topic"]),
            ("monitoring", &["monitoring"]),
            ("a network", &["network"]),
        ],
        "serverless" => &[("a function", &["function"]), ("a gateway", &["gateway"]), ("a database", &["database"])],
        "event_driven" => &[
            ("messaging (a queue or a topic)", &["queue", "topic"]),
            ("compute (a service, worker, VM or function)", COMPUTE),
            ("a database", &["database"]),
            ("monitoring", &["monitoring"]),
        ],
        _ => &[],
    }
}

fn check(ctx: &WorkspaceCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(pattern) = ctx.facts.pattern.as_deref() else { return };
    let mut location = None;
    for &file in ctx.workspace.files(ctx.db) {
        let ir = crate::db::file_ir(ctx.db, file);
        if let Some(attr) = ir.value.blocks.iter().filter(|it| it.kind == "plan").find_map(|it| it.attr("pattern")) {
            location = Some((file.path(ctx.db).clone(), attr.value.range));
            break;
        }
    }
    let Some((file, range)) = location else { return };
    let mut present: std::collections::HashSet<&str> =
        ctx.index.names.values().flat_map(|declarations| declarations.iter().map(|it| it.kind.as_str())).collect();
    if ctx.facts.metrics.is_some() {
        present.insert("monitoring"); // A singleton: not among the names.
    }
    for (what, kinds) in required_components(pattern) {
        if kinds.iter().any(|kind| present.contains(kind)) {
            continue;
        }
        acc.push(
            diagnostic("ARCH401", format!("a `{pattern}` plan needs {what}, and this plan has none"), &file, range)
                .label(format!("`{pattern}` expects {what}"))
                .help(match kinds[0] {
                    "monitoring" => format!(
                        "declare {what} (`monitoring {{ notify oncall {{ email = [...] }} }}`), or change the `pattern`"
                    ),
                    kind => format!("declare {what} (`{kind} NAME {{ ... }}`), or change the `pattern`"),
                }),
        );
    }
}
