//! The schemas of the Terraform providers the generated Terraform pins
//! (`stdlib/provider-schemas/`, see its README), for checking `terraform { }` overrides and raw
//! `terraform NAME { }` resources against what the provider really takes. Each provider's table
//! is decompressed and parsed the first time a check asks for it, so a plan without overrides
//! pays nothing.

use std::io::Read as _;
use std::sync::OnceLock;

use serde_json::{Map, Value};

/// Arguments and blocks every resource takes besides its schema's.
pub const META_ARGUMENTS: &[&str] = &["count", "for_each", "depends_on", "provider"];
pub const META_BLOCKS: &[&str] = &["lifecycle"];

const FILES: &[(&str, &[u8])] = &[
    ("aws", include_bytes!("../../stdlib/provider-schemas/aws.json.gz")),
    ("azurerm", include_bytes!("../../stdlib/provider-schemas/azurerm.json.gz")),
    ("google", include_bytes!("../../stdlib/provider-schemas/google.json.gz")),
    ("kubernetes", include_bytes!("../../stdlib/provider-schemas/kubernetes.json.gz")),
    ("random", include_bytes!("../../stdlib/provider-schemas/random.json.gz")),
];

/// One provider's resources, as its pinned version defines them.
pub struct ProviderSchema {
    pub name: &'static str,
    pub version: String,
    resources: Map<String, Value>,
}

impl ProviderSchema {
    pub fn resource(&self, resource_type: &str) -> Option<&Value> {
        self.resources.get(resource_type)
    }

    pub fn resource_types(&self) -> impl Iterator<Item = &str> {
        self.resources.keys().map(String::as_str)
    }
}

fn load(name: &'static str, bytes: &[u8]) -> Option<ProviderSchema> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).ok()?;
    let mut doc: Value = serde_json::from_str(&text).ok()?;
    let version = doc.get("provider_version")?.as_str()?.to_string();
    let resources = match doc.get_mut("resource").map(Value::take) {
        Some(Value::Object(map)) => map,
        _ => return None,
    };
    Some(ProviderSchema { name, version, resources })
}

/// The provider of that local name (`aws`, `azurerm`, `google`, `kubernetes`, `random`).
pub fn provider(name: &str) -> Option<&'static ProviderSchema> {
    static LOADED: [OnceLock<Option<ProviderSchema>>; 5] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let index = FILES.iter().position(|(it, _)| *it == name)?;
    let (name, bytes) = FILES[index];
    LOADED[index].get_or_init(|| load(name, bytes)).as_ref()
}

/// The provider a resource type belongs to: the prefix before its first `_`.
pub fn provider_of(resource_type: &str) -> Option<&'static ProviderSchema> {
    provider(resource_type.split('_').next()?)
}

/// The local name of each cloud's provider.
pub fn provider_name(cloud: &str) -> &'static str {
    match cloud {
        "azure" => "azurerm",
        "gcp" => "google",
        _ => "aws",
    }
}

/// What a schema node says about one name.
#[derive(Debug, Clone, Copy)]
pub enum Field<'a> {
    /// An argument: whether it must be set, and whether only the provider sets it.
    Argument {
        required: bool,
        computed_only: bool,
    },
    /// A nested block: its own node, whether it must appear, and whether at most once.
    Block {
        node: &'a Value,
        required: bool,
        once: bool,
    },
    Unknown,
}

/// `name` in a resource's or nested block's node.
pub fn field<'a>(node: &'a Value, name: &str) -> Field<'a> {
    if name == "_" {
        return Field::Unknown;
    }
    match node.get(name) {
        Some(Value::String(flags)) => Field::Argument { required: flags == "r", computed_only: flags == "c" },
        Some(block @ Value::Object(_)) => {
            let flags = block.get("_").and_then(Value::as_str).unwrap_or("");
            Field::Block { node: block, required: flags.contains('r'), once: flags.contains('1') }
        }
        _ => Field::Unknown,
    }
}

/// Whether a block's contents are not described (cdktf typed it `any`): anything goes.
pub fn is_open(node: &Value) -> bool {
    node.get("_").and_then(Value::as_str).is_some_and(|flags| flags.contains('*'))
}

/// The names a node takes, arguments and blocks, that a user may set.
pub fn settable_names(node: &Value) -> impl Iterator<Item = &str> {
    node.as_object()
        .into_iter()
        .flat_map(|map| map.iter())
        .filter_map(|(name, value)| (name != "_" && value.as_str() != Some("c")).then_some(name.as_str()))
}

/// The arguments and blocks a node requires.
pub fn required_names(node: &Value) -> Vec<&str> {
    node.as_object()
        .into_iter()
        .flat_map(|map| map.iter())
        .filter(|(name, value)| {
            name.as_str() != "_"
                && match value {
                    Value::String(flags) => flags == "r",
                    Value::Object(_) => value.get("_").and_then(Value::as_str).is_some_and(|it| it.contains('r')),
                    _ => false,
                }
        })
        .map(|(name, _)| name.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_schema_loads() {
        for (name, _) in FILES {
            let schema = provider(name).unwrap_or_else(|| panic!("{name} does not load"));
            assert!(schema.resource_types().count() > 0, "{name} has no resources");
        }
        let instance = provider_of("aws_db_instance").and_then(|it| it.resource("aws_db_instance")).unwrap();
        assert!(matches!(field(instance, "performance_insights_enabled"), Field::Argument { required: false, .. }));
        assert!(matches!(field(instance, "arn"), Field::Argument { computed_only: true, .. }));
        assert!(matches!(field(instance, "blue_green_update"), Field::Block { once: true, .. }));
        assert!(required_names(instance).contains(&"instance_class"));
    }
}
