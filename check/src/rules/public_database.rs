//! SEC101 `public-database`: a database reachable from the internet.
//!
//! A database with `public = true` gets a public endpoint; credentials become its only defence.
//! Fix (safe): `public = false`; reach it from workloads in the same network instead.

use super::*;

pub static RULE: Rule = Rule { code: "SEC101", check: Check::PerEnv(&["database"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if get_bool(view.attrs, "public") != Some(true) {
        return;
    }
    let range = value_range(view.attrs, "public").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic("SEC101", format!("{} is reachable from the internet", describe(view.block)), ctx.path, range)
            .label("this gives the database a public endpoint")
            .note("a public database is one leaked password away from a data breach")
            .help("set `public = false` and reach it from workloads in the same network")
            .replace_with("Make the database private", crate::diagnostics::Applicability::Safe, "false"),
    );
}
