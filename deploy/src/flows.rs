//! Who may reach whom (LANGUAGE.md §10.2). The references a plan already makes are its flows:
//! a workload, function or VM whose `vars` or `depends_on` name a database, cache or service
//! may reach it on its port, and a gateway may reach the services it routes to. A network's
//! `allow` rules add flows from ranges, the internet or other blocks, and its `deny` rules
//! block ranges first. The emitters turn exactly these into security-group, NSG and firewall
//! rules and NetworkPolicies; anything else is denied.

use plan_ir::exists_in;
use plan_ir::{Block, Value, ValueKind};

/// Where traffic comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// A block of the plan: its kind and name.
    Block {
        kind: String,
        name: String,
    },
    /// An IPv4 range in CIDR notation.
    Cidr(String),
    Internet,
}

/// Ports `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ports {
    pub from: u16,
    pub to: u16,
}

/// One allowed flow into a block.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Flow {
    pub from: Source,
    /// The block reached, and its kind.
    pub to: String,
    pub to_kind: String,
    /// `None`: the port the target serves on (a database's engine port, a service's `port`).
    pub ports: Option<Vec<Ports>>,
    pub protocol: String,
    /// The `allow` rule that opened it; `None` for a flow a reference implies.
    pub rule: Option<String>,
}

/// A `deny` rule of a network.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Deny {
    pub name: String,
    pub network: String,
    pub from: Vec<String>,
    /// Empty: every port.
    pub ports: Vec<Ports>,
    pub protocol: String,
}

const SOURCES: &[&str] = &["service", "worker", "job", "function", "vm", "container"];
const TARGETS: &[&str] = &["database", "cache", "service", "container"];

/// Ports written as `[22, 8000..8100]`; out-of-range entries are left out (CAT508 reports them).
pub fn ports(value: Option<&Value>) -> Vec<Ports> {
    let Some(ValueKind::List(items)) = value.map(|it| &it.kind) else { return Vec::new() };
    let port = |value: &Value| value.as_int().and_then(|n| u16::try_from(n).ok()).filter(|n| *n > 0);
    items
        .iter()
        .filter_map(|item| match &item.kind {
            ValueKind::Range(low, high) => Some(Ports { from: port(low)?, to: port(high)? }),
            _ => port(item).map(|n| Ports { from: n, to: n }),
        })
        .collect()
}

/// Every flow into a block of `blocks` in `env`: those references imply, then those the
/// networks' `allow` rules open, each once, in the order the plan writes them.
pub fn flows<'a>(blocks: impl Iterator<Item = &'a Block> + Clone, env: &str) -> Vec<Flow> {
    // Name to kind of every block in the environment, once: plans have thousands of blocks.
    let mut kinds: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for block in blocks.clone() {
        if let Some(name) = &block.name {
            if exists_in(&block.env_attrs(env), env) {
                kinds.entry(name.as_str()).or_insert(block.kind.as_str());
            }
        }
    }
    let kind_of = |name: &str| kinds.get(name).map(|it| it.to_string());
    let mut flows: Vec<Flow> = Vec::new();
    let mut seen: std::collections::HashSet<Flow> = std::collections::HashSet::new();
    let mut push = |flow: Flow, flows: &mut Vec<Flow>| {
        if seen.insert(flow.clone()) {
            flows.push(flow);
        }
    };
    for block in blocks.clone() {
        let attrs = block.env_attrs(env);
        let Some(name) = &block.name else { continue };
        if !exists_in(&attrs, env) {
            continue;
        }
        let mut targets: Vec<&str> = Vec::new();
        if SOURCES.contains(&block.kind.as_str()) {
            for attr in ["vars", "depends_on"] {
                if let Some(value) = attrs.get(attr) {
                    value.for_each_ref(&mut |reference| targets.push(&reference.name));
                }
            }
        } else if block.kind == "gateway" {
            if let Some(value) = attrs.get("routes") {
                value.for_each_ref(&mut |reference| targets.push(&reference.name));
            }
        }
        for target in targets {
            let Some(to_kind) = kind_of(target) else { continue };
            if !TARGETS.contains(&to_kind.as_str()) || target == name {
                continue;
            }
            let from = Source::Block { kind: block.kind.clone(), name: name.clone() };
            let flow = Flow { from, to: target.to_string(), to_kind, ports: None, protocol: "tcp".into(), rule: None };
            push(flow, &mut flows);
        }
    }
    for network in blocks.clone().filter(|it| it.kind == "network") {
        if !exists_in(&network.env_attrs(env), env) {
            continue;
        }
        for rule in network.children.iter().filter(|it| it.kind == "allow") {
            let attrs = rule.env_attrs(env);
            let Some(ValueKind::Ref(to)) = attrs.get("to").map(|it| &it.kind) else { continue };
            let Some(to_kind) = kind_of(&to.name) else { continue };
            let protocol = attrs.get("protocol").and_then(Value::as_str).unwrap_or("tcp").to_string();
            let Some(ValueKind::List(sources)) = attrs.get("from").map(|it| &it.kind) else { continue };
            for source in sources {
                let from = match &source.kind {
                    ValueKind::Enum(_) => Source::Internet,
                    ValueKind::String(cidr) => Source::Cidr(cidr.clone()),
                    ValueKind::Ref(reference) => match kind_of(&reference.name) {
                        Some(kind) => Source::Block { kind, name: reference.name.clone() },
                        None => continue,
                    },
                    _ => continue,
                };
                let flow = Flow {
                    from,
                    to: to.name.clone(),
                    to_kind: to_kind.clone(),
                    ports: Some(ports(attrs.get("ports"))),
                    protocol: protocol.clone(),
                    rule: rule.name.clone(),
                };
                push(flow, &mut flows);
            }
        }
    }
    flows
}

/// The `deny` rules of every network in `env`.
pub fn denies<'a>(blocks: impl Iterator<Item = &'a Block>, env: &str) -> Vec<Deny> {
    let mut found = Vec::new();
    for network in blocks.filter(|it| it.kind == "network") {
        if !exists_in(&network.env_attrs(env), env) {
            continue;
        }
        for rule in network.children.iter().filter(|it| it.kind == "deny") {
            let attrs = rule.env_attrs(env);
            let from = match attrs.get("from").map(|it| &it.kind) {
                Some(ValueKind::List(items)) => items.iter().filter_map(|it| it.as_str().map(String::from)).collect(),
                _ => Vec::new(),
            };
            found.push(Deny {
                name: rule.name.clone().unwrap_or_default(),
                network: network.name.clone().unwrap_or_default(),
                from,
                ports: ports(attrs.get("ports")),
                protocol: attrs.get("protocol").and_then(Value::as_str).unwrap_or("all").to_string(),
            });
        }
    }
    found
}
