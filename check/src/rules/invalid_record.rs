//! CAT511 `invalid-record`: a DNS record no provider would accept: no value and no target, or
//! both; a CNAME with several values or at the zone's apex; an address that is not one; an MX
//! value without its preference; a TTL that is not whole seconds.

use super::*;
use crate::ir::ValueKind;

pub static RULE: Rule = Rule { code: "CAT511", check: Check::Block(&["dns"], check) };

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    for record in block.children.iter().filter(|it| it.kind == "record") {
        let mut report = |range, message: String, label: &str, help: &str| {
            acc.push(
                diagnostic(
                    "CAT511",
                    format!("record `{}`: {message}", record.name.as_deref().unwrap_or("")),
                    ctx.path,
                    range,
                )
                .label(label.to_string())
                .help(help.to_string()),
            );
        };
        let values: Vec<(&str, TextRange)> = match record.attr("value").map(|it| &it.value.kind) {
            Some(ValueKind::List(items)) => items.iter().filter_map(|it| Some((it.as_str()?, it.range))).collect(),
            _ => Vec::new(),
        };
        let to = record.attr("to");
        let kind = record.attr("type").and_then(|it| it.value.as_str()).unwrap_or("A");
        let label = record.attr("name").and_then(|it| it.value.as_str()).or(record.name.as_deref()).unwrap_or("");
        match (values.is_empty(), to) {
            (true, None) => report(
                name_range(record),
                "it has no `value` and no `to`".into(),
                "nothing to answer with",
                "list its values, e.g. `value = [\"203.0.113.10\"]`, or point it `to` a gateway or CDN",
            ),
            (false, Some(to)) => report(
                to.value.range,
                "it has both `value` and `to`".into(),
                "a second answer",
                "keep one: `to` follows the target's address",
            ),
            _ => {}
        }
        if to.is_some() {
            continue;
        }
        if kind == "CNAME" && values.len() > 1 {
            report(
                values[1].1,
                "a CNAME names exactly one host".into(),
                "a second name",
                "keep one value, or use A records",
            );
        }
        if kind == "CNAME" && label == "@" {
            report(
                name_range(record),
                "a CNAME cannot sit at the zone's apex, beside its SOA and NS records".into(),
                "at the apex",
                "use A records, or `to` a gateway or CDN (an alias on AWS)",
            );
        }
        for (value, range) in &values {
            let ok = match kind {
                "A" => value.parse::<std::net::Ipv4Addr>().is_ok(),
                "AAAA" => value.parse::<std::net::Ipv6Addr>().is_ok(),
                "MX" => value
                    .split_once(' ')
                    .is_some_and(|(preference, host)| preference.parse::<u16>().is_ok() && !host.trim().is_empty()),
                _ => true,
            };
            if !ok {
                let (label, help) = match kind {
                    "A" => ("not an IPv4 address", "write an address such as `203.0.113.10`"),
                    "AAAA" => ("not an IPv6 address", "write an address such as `2001:db8::10`"),
                    _ => ("not `preference host`", "write the preference and the host, e.g. `10 mx1.mail.example`"),
                };
                report(*range, format!("`{value}` is not a valid {kind} value"), label, help);
            }
        }
        if let Some(ttl) = record.attr("ttl") {
            if duration_ms(&ttl.value).is_some_and(|ms| ms % 1000 != 0 || ms == 0) {
                report(
                    ttl.value.range,
                    "a TTL is a whole number of seconds, at least 1".into(),
                    "not whole seconds",
                    "write e.g. `ttl = 5min`",
                );
            }
        }
    }
}
