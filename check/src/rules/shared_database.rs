//! ARCH402 `shared-database`: one database used by several services in a microservices plan.

use super::*;

pub static RULE: Rule = Rule { code: "ARCH402", check: Check::Workspace(check) };

fn check(ctx: &WorkspaceCtx<'_>, acc: &mut Vec<Diagnostic>) {
    if ctx.facts.pattern.as_deref() != Some("microservices") {
        return;
    }
    // Database name to the workloads that reference it: (workload, file, range of the reference).
    let mut users: BTreeMap<String, Vec<(String, std::sync::Arc<str>, TextRange)>> = BTreeMap::new();
    for &file in ctx.workspace.files(ctx.db) {
        let ir = crate::db::file_ir(ctx.db, file);
        for block in ir.value.blocks.iter().filter(|it| matches!(it.kind.as_str(), "service" | "worker")) {
            let Some(workload) = &block.name else { continue };
            let Some(vars) = block.attr("vars") else { continue };
            for reference in vars.value.refs() {
                let is_database = ctx.index.lookup(&reference.name).is_some_and(|it| it.kind == "database");
                let entry = users.entry(reference.name.clone()).or_default();
                // A workload's references are visited together: comparing with the last one is enough.
                if is_database && entry.last().is_none_or(|(name, _, _)| name != workload) {
                    entry.push((workload.clone(), file.path(ctx.db).clone(), reference.name_range));
                }
            }
        }
    }
    for (database, workloads) in users {
        if workloads.len() < 2 {
            continue;
        }
        let Some(declaration) = ctx.index.lookup(&database) else { continue };
        let ir = crate::db::file_ir(ctx.db, declaration.file);
        let Some(block) = ir.value.blocks.iter().find(|it| it.name.as_deref() == Some(database.as_str())) else {
            continue;
        };
        // A platform may share one database among thousands of services: name a few, count the rest.
        const SHOWN: usize = 5;
        let mut names =
            workloads.iter().take(SHOWN).map(|(name, _, _)| format!("`{name}`")).collect::<Vec<_>>().join(", ");
        if workloads.len() > SHOWN {
            names.push_str(&format!(" and {} more", workloads.len() - SHOWN));
        }
        let mut found = diagnostic(
            "ARCH402",
            format!("database `{database}` is shared by {names} in a microservices plan"),
            declaration.file.path(ctx.db),
            name_range(block),
        )
        .label("one database, several services")
        .note("services that share tables cannot change or deploy them independently, which microservices are for")
        .help("give each service its own database, or talk to the owning service's API");
        for (workload, file, range) in workloads.iter().take(SHOWN) {
            found = found.secondary(file, *range, format!("used by `{workload}`"));
        }
        if workloads.len() > SHOWN {
            found = found.note(format!("{} services use it in all", workloads.len()));
        }
        acc.push(found);
    }
}
