//! SEC103 `public-bucket`: a storage bucket that anyone can read.
//!
//! Public buckets are the most common source of data leaks. Fix (safe): `public = false`, and
//! serve public files through a `cdn`.

use super::*;

pub static RULE: Rule = Rule { code: "SEC103", check: Check::PerEnv(&["bucket"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if get_bool(view.attrs, "public") != Some(true) {
        return;
    }
    let range = value_range(view.attrs, "public").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic("SEC103", format!("{} is readable by anyone", describe(view.block)), ctx.path, range)
            .label("this makes every object public")
            .note("public buckets are the most common source of data leaks")
            .help("set `public = false` and serve public files through a `cdn` block")
            .replace_with("Make the bucket private", crate::diagnostics::Applicability::Safe, "false"),
    );
}
