//! CAT502 `version-not-offered`: a version the cloud does not offer.

use super::*;
use crate::catalog::versions::{KubernetesSupport, Versions};

pub static RULE: Rule = Rule { code: "CAT502", check: Check::PerEnv(&["database", "cache", "cluster"], check) };

/// Whether `version` is one of `offered`, or a minor version of one (`16.4` of `16`).
pub fn version_matches(version: &str, offered: &[String]) -> bool {
    offered.iter().any(|it| it == version || version.starts_with(&format!("{it}.")))
}

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(version) = get_str(view.attrs, "version") else { return };
    let range = value_range(view.attrs, "version").unwrap_or_else(|| name_range(view.block));
    let versions = Versions::builtin();
    let (what, offered) = match view.block.kind.as_str() {
        "cluster" => {
            let listed = versions.kubernetes_versions(&view.cloud);
            if listed.is_empty() {
                return;
            }
            if let KubernetesSupport::Ended { on } = versions.kubernetes_support(&view.cloud, version) {
                acc.push(
                    diagnostic(
                        "CAT502",
                        format!("Kubernetes {version} is no longer offered on {}", view.cloud),
                        ctx.path,
                        range,
                    )
                    .label(format!("support ended on {on}"))
                    .help(format!("upgrade to a supported version: {}", supported(&listed, versions, &view.cloud))),
                );
                return;
            }
            ("Kubernetes", listed)
        }
        "database" => {
            let engine = get_str(view.attrs, "engine").unwrap_or("");
            let Some(offered) = versions.database_versions(&view.cloud, engine) else { return };
            ("engine", offered)
        }
        _ => {
            let engine = get_str(view.attrs, "engine").unwrap_or("redis");
            let Some(offered) = versions.cache_versions(&view.cloud, engine) else { return };
            ("engine", offered)
        }
    };
    if offered.is_empty() || version_matches(version, &offered) {
        return;
    }
    let subject = if what == "Kubernetes" {
        "Kubernetes".to_string()
    } else {
        get_str(view.attrs, "engine").unwrap_or("").to_string()
    };
    acc.push(
        diagnostic("CAT502", format!("{subject} {version} is not offered on {}", view.cloud), ctx.path, range)
            .label("version not offered")
            .note(format!(
                "{} offers {}",
                view.cloud,
                offered.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ")
            ))
            .help(format!(
                "use one of the offered versions, e.g. `version = \"{}\"`",
                offered.last().cloned().unwrap_or_default()
            )),
    );
}

fn supported(listed: &[String], versions: &Versions, cloud: &str) -> String {
    listed
        .iter()
        .filter(|it| {
            !matches!(
                versions.kubernetes_support(cloud, it),
                KubernetesSupport::Ended { .. } | KubernetesSupport::Unknown
            )
        })
        .map(|it| format!("`{it}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
