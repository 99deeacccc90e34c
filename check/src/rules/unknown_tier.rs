//! CAT501 `unknown-tier`: an instance class or tier the catalog does not know.

use super::*;
use crate::catalog::pricing::PriceBook;
use crate::cost::model::cloud_sql_custom;

pub static RULE: Rule = Rule { code: "CAT501", check: Check::Block(&["database", "cache", "vm", "cluster"], check) };

/// A class that is missing from its cloud's table: (what, the value, its range, the table).
pub struct TierProblem {
    pub what: &'static str,
    pub class: String,
    pub range: TextRange,
    pub cloud: String,
    pub known: Vec<String>,
    /// The price table the class was looked for in: `["compute"]`, `["database", "postgres"]`.
    pub table: Vec<String>,
}

/// Classes of `block` (and its node pools) that are not in a table the cloud has.
pub fn tier_problems<'a>(ctx: &'a RuleCtx<'_>, block: &'a Block) -> impl Iterator<Item = TierProblem> + 'a {
    let mut problems = Vec::new();
    for env in &ctx.facts.envs {
        let attrs = block.env_attrs(&env.name);
        let Some(cloud) = ctx.facts.cloud_of(&attrs, env) else { continue };
        let Some(prices) = PriceBook::builtin().cloud(&cloud) else { continue };
        let mut check_class = |what: &'static str, table: Vec<&str>, class: Option<&crate::ir::Value>| {
            let Some(value) = class else { return };
            let Some(name) = value.as_str() else { return };
            // A real class without a price is COST304's (a warning with the reason), not a typo.
            if prices.has_class(&table, name) || prices.is_unpriced_class(&table, name) {
                return;
            }
            let known = prices.class_names(&table);
            // A cloud that sizes caches by memory (Memorystore) has no cache tiers at all.
            let sized_by_memory = what == "cache tier" && !prices.cache_bands(table[1]).is_empty();
            if known.is_empty() && !sized_by_memory {
                return;
            }
            // A Cloud SQL custom machine (`db-custom-2-7680`) is priced per vCPU and GB.
            if let (Some(engine), Some(_)) = (table.get(1).filter(|_| what == "database tier"), cloud_sql_custom(name))
            {
                if prices.price(&["database_unit", engine, "vcpu_hourly"]).is_some() {
                    return;
                }
            }
            problems.push(TierProblem {
                what,
                class: name.to_string(),
                range: value.range,
                cloud: cloud.clone(),
                known: known.iter().map(|it| it.to_string()).collect(),
                table: table.iter().map(|it| it.to_string()).collect(),
            });
        };
        match block.kind.as_str() {
            "database" => {
                let engine = get_str(&attrs, "engine").unwrap_or("");
                let table = if engine == "mongodb" { vec!["document_database"] } else { vec!["database", engine] };
                check_class("database tier", table, attrs.get("tier"));
            }
            "cache" => {
                let engine = get_str(&attrs, "engine").unwrap_or("redis").to_string();
                check_class("cache tier", vec!["cache", &engine], attrs.get("tier"));
            }
            "vm" => check_class("size", vec!["compute"], attrs.get("size")),
            "cluster" => {
                for pool in block.children.iter().filter(|it| it.kind == "node_pool") {
                    let pool_attrs = pool.env_attrs(&env.name);
                    check_class("node size", vec!["compute"], pool_attrs.get("size"));
                }
            }
            _ => {}
        }
    }
    let mut seen = std::collections::HashSet::new();
    problems.into_iter().filter(move |it| seen.insert(it.range))
}

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    for problem in tier_problems(ctx, block) {
        if problem.known.is_empty() {
            acc.push(
                diagnostic(
                    "CAT501",
                    format!("{} has no cache tiers: it sizes caches by memory", problem.cloud),
                    ctx.path,
                    problem.range,
                )
                .label("no such tier")
                .help("remove `tier` and set `memory`, e.g. `memory = 5Gi`"),
            );
            continue;
        }
        let table: Vec<&str> = problem.table.iter().map(String::as_str).collect();
        let suggestions =
            crate::catalog::shapes::suggest(PriceBook::builtin(), &problem.cloud, &table, &problem.class, 5);
        let listed = suggestions.classes.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ");
        let mut found = diagnostic(
            "CAT501",
            format!("`{}` is not a {} the catalog knows on {}", problem.class, problem.what, problem.cloud),
            ctx.path,
            problem.range,
        )
        .label(format!("unknown {}", problem.what))
        .note(match &suggestions.basis {
            Some(basis) => format!("{basis}: {listed}"),
            None => format!("the nearest known values are {listed}"),
        });
        // A fix is offered for a near spelling or a class of the same shape; a name far from
        // every class only gets the list.
        let confident = suggestions.spelling
            || suggestions.basis.is_some()
            || crate::diagnostics::did_you_mean(&problem.class, problem.known.iter().map(String::as_str)).is_some();
        match suggestions.classes.first().filter(|_| confident) {
            Some(first) => {
                let help = if suggestions.basis.is_some() {
                    format!("use `{first}`, the {} class of the same shape", problem.cloud)
                } else {
                    format!("did you mean `{first}`?")
                };
                found = found.help(help).replace_with(
                    format!("Change to `{first}`"),
                    crate::diagnostics::Applicability::Unsafe,
                    format!("\"{first}\""),
                );
            }
            None => {
                found = found.help("use a class from the price tables; `planc catalog` lists them with their prices");
            }
        }
        acc.push(found);
    }
}
