//! OBS701 `unknown-metric`: an alert on a metric the watched block's kind does not have, or
//! does not have on its cloud.

use super::*;
use crate::deploy::monitoring::{evaluation, MetricProblem};

pub static RULE: Rule = Rule { code: "OBS701", check: Check::PerEnv(&["alert"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(metric) = view.attrs.get("metric") else { return };
    let Some(name) = metric.as_str() else { return };
    let Some((target, cloud)) = watched(ctx, view.attrs, view.env) else { return };
    let target_attrs = target.env_attrs(&view.env.name);
    let problem = match evaluation(target, &target_attrs, &cloud, name, true) {
        Ok(_) => return,
        Err(problem) => problem,
    };
    let listed = |names: &[String]| names.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ");
    let what = describe(target);
    let diagnostic = match problem {
        MetricProblem::Unknown(names) => {
            let mut diagnostic = diagnostic("OBS701", format!("{what} has no metric `{name}`"), ctx.path, metric.range)
                .label(format!("not a metric of a `{}`", target.kind));
            diagnostic = match crate::diagnostics::did_you_mean(name, names.iter().map(String::as_str)) {
                Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")).replace_with(
                    format!("Change to `{suggestion}`"),
                    crate::diagnostics::Applicability::Safe,
                    suggestion,
                ),
                None if names.is_empty() => diagnostic.help(format!("a `{}` has no metrics to alert on", target.kind)),
                None => diagnostic.help(format!("the metrics of a `{}` are {}", target.kind, listed(&names))),
            };
            diagnostic
        }
        MetricProblem::NotOnCloud(names) => {
            diagnostic("OBS701", format!("{what} has no metric `{name}` on {cloud}"), ctx.path, metric.range)
                .label(format!("{cloud} does not report it"))
                .help(if names.is_empty() {
                    format!("a `{}` on {cloud} has no metrics to alert on yet", target.kind)
                } else {
                    format!("the metrics of a `{}` on {cloud} are {}", target.kind, listed(&names))
                })
        }
        MetricProblem::EngineNotBuilt(engine) => diagnostic(
            "OBS701",
            format!("alerts on `{name}` of a {engine} {} on {cloud} are not built yet", target.kind),
            ctx.path,
            metric.range,
        )
        .label(format!("{engine} reports other metrics"))
        .help("watch it with a raw `terraform` resource for now"),
        MetricProblem::NeedsPrometheus => return,
    };
    acc.push(diagnostic.note(format!("in environment `{}`", view.env.name)));
}
