//! SEC107 `public-cluster-endpoint`: a Kubernetes API endpoint open to the internet.

use super::*;

pub static RULE: Rule = Rule { code: "SEC107", check: Check::PerEnv(&["cluster"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if get_bool(view.attrs, "private") != Some(false) {
        return;
    }
    let range = value_range(view.attrs, "private").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic(
            "SEC107",
            format!("the API endpoint of {} is open to the internet", describe(view.block)),
            ctx.path,
            range,
        )
        .label("public control plane")
        .note("a public Kubernetes API is scanned constantly; a leaked kubeconfig or a CVE is enough to get in")
        .help("set `private = true`, or limit who can reach it with `authorized_networks`")
        .replace_with("Make the endpoint private", crate::diagnostics::Applicability::Unsafe, "true"),
    );
}
