//! What a `dns` zone holds in one environment (LANGUAGE.md §10.6): its written records, and a
//! record for every gateway or CDN whose `host` is in the zone (public zones only), unless a
//! written record has that name already.

use plan_ir::{Block, EnvAttrs, Value, ValueKind};

/// One record of a zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The Terraform-facing key: the record block's name, or the target's for a host record.
    pub key: String,
    /// The name inside the zone: `www`, or `@` for the apex.
    pub label: String,
    pub kind: String,
    pub target: Target,
    /// Seconds.
    pub ttl: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Values(Vec<String>),
    /// A gateway or CDN of the plan: (kind, name).
    Block(String, String),
}

/// The label of `host` inside `zone`: `@` for the zone itself, `api` for `api.shop.example`,
/// `None` when the host is outside the zone.
pub fn label_in(host: &str, zone: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let zone = zone.trim_end_matches('.').to_ascii_lowercase();
    if host == zone {
        return Some("@".into());
    }
    host.strip_suffix(&format!(".{zone}")).filter(|it| !it.is_empty() && !it.starts_with('*')).map(String::from)
}

/// The records of `zone` in `env`. `blocks` are the plan's blocks, for the hosts in the zone;
/// `exists` says whether a block exists in the environment.
pub fn records<'a>(
    zone: &Block,
    attrs: &EnvAttrs<'_>,
    env: &str,
    blocks: impl Iterator<Item = &'a Block>,
    exists: impl Fn(&Block) -> bool,
) -> Vec<Record> {
    let zone_name = attrs.get("zone").and_then(Value::as_str).unwrap_or_default();
    let private = attrs.get("private").and_then(Value::as_bool).unwrap_or(false);
    let blocks: Vec<&Block> = blocks.collect();
    let mut out: Vec<Record> = Vec::new();
    for record in zone.children.iter().filter(|it| it.kind == "record") {
        let Some(key) = record.name.clone() else { continue };
        let own = record.env_attrs(env);
        let label = own.get("name").and_then(Value::as_str).map(String::from).unwrap_or_else(|| key.clone());
        let ttl = match own.get("ttl").map(|it| &it.kind) {
            Some(ValueKind::Duration(ms)) => ms / 1000,
            _ => super::default_duration_ms("record", "ttl").unwrap_or(300_000) / 1000,
        };
        let target = match own.get("to").map(|it| &it.kind) {
            Some(ValueKind::Ref(reference)) => {
                let kind = blocks.iter().find(|it| it.name.as_deref() == Some(reference.name.as_str()));
                Target::Block(kind.map(|it| it.kind.clone()).unwrap_or_default(), reference.name.clone())
            }
            _ => Target::Values(match own.get("value").map(|it| &it.kind) {
                Some(ValueKind::List(items)) => items.iter().filter_map(Value::as_str).map(String::from).collect(),
                _ => Vec::new(),
            }),
        };
        // With `to`, the type follows from the target: an address for a gateway, a name for a CDN.
        let kind = match &target {
            Target::Block(kind, _) if kind == "cdn" => "CNAME",
            Target::Block(..) => "A",
            Target::Values(_) => {
                own.get("type").and_then(Value::as_str).or_else(|| super::default_text("record", "type")).unwrap_or("A")
            }
        };
        out.push(Record { key, label, kind: kind.to_string(), target, ttl });
    }
    if !private {
        for block in blocks.iter().filter(|it| matches!(it.kind.as_str(), "gateway" | "cdn")) {
            let (Some(name), true) = (&block.name, exists(block)) else { continue };
            let Some(host) = block.env_attrs(env).get("host").and_then(Value::as_str).map(String::from) else {
                continue;
            };
            let Some(label) = label_in(&host, zone_name) else { continue };
            // A written address or alias record for the name wins; a TXT or MX beside it does not.
            if out.iter().any(|it| it.label == label && matches!(it.kind.as_str(), "A" | "AAAA" | "CNAME")) {
                continue;
            }
            out.push(Record {
                key: name.clone(),
                label,
                kind: if block.kind == "cdn" { "CNAME".into() } else { "A".into() },
                target: Target::Block(block.kind.clone(), name.clone()),
                ttl: 300,
            });
        }
    }
    out
}
