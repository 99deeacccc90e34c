//! REL213 `impossible-rollout`: an update strategy, autoscaling behaviour or disruption
//! budget that cannot work as written. Kubernetes or Argo Rollouts would reject it at apply
//! time, or accept it and never finish an update.

use super::*;
use crate::deploy::{Amount, Strategy};
use crate::ir::{Value, ValueKind};

pub static RULE: Rule = Rule { code: "REL213", check: Check::PerEnv(&["service", "worker"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let report = |acc: &mut Vec<Diagnostic>, range: TextRange, message: String, label: &str, help: &str| {
        acc.push(
            diagnostic("REL213", message, ctx.path, range)
                .label(label.to_string())
                .note(format!("in environment `{}`", view.env.name))
                .help(help.to_string()),
        );
    };
    let rollout_range = value_range(view.attrs, "rollout").unwrap_or_else(|| name_range(view.block));
    let field_range = |attr: &str, name: &str| field(view.attrs, attr, name).map_or(rollout_range, |it| it.range);
    match crate::deploy::strategy(&view.block.kind, view.attrs) {
        Strategy::Rolling { max_surge, max_unavailable } | Strategy::Canary { max_surge, max_unavailable, .. }
            if max_surge.is_zero() && max_unavailable.is_zero() =>
        {
            report(
                acc,
                field_range("rollout", "max_surge"),
                "`max_surge` and `max_unavailable` are both 0, so an update can never replace a pod".into(),
                "no room to start a new pod or stop an old one",
                "allow one extra pod (`max_surge = 1`) or one fewer (`max_unavailable = 1`)",
            );
        }
        Strategy::Canary { steps, .. } => {
            let range = field_range("rollout", "steps");
            let mut previous = 0.0;
            let mut in_order = true;
            for step in &steps {
                let step = step.get();
                if step <= previous || step > 100.0 {
                    in_order = false;
                    report(
                        acc,
                        range,
                        format!("canary steps must rise from above 0% to 100%, but {step}% follows {previous}%"),
                        "steps out of order",
                        "list rising percentages, e.g. `steps = [10%, 50%, 100%]`",
                    );
                    break;
                }
                previous = step;
            }
            if in_order && previous != 100.0 {
                report(
                    acc,
                    range,
                    format!("canary steps must end at 100%, but the last is {previous}%"),
                    "the last step does not reach 100%",
                    "end the steps with `100%`: Argo Rollouts would otherwise jump from the last step to all pods without a pause",
                );
            }
        }
        Strategy::BlueGreen { .. } => {
            let has_service = view.block.kind == "service"
                && view.attrs.get("port").is_some()
                && view.attrs.get("expose").and_then(Value::as_str) != Some("none");
            if !has_service {
                report(
                    acc,
                    field_range("rollout", "strategy"),
                    format!("{} has no Service for a blue-green rollout to switch", describe(view.block)),
                    "blue_green needs a Service",
                    if view.block.kind == "service" {
                        "give the service a `port` (and `expose` other than `none`), or use `canary` or `rolling`"
                    } else {
                        "a worker has no Service: use `canary` or `rolling`, or make it a `service` with a `port`"
                    },
                );
            }
        }
        _ => {}
    }
    if let Some(Amount::Percent(p)) = field(view.attrs, "rollout", "max_unavailable").and_then(Amount::from_value) {
        if p.get() > 100.0 {
            report(
                acc,
                field_range("rollout", "max_unavailable"),
                format!("`max_unavailable` is {}%, more than all the pods", p.get()),
                "above 100%",
                "use at most `100%`",
            );
        }
    }
    if field(view.attrs, "disruption", "min_available").is_some()
        && field(view.attrs, "disruption", "max_unavailable").is_some()
    {
        report(
            acc,
            field(view.attrs, "disruption", "max_unavailable").map_or(rollout_range, |it| it.range),
            "a disruption budget takes `min_available` or `max_unavailable`, not both".into(),
            "set together with `min_available`",
            "keep one of the two",
        );
    }
    for direction in ["scale_up", "scale_down"] {
        let Some(policy) = field(view.attrs, "autoscale", direction) else { continue };
        let ValueKind::Map(entries) = &policy.kind else { continue };
        let Some(max) = entries.iter().find(|it| it.key == "max") else { continue };
        if Amount::from_value(&max.value).is_some_and(Amount::is_zero) {
            report(
                acc,
                max.value.range,
                format!("`{direction}.max` is 0, so the autoscaler could never {}", direction.replace('_', " ")),
                "a policy of 0",
                "allow at least one pod or 1% per period",
            );
        }
    }
}
