//! ARCH403 `cluster-without-network`: a cluster that is not placed in a declared network.

use super::*;

pub static RULE: Rule = Rule { code: "ARCH403", check: Check::Block(&["cluster"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    if block.attr("network").is_some() {
        return;
    }
    acc.push(
        diagnostic("ARCH403", format!("{} is not placed in a network", describe(block)), ctx.path, name_range(block))
            .label("no `network`")
            .note("the cloud's default network has public subnets and none of this plan's firewall rules or NAT")
            .help("declare a `network` and set `network = NAME` on the cluster"),
    );
}
