//! SEC102 `unpinned-image`: a container image without a pinned version.
//!
//! `nginx` and `nginx:latest` change under you: two rollouts of the same plan run different code.

use super::*;

pub static RULE: Rule = Rule { code: "SEC102", check: Check::Block(&["service", "worker", "job"], check) };

/// Whether an image reference names a fixed version: a digest, or a tag other than `latest`.
pub fn is_pinned(image: &str) -> bool {
    if image.contains("@sha256:") {
        return true;
    }
    // The tag follows the last `:` after the last `/` (a registry host may have a port).
    let last_part = image.rsplit('/').next().unwrap_or(image);
    match last_part.rsplit_once(':') {
        Some((_, tag)) => !tag.is_empty() && tag != "latest",
        None => false,
    }
}

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let Some(attr) = block.attr("image") else { return };
    let Some(image) = attr.value.as_str() else { return };
    if is_pinned(image) {
        return;
    }
    acc.push(
        diagnostic(
            "SEC102",
            format!("the image of {} is not pinned to a version", describe(block)),
            ctx.path,
            attr.value.range,
        )
        .label(if image.ends_with(":latest") {
            "`latest` moves with every push"
        } else {
            "no tag: the registry serves `latest`"
        })
        .note("an unpinned image changes under you: two rollouts of the same plan can run different code")
        .help(format!("pin a version tag or a digest, e.g. `\"{}:1.4.2\"`", image.trim_end_matches(":latest"))),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_and_digests_pin_an_image() {
        assert!(super::is_pinned("ghcr.io/acme/api:1.4.2"));
        assert!(super::is_pinned("registry:5000/api@sha256:abc"));
        assert!(!super::is_pinned("registry:5000/api"));
        assert!(!super::is_pinned("nginx:latest"));
        assert!(!super::is_pinned("nginx"));
    }
}
