//! CAT507 `runtime-not-offered`: a function runtime the cloud does not offer.

use super::*;
use crate::catalog::versions::Versions;

pub static RULE: Rule = Rule { code: "CAT507", check: Check::PerEnv(&["function"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(runtime) = get_str(view.attrs, "runtime") else { return };
    let versions = Versions::builtin();
    if versions.runtime(&view.cloud, runtime).is_some() {
        return;
    }
    // Say nothing when the catalog lists no runtimes for this cloud at all.
    let any_listed = ["nodejs22", "python3.12", "java21", "go", "dotnet8", "ruby3.3"]
        .iter()
        .any(|it| versions.runtime(&view.cloud, it).is_some());
    if !any_listed {
        return;
    }
    let range = value_range(view.attrs, "runtime").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic("CAT507", format!("{} functions do not offer the runtime `{runtime}`", view.cloud), ctx.path, range)
            .label("runtime not offered")
            .help("pick another runtime, or place the function on another cloud with `cloud = ...`"),
    );
}
