//! Checks Terraform against the pinned providers' schemas: resource and data source types,
//! argument and nested block names, required arguments and blocks, attribute-vs-block, blocks that
//! may appear once, computed-only attributes, and that `versions.tf` admits the schema's version.
//!
//! The schemas are the compact files `scripts/gen-provider-schemas` derives from the CDKTF
//! provider packages (see `stdlib/provider-schemas/README.md`). HCL is parsed with hcl-rs, which
//! keeps attributes and blocks apart, unlike a JSON view of the file.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;

use hcl::{Body, Structure};
use serde_json::Value;

/// Arguments every resource and data source takes besides its schema's.
const META_ARGUMENTS: &[&str] = &["count", "for_each", "depends_on", "provider"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

pub struct ProviderSchema {
    pub name: String,
    pub version: String,
    pub package: String,
    resources: serde_json::Map<String, Value>,
    data_sources: serde_json::Map<String, Value>,
    provider_config: Value,
}

/// The schemas of the providers the emitters use, keyed by their Terraform local name.
pub struct Schemas {
    pub providers: BTreeMap<String, ProviderSchema>,
}

impl Schemas {
    pub fn load(dir: &Path) -> Schemas {
        let mut providers = BTreeMap::new();
        for name in ["aws", "azurerm", "google", "kubernetes", "random"] {
            let path = dir.join(format!("{name}.json.gz"));
            let mut text = String::new();
            flate2::read::GzDecoder::new(
                std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            )
            .read_to_string(&mut text)
            .unwrap();
            let mut doc: Value = serde_json::from_str(&text).unwrap();
            let take = |doc: &mut Value, key: &str| match doc[key].take() {
                Value::Object(map) => map,
                _ => serde_json::Map::new(),
            };
            providers.insert(
                name.to_string(),
                ProviderSchema {
                    name: name.to_string(),
                    version: doc["provider_version"].as_str().unwrap().to_string(),
                    package: doc["package"].as_str().unwrap().to_string(),
                    resources: take(&mut doc, "resource"),
                    data_sources: take(&mut doc, "data"),
                    provider_config: doc["provider_config"].take(),
                },
            );
        }
        Schemas { providers }
    }

    /// The provider a resource type belongs to: the prefix before the first `_`.
    fn provider_of(&self, resource_type: &str) -> Option<&ProviderSchema> {
        self.providers.get(resource_type.split('_').next()?)
    }

    /// Every problem of one `.tf` file, each as `file: address: message`.
    pub fn check_file(&self, file: &str, text: &str) -> Vec<String> {
        let body = match hcl::parse(text) {
            Ok(body) => body,
            Err(error) => return vec![format!("{file}: does not parse: {error}")],
        };
        let mut problems = Vec::new();
        for structure in body.iter() {
            let Structure::Block(block) = structure else { continue };
            let labels: Vec<&str> = block.labels.iter().map(|it| it.as_str()).collect();
            let mut report = |address: String, message: String| problems.push(format!("{file}: {address}: {message}"));
            match (block.identifier.as_str(), labels.as_slice()) {
                ("resource" | "data", [resource_type, name]) => {
                    let is_data = block.identifier.as_str() == "data";
                    let address = format!("{}{resource_type}.{name}", if is_data { "data." } else { "" });
                    let Some(provider) = self.provider_of(resource_type) else {
                        report(address, format!("no provider schema for `{resource_type}`"));
                        continue;
                    };
                    let types = if is_data { &provider.data_sources } else { &provider.resources };
                    match types.get(*resource_type) {
                        Some(schema) => check_body(&block.body, schema, true, &address, &mut report),
                        None => report(
                            address,
                            format!(
                                "{} {} has no {} `{resource_type}`{}",
                                provider.name,
                                provider.version,
                                if is_data { "data source" } else { "resource type" },
                                nearest(resource_type, types.keys().map(String::as_str))
                            ),
                        ),
                    }
                }
                ("provider", [name]) => match self.providers.get(*name) {
                    Some(provider) => {
                        let address = format!("provider.{name}");
                        check_provider_body(&block.body, &provider.provider_config, &address, &mut report)
                    }
                    None => report(format!("provider.{name}"), "no provider schema".into()),
                },
                ("terraform", []) => self.check_versions(&block.body, &mut report),
                ("variable" | "output" | "module" | "check" | "import", [_]) | ("locals" | "moved" | "import", []) => {}
                (other, labels) => report(format!("{other} {labels:?}"), "not a Terraform top-level block".into()),
            }
        }
        problems
    }

    /// `required_providers` pins a version range that admits the version the schema came from.
    fn check_versions(&self, body: &Body, report: &mut impl FnMut(String, String)) {
        for structure in body.iter() {
            let Structure::Block(block) = structure else { continue };
            if block.identifier.as_str() != "required_providers" {
                continue;
            }
            for structure in block.body.iter() {
                let Structure::Attribute(attr) = structure else { continue };
                let name = attr.key.as_str();
                let address = format!("required_providers.{name}");
                let Some(provider) = self.providers.get(name) else {
                    report(address, "no provider schema".into());
                    continue;
                };
                let constraint = match &attr.expr {
                    hcl::Expression::Object(object) => object.iter().find_map(|(key, value)| match (key, value) {
                        (hcl::ObjectKey::Identifier(key), hcl::Expression::String(version))
                            if key.as_str() == "version" =>
                        {
                            Some(version.as_str())
                        }
                        _ => None,
                    }),
                    _ => None,
                };
                let Some(constraint) = constraint else {
                    report(address, "no version constraint".into());
                    continue;
                };
                if !admits(constraint, &provider.version) {
                    report(
                        address,
                        format!(
                            "`{constraint}` does not admit {}, the version of the schema ({})",
                            provider.version, provider.package
                        ),
                    );
                }
            }
        }
    }
}

fn check_provider_body(body: &Body, schema: &Value, address: &str, report: &mut impl FnMut(String, String)) {
    check_body_with(body, schema, &["alias"], &[], address, report)
}

fn check_body(body: &Body, schema: &Value, top: bool, address: &str, report: &mut impl FnMut(String, String)) {
    if top {
        check_body_with(body, schema, META_ARGUMENTS, META_BLOCKS, address, report)
    } else {
        check_body_with(body, schema, &[], &[], address, report)
    }
}

/// One body against one schema node: `{name: "r"|"o"|"oc"|"c", name: {nested block, "_": "r"/"1"/"*"}}`.
fn check_body_with(
    body: &Body,
    schema: &Value,
    meta_arguments: &[&str],
    meta_blocks: &[&str],
    address: &str,
    report: &mut impl FnMut(String, String),
) {
    let Some(node) = schema.as_object() else { return };
    let names = || node.keys().map(String::as_str).filter(|it| *it != "_");
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => {
                let name = attr.key.as_str();
                if meta_arguments.contains(&name) {
                    continue;
                }
                *seen.entry(name.to_string()).or_default() += 1;
                match node.get(name) {
                    Some(Value::String(flags)) if flags == "c" => {
                        report(format!("{address}.{name}"), "is computed by the provider and cannot be set".into())
                    }
                    Some(Value::String(_)) => {}
                    Some(_) => report(format!("{address}.{name}"), "is a block, written as an argument".into()),
                    None => report(
                        format!("{address}.{name}"),
                        format!("is not an argument of this block{}", nearest(name, names())),
                    ),
                }
            }
            Structure::Block(block) => {
                let mut name = block.identifier.as_str();
                let mut content = &block.body;
                if meta_blocks.contains(&name) {
                    continue;
                }
                if name == "dynamic" {
                    // `dynamic "x" { for_each = … content { … } }` stands for blocks named x.
                    let Some(label) = block.labels.first() else {
                        report(format!("{address}.dynamic"), "has no label".into());
                        continue;
                    };
                    name = label.as_str();
                    match block.body.iter().find_map(|it| match it {
                        Structure::Block(inner) if inner.identifier.as_str() == "content" => Some(&inner.body),
                        _ => None,
                    }) {
                        Some(inner) => content = inner,
                        None => {
                            report(format!("{address}.dynamic.{name}"), "has no content block".into());
                            continue;
                        }
                    }
                }
                *seen.entry(name.to_string()).or_default() += 1;
                match node.get(name) {
                    Some(child @ Value::Object(fields)) => {
                        // `*`: a block whose contents the schema data does not model.
                        if !fields.get("_").and_then(Value::as_str).unwrap_or("").contains('*') {
                            check_body(content, child, false, &format!("{address}.{name}"), report)
                        }
                    }
                    Some(_) => report(format!("{address}.{name}"), "is an argument, written as a block".into()),
                    None => report(
                        format!("{address}.{name}"),
                        format!("is not a block of this block{}", nearest(name, names())),
                    ),
                }
            }
        }
    }
    for (name, value) in node.iter().filter(|(name, _)| *name != "_") {
        let (required, once) = match value {
            Value::String(flags) => (flags.starts_with('r'), false),
            Value::Object(child) => {
                let mark = child.get("_").and_then(Value::as_str).unwrap_or("");
                (mark.contains('r'), mark.contains('1'))
            }
            _ => (false, false),
        };
        let count = seen.get(name).copied().unwrap_or(0);
        if required && count == 0 {
            report(format!("{address}.{name}"), "is required and missing".into());
        }
        if once && count > 1 {
            report(format!("{address}.{name}"), format!("may appear once, appears {count} times"));
        }
    }
}

/// ` (nearest: a, b, c)` for the three closest names by edit distance, or nothing.
fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let mut ranked: Vec<(usize, &str)> = candidates.map(|it| (edit_distance(name, it), it)).collect();
    ranked.sort();
    let close: Vec<&str> = ranked.iter().take(3).filter(|(d, _)| *d <= name.len().max(3)).map(|(_, it)| *it).collect();
    if close.is_empty() {
        String::new()
    } else {
        format!(" (nearest: {})", close.join(", "))
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Whether a Terraform version constraint (`~> 5.80`, `>= 1.2, < 2`, `= 3.7.2`) admits `version`.
pub fn admits(constraint: &str, version: &str) -> bool {
    let parse = |text: &str| -> Vec<u64> { text.trim().split('.').map(|it| it.parse().unwrap_or(0)).collect() };
    let have = parse(version);
    let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
    let cmp = |a: &[u64], b: &[u64]| {
        (0..3).map(|i| at(a, i).cmp(&at(b, i))).find(|it| it.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
    };
    constraint.split(',').all(|part| {
        let part = part.trim();
        let (op, rest) = ["~>", ">=", "<=", "!=", ">", "<", "="]
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|rest| (*op, rest)))
            .unwrap_or(("=", part));
        let want = parse(rest);
        use std::cmp::Ordering::*;
        match op {
            "~>" => {
                // `~> 5.80` admits 5.80 and above below 6; `~> 5.80.1` admits 5.80.x from 5.80.1.
                let fixed = want.len().saturating_sub(1).max(1);
                cmp(&have, &want) != Less && (0..fixed).all(|i| at(&have, i) == at(&want, i))
            }
            ">=" => cmp(&have, &want) != Less,
            "<=" => cmp(&have, &want) != Greater,
            ">" => cmp(&have, &want) == Greater,
            "<" => cmp(&have, &want) == Less,
            "!=" => cmp(&have, &want) != Equal,
            _ => cmp(&have, &want) == Equal,
        }
    })
}
