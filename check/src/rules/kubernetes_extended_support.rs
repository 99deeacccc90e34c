//! CAT505 `kubernetes-extended-support`: a Kubernetes version past standard support.
//!
//! The cost model prices such a cluster's control plane at the extended-support rate.

use super::*;
use crate::catalog::pricing::PriceBook;
use crate::catalog::versions::{KubernetesSupport, Versions, CATALOG_DATE};

pub static RULE: Rule = Rule { code: "CAT505", check: Check::PerEnv(&["cluster"], check) };

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(version) = get_str(view.attrs, "version") else { return };
    let KubernetesSupport::Extended { standard_ended, until } =
        Versions::builtin().kubernetes_support(&view.cloud, version)
    else {
        return;
    };
    let range = value_range(view.attrs, "version").unwrap_or_else(|| name_range(view.block));
    let mut found = diagnostic(
        "CAT505",
        format!("Kubernetes {version} is past standard support on {}", view.cloud),
        ctx.path,
        range,
    )
    .label(format!("standard support ended {standard_ended}; extended support ends {until}"))
    .note(format!("judged on the catalog's date, {CATALOG_DATE}"));
    if let Some(prices) = PriceBook::builtin().cloud(&view.cloud) {
        if let (Some(standard), Some(extended)) = (
            prices.price(&["kubernetes", "control_plane_hourly"]),
            prices.price(&["kubernetes", "control_plane_extended_hourly"]),
        ) {
            found = found.note(format!(
                "the control plane then costs {}/mo instead of {}/mo; the estimate includes it",
                extended.monthly_from_hourly(),
                standard.monthly_from_hourly()
            ));
        }
    }
    let newest = Versions::builtin()
        .kubernetes_versions(&view.cloud)
        .into_iter()
        .filter(|it| {
            matches!(Versions::builtin().kubernetes_support(&view.cloud, it), KubernetesSupport::Standard { .. })
        })
        .next_back();
    found = match newest {
        Some(newest) => found.help(format!("upgrade to a version in standard support, e.g. `version = \"{newest}\"`")),
        None => found.help("upgrade to a version in standard support"),
    };
    acc.push(found);
}
