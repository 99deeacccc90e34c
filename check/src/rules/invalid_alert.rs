//! OBS702 `invalid-alert`: an alert whose condition cannot be built as written: no threshold
//! or two, a threshold in another unit than its metric, a `for` that is not whole minutes or
//! that the cloud cannot evaluate over.

use super::*;
use crate::deploy::monitoring::{evaluation, threshold, Evaluation};

pub static RULE: Rule = Rule { code: "OBS702", check: Check::PerEnv(&["alert"], check) };

/// Azure Monitor's metric alert windows, in minutes.
const AZURE_WINDOWS: [u64; 8] = [1, 5, 15, 30, 60, 360, 720, 1440];

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let mut report = |range, message: String, label: &str, help: String| {
        acc.push(
            diagnostic("OBS702", message, ctx.path, range)
                .label(label.to_string())
                .note(format!("in environment `{}`", view.env.name))
                .help(help),
        );
    };
    let what = describe(view.block);
    let (above, below) = (view.attrs.get("above"), view.attrs.get("below"));
    let bound = match (above, below) {
        (Some(_), Some(below)) => {
            report(
                below.range,
                format!("{what} sets both `above` and `below`"),
                "a second threshold",
                "write two alerts, one per threshold".into(),
            );
            None
        }
        (None, None) => {
            report(
                name_range(view.block),
                format!("{what} has no threshold"),
                "neither `above` nor `below`",
                "say when it fires, e.g. `above = 80%`".into(),
            );
            None
        }
        (Some(value), None) | (None, Some(value)) => Some(value),
    };
    let Some((target, cloud)) = watched(ctx, view.attrs, view.env) else { return };
    let metric = view.attrs.get("metric").and_then(|it| it.as_str()).unwrap_or_default();
    let found = evaluation(target, &target.env_attrs(&view.env.name), &cloud, metric, true).ok();
    if let (Some(value), Some((schema, _))) = (bound, &found) {
        if !matches!(value.kind, crate::ir::ValueKind::Error) && threshold(value, schema.unit).is_none() {
            report(
                value.range,
                format!("`{metric}` is measured as {}, and this threshold is not", schema.unit.describe()),
                "another unit",
                format!("write the threshold as {}", schema.unit.describe()),
            );
        }
    }
    let Some(for_value) = view.attrs.get("for") else { return };
    let Some(ms) = duration_ms(for_value) else { return };
    if ms == 0 || ms % 60_000 != 0 {
        report(
            for_value.range,
            format!("`for` must be whole minutes, and {what} waits {}", duration_text(ms)),
            "not whole minutes",
            "metrics are evaluated once a minute: write e.g. `for = 5min`".into(),
        );
        return;
    }
    let minutes = ms / 60_000;
    let cloud_alert = matches!(found, Some((_, Evaluation::Cloud(_))));
    if cloud_alert && cloud == "azure" && !AZURE_WINDOWS.contains(&minutes) {
        report(
            for_value.range,
            format!("Azure Monitor cannot evaluate a metric alert over {minutes} minutes"),
            "not an Azure window",
            "use 1min, 5min, 15min, 30min, 1h, 6h, 12h or 1d".into(),
        );
    }
    if cloud_alert && cloud == "aws" && minutes > 1440 {
        report(
            for_value.range,
            format!("CloudWatch evaluates an alarm over at most one day, and {what} waits {minutes} minutes"),
            "over a day",
            "use `for = 1d` or less".into(),
        );
    }
}
