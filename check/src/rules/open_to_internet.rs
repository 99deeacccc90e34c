//! SEC113 `open-to-internet`: a network `allow` rule that opens a database, a cache or SSH
//! (port 22) to the whole internet.

use super::*;
use crate::ir::{Value, ValueKind};

pub static RULE: Rule = Rule { code: "SEC113", check: Check::PerEnv(&["network"], check) };

/// Whether a source is the whole internet: `internet` or a range that covers every address.
fn is_internet(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Enum(name) => name == "internet",
        ValueKind::String(cidr) => cidr.ends_with("/0"),
        _ => false,
    }
}

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    for rule in view.block.children.iter().filter(|it| it.kind == "allow") {
        let attrs = rule.env_attrs(&view.env.name);
        let Some(ValueKind::List(sources)) = attrs.get("from").map(|it| &it.kind) else { continue };
        let Some(internet) = sources.iter().find(|it| is_internet(it)) else { continue };
        let target = match attrs.get("to").map(|it| &it.kind) {
            Some(ValueKind::Ref(reference)) => reference.name.clone(),
            _ => continue,
        };
        let kind = ctx.index.lookup(&target).map(|it| it.kind.clone()).unwrap_or_default();
        let ports = crate::deploy::ports(attrs.get("ports"));
        let protocol = attrs.get("protocol").and_then(Value::as_str).unwrap_or("tcp");
        let ssh = matches!(protocol, "tcp" | "all")
            && (ports.iter().any(|it| it.from <= 22 && 22 <= it.to) || protocol == "all");
        let what = match kind.as_str() {
            "database" | "cache" => format!("{kind} `{target}`"),
            _ if ssh => format!("SSH (port 22) on {kind} `{target}`"),
            _ => continue,
        };
        let name = rule.name.as_deref().unwrap_or_default();
        acc.push(
            diagnostic("SEC113", format!("rule `{name}` opens {what} to the internet"), ctx.path, internet.range)
                .label("any address on the internet")
                .note("databases, caches and SSH are the first things scanners try; a leaked password or an unpatched daemon is then enough")
                .help(match kind.as_str() {
                    "database" | "cache" => "reach it from workloads that reference it, or from a VPN or office range (`from = [\"203.0.113.0/24\"]`)".to_string(),
                    _ => "allow SSH from your office or VPN range only, or use Systems Manager, Azure Bastion or IAP instead of SSH".to_string(),
                }),
        );
    }
}
