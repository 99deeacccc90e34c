//! SEC108 `image-scanning-disabled`: a registry that does not scan images on push.

use super::*;

pub static RULE: Rule = Rule { code: "SEC108", check: Check::PerEnv(&["registry"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if get_bool(view.attrs, "scan_on_push") != Some(false) {
        return;
    }
    let range = value_range(view.attrs, "scan_on_push").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic(
            "SEC108",
            format!("{} does not scan images for vulnerabilities", describe(view.block)),
            ctx.path,
            range,
        )
        .label("scanning is off")
        .note("images with known vulnerabilities then reach the cluster unnoticed")
        .help("set `scan_on_push = true` (the default)")
        .replace_with("Scan images on push", crate::diagnostics::Applicability::Safe, "true"),
    );
}
