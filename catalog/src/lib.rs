//! The catalog: every block kind with its attribute schema, docs, outputs and cloud mapping.
//!
//! It is data in `stdlib/`, embedded at build time (see `build.rs`), parsed once on first use.
//! The checker, `planc explain` and the language server all read this one catalog.

pub mod formats;
pub mod money;
pub mod pricing;
pub mod provider_schema;
pub mod shapes;
mod types;
pub mod versions;

use std::collections::BTreeMap;
use std::sync::OnceLock;

pub use formats::Format;
use serde::Deserialize;
pub use types::Ty;

include!(concat!(env!("OUT_DIR"), "/stdlib_files.rs"));

/// An embedded `stdlib/` file by its path relative to `stdlib/`.
pub fn stdlib_file(path: &str) -> Option<&'static str> {
    STDLIB_FILES.iter().find(|(name, _)| *name == path).map(|(_, text)| *text)
}

/// An embedded `stdlib/` TOML table as JSON (converted by `build.rs`), by the TOML file's path.
pub fn stdlib_table_json(path: &str) -> Option<&'static str> {
    STDLIB_JSON.iter().find(|(name, _)| *name == path).map(|(_, json)| *json)
}

/// All embedded `stdlib/` TOML tables under a folder as JSON, by the TOML files' paths.
pub fn stdlib_tables_json_under(prefix: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    STDLIB_JSON.iter().copied().filter(move |(name, _)| name.starts_with(prefix))
}

/// All embedded `stdlib/` files under a folder, sorted by path.
pub fn stdlib_files_under(prefix: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    STDLIB_FILES.iter().copied().filter(move |(name, _)| name.starts_with(prefix))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// Top-level, named, global to the workspace.
    Top,
    /// Only inside one of `parents`, named within the parent.
    Nested,
    /// Top-level without a name (`policy`).
    Singleton,
}

#[derive(Debug, Clone)]
pub struct KindSchema {
    pub kind: String,
    pub summary: String,
    pub doc: String,
    pub example: String,
    pub placement: Placement,
    pub parents: Vec<String>,
    pub resource: bool,
    pub attrs: Vec<AttrSchema>,
    pub outputs: Vec<OutputSchema>,
    pub mapping: BTreeMap<String, Mapping>,
    /// For the common attributes (`tags`, ...): clouds on which this kind does not build them,
    /// each with what to do instead (CAT509).
    pub unsupported: BTreeMap<String, BTreeMap<String, String>>,
    /// The metrics an `alert` on a block of this kind can watch.
    pub metrics: Vec<MetricSchema>,
}

/// A metric of a kind (LANGUAGE.md §10.3): its unit, and where each cloud (or Prometheus)
/// reports it.
#[derive(Debug, Clone)]
pub struct MetricSchema {
    pub name: String,
    pub unit: MetricUnit,
    pub doc: String,
    /// Per cloud: the cloud's own metric. A cloud without an entry does not have it.
    pub clouds: BTreeMap<String, CloudMetric>,
    /// A PromQL expression with `{namespace}`, `{pods}` and `{service}` to fill in, for
    /// workloads.
    pub prometheus: Option<String>,
}

/// What a threshold is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricUnit {
    Percent,
    Count,
    Size,
    Duration,
}

impl MetricUnit {
    pub fn describe(self) -> &'static str {
        match self {
            MetricUnit::Percent => "a percentage such as `80%`",
            MetricUnit::Count => "a count such as `100`",
            MetricUnit::Size => "a size such as `10GB`",
            MetricUnit::Duration => "a duration such as `500ms`",
        }
    }
}

/// A metric as one cloud reports it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CloudMetric {
    /// The CloudWatch namespace (AWS); Azure and Google Cloud derive it from the resource.
    #[serde(default)]
    pub namespace: Option<String>,
    pub name: String,
    /// CloudWatch statistic (or `p99`), Azure aggregation, Cloud Monitoring aligner.
    pub statistic: String,
    /// Plan's unit (percent 0 to 100, bytes, seconds, a count) times this is the cloud's.
    #[serde(default)]
    pub scale: Option<f64>,
    /// A further Cloud Monitoring filter (`metric.label.response_code_class = 500`).
    #[serde(default)]
    pub filter: Option<String>,
}

impl KindSchema {
    pub fn metric(&self, name: &str) -> Option<&MetricSchema> {
        self.metrics.iter().find(|it| it.name == name)
    }
}

#[derive(Debug, Clone)]
pub struct AttrSchema {
    pub name: String,
    pub ty: Ty,
    pub required: bool,
    pub default: Option<String>,
    pub doc: String,
    pub example: String,
    /// The fields of an `object` attribute.
    pub fields: Vec<AttrSchema>,
    /// Clouds on which the value is not built yet, each with what to do instead (CAT509).
    pub unsupported: BTreeMap<String, String>,
    /// The format a string value (a list's items, a map's keys and values) must be in (P027).
    pub format: Option<Format>,
}

#[derive(Debug, Clone)]
pub struct OutputSchema {
    pub name: String,
    pub ty: Ty,
    /// Per cloud: whether the value carries credentials.
    pub secret: BTreeMap<String, bool>,
    pub doc: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Mapping {
    pub service: String,
    #[serde(default)]
    pub terraform: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// The resource a nested `terraform { }` override merges into: the first entry whose
    /// condition (`TYPE if engine = mongodb`, `TYPE if autoscaled`) holds.
    #[serde(default)]
    pub main: Vec<String>,
}

impl Catalog {
    /// The Terraform resource type a `kind` block's `terraform { }` override merges into on
    /// `cloud`, given whether a mapping condition holds for the block (`deploy::holds`).
    pub fn main_resource(&self, kind: &str, cloud: &str, holds: impl Fn(&str) -> bool) -> Option<&str> {
        self.kind(kind)?.mapping.get(cloud)?.main_resource(holds)
    }
}

impl Mapping {
    /// The main Terraform resource type, given whether a condition holds for the block.
    pub fn main_resource(&self, holds: impl Fn(&str) -> bool) -> Option<&str> {
        self.main.iter().find_map(|entry| match entry.split_once(" if ") {
            Some((resource, condition)) => holds(condition.trim()).then_some(resource.trim()),
            None => Some(entry.trim()),
        })
    }
}

pub struct Catalog {
    /// Every kind by name, parsed from its `catalog/kinds/<name>.toml` the first time it is
    /// asked for: a check reads a handful of the kinds, and parsing all of them was most of the
    /// time of checking a small workspace.
    kinds: BTreeMap<&'static str, LazyKind>,
    /// Attributes every resource kind accepts (`cloud`, `region`, `tags`, ...).
    pub common: Vec<AttrSchema>,
}

struct LazyKind {
    path: &'static str,
    text: &'static str,
    schema: OnceLock<KindSchema>,
}

impl Catalog {
    /// The catalog embedded in this binary. Its validity is guaranteed by a test.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG
            .get_or_init(|| Catalog::load().unwrap_or_else(|error| panic!("the embedded catalog is invalid: {error}")))
    }

    fn load() -> Result<Catalog, String> {
        let common_json = stdlib_table_json("catalog/common.toml").ok_or("catalog/common.toml is missing")?;
        let common: RawCommon = serde_json::from_str(common_json).map_err(|e| format!("catalog/common.toml: {e}"))?;
        let common = common.attr.into_iter().map(RawAttr::into_schema).collect::<Result<Vec<_>, _>>()?;
        let mut kinds = BTreeMap::new();
        for (path, text) in stdlib_tables_json_under("catalog/kinds/") {
            let Some(name) = path.strip_prefix("catalog/kinds/").and_then(|it| it.strip_suffix(".toml")) else {
                continue;
            };
            kinds.insert(name, LazyKind { path, text, schema: OnceLock::new() });
        }
        Ok(Catalog { kinds, common })
    }

    /// Parses every kind now: for the test that guarantees the embedded catalog is valid.
    #[cfg(test)]
    fn parse_all(&self) -> Result<(), String> {
        for (name, lazy) in &self.kinds {
            let schema = parse_kind(lazy.path, lazy.text)?;
            if schema.kind != *name {
                return Err(format!("{}: declares kind `{}`, not `{name}`", lazy.path, schema.kind));
            }
        }
        Ok(())
    }

    pub fn kind(&self, name: &str) -> Option<&KindSchema> {
        let lazy = self.kinds.get(name)?;
        Some(lazy.schema.get_or_init(|| {
            parse_kind(lazy.path, lazy.text).unwrap_or_else(|error| panic!("the embedded catalog is invalid: {error}"))
        }))
    }

    pub fn kinds(&self) -> impl Iterator<Item = &KindSchema> {
        self.kinds.keys().filter_map(|name| self.kind(name))
    }
}

/// A kind from its table, as JSON (see `build.rs`).
fn parse_kind(path: &str, json: &str) -> Result<KindSchema, String> {
    let raw: RawKind = serde_json::from_str(json).map_err(|e| format!("{path}: {e}"))?;
    raw.into_schema().map_err(|e| format!("{path}: {e}"))
}

impl KindSchema {
    /// The schema of an attribute of this kind, the common resource attributes included.
    pub fn attr(&self, name: &str) -> Option<&AttrSchema> {
        self.attrs.iter().find(|it| it.name == name).or_else(|| {
            if self.resource {
                Catalog::builtin().common.iter().find(|it| it.name == name)
            } else {
                None
            }
        })
    }

    /// Every attribute name this kind accepts, for "did you mean" and completion.
    pub fn attr_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.attrs.iter().map(|it| it.name.as_str()).collect();
        if self.resource {
            names.extend(Catalog::builtin().common.iter().map(|it| it.name.as_str()));
        }
        names
    }

    pub fn output(&self, name: &str) -> Option<&OutputSchema> {
        self.outputs.iter().find(|it| it.name == name)
    }

    /// Whether a block of this kind must carry a name.
    pub fn is_named(&self) -> bool {
        self.placement != Placement::Singleton
    }
}

impl AttrSchema {
    pub fn field(&self, name: &str) -> Option<&AttrSchema> {
        self.fields.iter().find(|it| it.name == name)
    }
}

#[derive(Deserialize)]
struct RawCommon {
    attr: Vec<RawAttr>,
}

#[derive(Deserialize)]
struct RawKind {
    kind: String,
    summary: String,
    doc: String,
    example: String,
    placement: Placement,
    #[serde(default)]
    parents: Vec<String>,
    #[serde(default)]
    resource: bool,
    #[serde(default)]
    attr: Vec<RawAttr>,
    #[serde(default)]
    output: Vec<RawOutput>,
    #[serde(default)]
    mapping: BTreeMap<String, Mapping>,
    #[serde(default)]
    unsupported: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    metric: Vec<RawMetric>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetric {
    name: String,
    unit: MetricUnit,
    doc: String,
    #[serde(default)]
    aws: Option<CloudMetric>,
    #[serde(default)]
    azure: Option<CloudMetric>,
    #[serde(default)]
    gcp: Option<CloudMetric>,
    #[serde(default)]
    prometheus: Option<String>,
}

#[derive(Deserialize)]
struct RawAttr {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    default: Option<String>,
    doc: String,
    example: String,
    #[serde(default)]
    fields: Vec<RawAttr>,
    #[serde(default)]
    unsupported: BTreeMap<String, String>,
    #[serde(default)]
    format: Option<String>,
}

#[derive(Deserialize)]
struct RawOutput {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    secret: RawSecret,
    #[serde(default)]
    doc: String,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum RawSecret {
    #[default]
    Never,
    Always(bool),
    PerCloud(BTreeMap<String, bool>),
}

impl RawKind {
    fn into_schema(self) -> Result<KindSchema, String> {
        let attrs = self.attr.into_iter().map(RawAttr::into_schema).collect::<Result<Vec<_>, _>>()?;
        let outputs = self
            .output
            .into_iter()
            .map(|raw| {
                let secret = match raw.secret {
                    RawSecret::Never => BTreeMap::new(),
                    RawSecret::Always(secret) => {
                        ["aws", "azure", "gcp"].iter().map(|cloud| (cloud.to_string(), secret)).collect()
                    }
                    RawSecret::PerCloud(map) => map,
                };
                Ok(OutputSchema { name: raw.name, ty: Ty::parse(&raw.ty, &[])?, secret, doc: raw.doc })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(KindSchema {
            kind: self.kind,
            summary: self.summary,
            doc: self.doc,
            example: self.example,
            placement: self.placement,
            parents: self.parents,
            resource: self.resource,
            attrs,
            outputs,
            mapping: self.mapping,
            unsupported: self.unsupported,
            metrics: self
                .metric
                .into_iter()
                .map(|raw| {
                    let clouds = [("aws", raw.aws), ("azure", raw.azure), ("gcp", raw.gcp)]
                        .into_iter()
                        .filter_map(|(cloud, metric)| Some((cloud.to_string(), metric?)))
                        .collect();
                    MetricSchema { name: raw.name, unit: raw.unit, doc: raw.doc, clouds, prometheus: raw.prometheus }
                })
                .collect(),
        })
    }
}

impl RawAttr {
    fn into_schema(self) -> Result<AttrSchema, String> {
        let ty = Ty::parse(&self.ty, &self.values).map_err(|e| format!("attribute `{}`: {e}", self.name))?;
        let fields = self.fields.into_iter().map(RawAttr::into_schema).collect::<Result<Vec<_>, _>>()?;
        let format = match &self.format {
            Some(text) => {
                Some(Format::parse(text).ok_or_else(|| format!("attribute `{}`: unknown format `{text}`", self.name))?)
            }
            None => None,
        };
        Ok(AttrSchema {
            name: self.name,
            ty,
            required: self.required,
            default: self.default,
            doc: self.doc,
            example: self.example,
            fields,
            unsupported: self.unsupported,
            format,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_loads_and_has_every_core_kind() {
        let catalog = Catalog::load().unwrap();
        catalog.parse_all().unwrap();
        for kind in [
            "plan",
            "env",
            "network",
            "subnet",
            "cluster",
            "node_pool",
            "service",
            "worker",
            "job",
            "function",
            "database",
            "cache",
            "bucket",
            "queue",
            "topic",
            "gateway",
            "cdn",
            "vm",
            "registry",
            "decision",
            "option",
            "policy",
            "monitoring",
            "notify",
            "alert",
            "slo",
        ] {
            assert!(catalog.kind(kind).is_some(), "kind `{kind}` is missing from the catalog");
        }
    }
}
