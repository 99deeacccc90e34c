//! Versions each cloud offers: Kubernetes (with support windows), database and cache engine
//! versions, function runtimes. From `stdlib/catalog/versions.toml`.
//!
//! Support windows are judged on `CATALOG_DATE`, the date the catalog was read, not on the
//! clock: the same plan gives the same diagnostics and costs on every machine and every day,
//! until the catalog is updated.

use std::sync::OnceLock;

use toml::{Table, Value};

/// The date the catalog's facts were read; support windows are judged against it.
pub const CATALOG_DATE: &str = "2026-11-22";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KubernetesSupport {
    /// In standard support until the date.
    Standard { until: String },
    /// Past standard support, in extended (paid) support until the date.
    Extended { standard_ended: String, until: String },
    /// Past every support window.
    Ended { on: String },
    /// Not a version the cloud has offered.
    Unknown,
}

pub struct Versions {
    table: Table,
}

impl Versions {
    pub fn builtin() -> &'static Versions {
        static VERSIONS: OnceLock<Versions> = OnceLock::new();
        VERSIONS.get_or_init(|| {
            let json = super::stdlib_table_json("catalog/versions.toml").unwrap_or("{}");
            Versions {
                table: serde_json::from_str(json)
                    .unwrap_or_else(|error| panic!("stdlib/catalog/versions.toml is invalid: {error}")),
            }
        })
    }

    fn get(&self, path: &[&str]) -> Option<&Value> {
        let mut value = self.table.get(path[0])?;
        for key in &path[1..] {
            value = value.as_table()?.get(*key)?;
        }
        Some(value)
    }

    /// The Kubernetes versions a cloud lists, oldest first.
    pub fn kubernetes_versions(&self, cloud: &str) -> Vec<String> {
        let mut versions: Vec<String> = match self.get(&["kubernetes", cloud]) {
            Some(Value::Table(entries)) => entries.keys().filter(|key| *key != "source").cloned().collect(),
            _ => Vec::new(),
        };
        versions
            .sort_by_key(|version| version.split('.').map(|part| part.parse::<u32>().unwrap_or(0)).collect::<Vec<_>>());
        versions
    }

    pub fn kubernetes_support(&self, cloud: &str, version: &str) -> KubernetesSupport {
        let Some(entry) = self.get(&["kubernetes", cloud, version]) else { return KubernetesSupport::Unknown };
        let (standard, extended) = match entry {
            Value::Table(dates) => (
                dates.get("standard_end").and_then(date_text),
                dates.get("extended_end").and_then(date_text).or_else(|| dates.get("standard_end").and_then(date_text)),
            ),
            Value::Array(dates) => {
                (dates.first().and_then(date_text), dates.get(1).or(dates.first()).and_then(date_text))
            }
            _ => (None, None),
        };
        let (Some(standard), Some(extended)) = (standard, extended) else { return KubernetesSupport::Unknown };
        if CATALOG_DATE <= standard.as_str() {
            KubernetesSupport::Standard { until: standard }
        } else if CATALOG_DATE <= extended.as_str() {
            KubernetesSupport::Extended { standard_ended: standard, until: extended }
        } else {
            KubernetesSupport::Ended { on: extended }
        }
    }

    /// The versions of a database engine a cloud offers; `None` when the catalog does not say.
    pub fn database_versions(&self, cloud: &str, engine: &str) -> Option<Vec<String>> {
        self.get(&["database", engine, cloud, "versions"]).and_then(string_list)
    }

    pub fn cache_versions(&self, cloud: &str, engine: &str) -> Option<Vec<String>> {
        self.get(&["cache", engine, cloud, "versions"]).and_then(string_list)
    }

    /// Whether a cloud offers an engine as a managed service at all.
    pub fn engine_offered(&self, cloud: &str, engine: &str) -> bool {
        ["database", "cache"]
            .iter()
            .all(|kind| self.get(&[kind, engine, cloud, "offered"]).and_then(Value::as_bool) != Some(false))
    }

    /// Why a cloud does not offer an engine, when the catalog says.
    pub fn engine_note(&self, cloud: &str, engine: &str) -> Option<String> {
        ["database", "cache"]
            .iter()
            .find_map(|kind| self.get(&[kind, engine, cloud, "note"]).and_then(Value::as_str).map(String::from))
    }

    /// The provider's identifier of a Plan runtime, or `None` when the cloud does not offer it.
    pub fn runtime(&self, cloud: &str, runtime: &str) -> Option<String> {
        match self.get(&["runtimes", cloud, runtime])? {
            Value::String(id) if !id.is_empty() => Some(id.clone()),
            Value::Table(entry) if entry.get("offered").and_then(Value::as_bool) != Some(false) => {
                entry.get("id").and_then(Value::as_str).filter(|id| !id.is_empty()).map(String::from)
            }
            _ => None,
        }
    }
}

fn date_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Datetime(datetime) => Some(datetime.to_string()),
        _ => None,
    }
}

fn string_list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Array(items) => Some(items.iter().filter_map(Value::as_str).map(String::from).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_knows_versions_engines_and_runtimes() {
        let versions = Versions::builtin();
        assert!(!versions.kubernetes_versions("aws").is_empty());
        assert!(matches!(versions.kubernetes_support("aws", "1.34"), KubernetesSupport::Standard { .. }));
        assert!(versions.database_versions("aws", "postgres").is_some_and(|it| it.contains(&"16".to_string())));
        assert!(!versions.engine_offered("gcp", "mongodb"));
        assert!(versions.engine_offered("aws", "postgres"));
        assert_eq!(versions.runtime("aws", "nodejs22").as_deref(), Some("nodejs22.x"));
    }
}
