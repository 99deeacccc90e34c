//! SEC114 `allow-overlaps-deny`: a network `allow` rule whose sources overlap a `deny` rule of
//! the same network: the deny wins for the overlapping addresses, which the allow suggests
//! are wanted.

use super::*;
use crate::catalog::formats::{mask, parse_cidr4};
use crate::ir::{Value, ValueKind};

pub static RULE: Rule = Rule { code: "SEC114", check: Check::PerEnv(&["network"], check) };

fn overlaps(a: &str, b: &str) -> bool {
    let (Some((a, a_prefix)), Some((b, b_prefix))) = (parse_cidr4(a), parse_cidr4(b)) else { return false };
    let common = mask(a_prefix.min(b_prefix));
    u32::from(a) & common == u32::from(b) & common
}

fn ports_overlap(a: &[crate::deploy::Ports], b: &[crate::deploy::Ports]) -> bool {
    a.is_empty() || b.is_empty() || a.iter().any(|x| b.iter().any(|y| x.from <= y.to && y.from <= x.to))
}

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let denies = crate::deploy::denies(std::iter::once(view.block), &view.env.name);
    if denies.is_empty() {
        return;
    }
    for rule in view.block.children.iter().filter(|it| it.kind == "allow") {
        let attrs = rule.env_attrs(&view.env.name);
        let Some(ValueKind::List(sources)) = attrs.get("from").map(|it| &it.kind) else { continue };
        let ports = crate::deploy::ports(attrs.get("ports"));
        let protocol = attrs.get("protocol").and_then(Value::as_str).unwrap_or("tcp");
        for source in sources {
            let cidr = match &source.kind {
                ValueKind::String(cidr) => cidr.as_str(),
                ValueKind::Enum(_) => "0.0.0.0/0",
                _ => continue,
            };
            let Some(deny) = denies.iter().find(|deny| {
                (deny.protocol == "all" || protocol == "all" || deny.protocol == protocol)
                    && ports_overlap(&deny.ports, &ports)
                    && deny.from.iter().any(|it| overlaps(it, cidr))
            }) else {
                continue;
            };
            let name = rule.name.as_deref().unwrap_or_default();
            acc.push(
                diagnostic(
                    "SEC114",
                    format!("rule `{name}` allows addresses that rule `{}` denies", deny.name),
                    ctx.path,
                    source.range,
                )
                .label("overlaps a deny rule")
                .note("deny rules are applied first, so this part of the allow never takes effect")
                .help(format!("narrow the allowed range, or remove it from `{}`", deny.name)),
            );
        }
    }
}
