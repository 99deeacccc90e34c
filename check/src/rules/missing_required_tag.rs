//! SEC110 `missing-required-tag`: a resource without a tag the policy requires.
//!
//! Tags merge from the plan, then the environment, then the block (LANGUAGE.md §5).

use super::*;

pub static RULE: Rule = Rule {
    code: "SEC110",
    check: Check::PerEnv(
        &[
            "network", "cluster", "service", "worker", "job", "function", "database", "cache", "bucket", "queue",
            "topic", "gateway", "cdn", "vm", "registry",
        ],
        check,
    ),
};

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if ctx.facts.policy.require_tags.is_empty() {
        return;
    }
    let tags = ctx.facts.merged_tags(view.attrs.get("tags"), view.env);
    for required in &ctx.facts.policy.require_tags {
        if tags.iter().any(|(key, _)| key == required) {
            continue;
        }
        acc.push(
            diagnostic(
                "SEC110",
                format!("{} has no `{required}` tag", describe(view.block)),
                ctx.path,
                name_range(view.block),
            )
            .label(format!("`{required}` is required by the policy"))
            .note("required tags route alerts and bills to their owners; the plan's and environment's tags count too")
            .help(format!("add it here (`tags {{ {required} = \"...\" }}`) or to the plan's or environment's tags")),
        );
    }
}
