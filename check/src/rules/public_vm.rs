//! SEC112 `public-vm`: a virtual machine with a public IP address.

use super::*;

pub static RULE: Rule = Rule { code: "SEC112", check: Check::PerEnv(&["vm"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if get_bool(view.attrs, "public_ip") != Some(true) {
        return;
    }
    let range = value_range(view.attrs, "public_ip").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic("SEC112", format!("{} has a public IP address", describe(view.block)), ctx.path, range)
            .label("reachable from the internet")
            .note("a public VM is scanned within minutes of starting; every open port is an entry point")
            .help("remove `public_ip` and reach the machine through a `gateway` or the private network")
            .replace_with("Remove the public address", crate::diagnostics::Applicability::Unsafe, "false"),
    );
}
