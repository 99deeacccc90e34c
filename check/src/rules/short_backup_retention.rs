//! REL202 `short-backup-retention`: a production database keeping backups for under 7 days.

use super::*;

pub static RULE: Rule = Rule { code: "REL202", check: Check::PerEnv(&["database"], check) };

const SEVEN_DAYS_MS: u64 = 7 * 24 * 3600 * 1000;

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if !view.env.production {
        return;
    }
    let Some(retention) = field(view.attrs, "backup", "retention") else { return };
    let Some(ms) = duration_ms(retention) else { return };
    if ms >= SEVEN_DAYS_MS {
        return;
    }
    acc.push(
        diagnostic(
            "REL202",
            format!("{} keeps backups for less than 7 days in production `{}`", describe(view.block), view.env.name),
            ctx.path,
            retention.range,
        )
        .label("shorter than a week")
        .note("data corruption is often noticed days later; a short retention leaves nothing clean to restore")
        .help("keep backups for at least `7d`; `30d` is common for production")
        .replace_with("Keep backups for 7 days", crate::diagnostics::Applicability::Unsafe, "7d"),
    );
}
