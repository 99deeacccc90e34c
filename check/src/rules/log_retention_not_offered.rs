//! OBS706 `log-retention-not-offered`: a log retention the cloud's log store does not offer.

use super::*;

pub static RULE: Rule = Rule { code: "OBS706", check: Check::PerEnv(&["monitoring"], check) };

/// CloudWatch Logs' retention periods, in days.
const CLOUDWATCH_DAYS: [u64; 22] =
    [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(value) = field(view.attrs, "logs", "retention") else { return };
    let Some(ms) = duration_ms(value) else { return };
    let days = ms / 86_400_000;
    let whole = ms % 86_400_000 == 0;
    let (offered, help) = match view.cloud.as_str() {
        "aws" => (
            CLOUDWATCH_DAYS.contains(&days),
            format!(
                "CloudWatch Logs keeps logs for {}",
                CLOUDWATCH_DAYS.iter().map(|it| format!("{it}d")).collect::<Vec<_>>().join(", ")
            ),
        ),
        "azure" => ((30..=730).contains(&days), "Log Analytics keeps logs for 30d to 730d".to_string()),
        _ => ((1..=3650).contains(&days), "Cloud Logging keeps logs for 1d to 3650d".to_string()),
    };
    if whole && offered {
        return;
    }
    acc.push(
        diagnostic(
            "OBS706",
            format!("{} does not keep logs for {}", view.cloud, duration_text(ms)),
            ctx.path,
            value.range,
        )
        .label("not a retention the log store offers")
        .note(format!("in environment `{}`", view.env.name))
        .help(help),
    );
}
