//! SEC109 `root-container`: a container that runs as root.

use super::*;

pub static RULE: Rule = Rule { code: "SEC109", check: Check::PerEnv(&["service", "worker", "job"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if get_bool(view.attrs, "run_as_root") != Some(true) {
        return;
    }
    let range = value_range(view.attrs, "run_as_root").unwrap_or_else(|| name_range(view.block));
    acc.push(
        diagnostic("SEC109", format!("{} runs its container as root", describe(view.block)), ctx.path, range)
            .label("root inside the container")
            .note("a process that breaks out of a root container is root on the node")
            .help("build the image to run as an unprivileged user and remove `run_as_root`"),
    );
}
