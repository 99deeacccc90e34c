//! CAT504 `engine-not-offered`: an engine the cloud does not offer as a managed service.

use super::*;
use crate::catalog::versions::Versions;

pub static RULE: Rule = Rule { code: "CAT504", check: Check::PerEnv(&["database", "cache"], check) };

fn alternatives(cloud: &str, engine: &str) -> &'static str {
    match (cloud, engine) {
        ("gcp", "mongodb") => "run MongoDB Atlas on GCP (a marketplace service), use Firestore, or put the database on aws (DocumentDB) or azure (Cosmos DB for MongoDB) with `cloud = ...`",
        ("gcp", "mariadb") | ("azure", "mariadb") => "use `engine = mysql`, which MariaDB clients speak, or place the database on aws",
        ("azure", "memcached") => "use `engine = redis` (Azure Cache for Redis)",
        _ => "pick an engine this cloud offers, or place the resource on another cloud with `cloud = ...`",
    }
}

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(engine) = get_str(view.attrs, "engine") else { return };
    if Versions::builtin().engine_offered(&view.cloud, engine) {
        return;
    }
    let range = value_range(view.attrs, "engine").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic("CAT504", format!("{} has no managed `{engine}`", view.cloud), ctx.path, range)
            .label(format!("not offered on {}", view.cloud))
            .help(alternatives(&view.cloud, engine)),
    );
}
