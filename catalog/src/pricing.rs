//! The price book: public on-demand list prices per cloud, from `stdlib/pricing/<cloud>.toml`
//! (see `stdlib/FORMAT.md`). Prices are looked up by table and key and returned as `Money`;
//! anything not in the tables is `None`, never zero, so the cost model can say it is unknown.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use toml::{Table, Value};

use crate::money::Money;

pub const CLOUDS: [&str; 3] = ["aws", "azure", "gcp"];

/// One priced class: an instance size, a database tier, a cache node type.
#[derive(Debug, Clone, PartialEq)]
pub struct PricedClass {
    pub vcpu: Option<f64>,
    pub memory_gib: Option<f64>,
    pub hourly: Money,
    pub hourly_ha: Option<Money>,
    /// How many nodes the price covers (Azure Standard caches: 2).
    pub nodes: u32,
    /// `x86_64` or `arm64`, where the table says (machine classes).
    pub arch: Option<String>,
}

/// A price with where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub date: &'static str,
    pub url: &'static str,
}

pub struct CloudPrices {
    pub cloud: &'static str,
    table: Table,
    /// The compute classes; the hand-curated `[compute]` of `table` only fills their gaps
    /// (where both list a class, `scripts/gen-pricing` has checked that the prices agree).
    generated: Option<&'static GeneratedTable>,
    pub main_region: String,
    pub known_regions: Vec<String>,
}

/// How a region is priced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RegionPricing {
    /// The region the tables were read for.
    Exact,
    /// Another region: prices times a documented multiplier.
    Estimated(f64),
    /// A region the catalog does not know: main-region prices, flagged as estimated.
    Unknown,
}

/// Whether a machine class is burstable or shared-core (its vCPUs are not all there all the
/// time): AWS `t*`, Azure B-series, GCP shared-core E2, f1 and g1.
pub fn is_burstable(class: &str) -> bool {
    ["t1.", "t2.", "t3.", "t3a.", "t4g.", "Standard_B", "e2-micro", "e2-small", "e2-medium", "f1-micro", "g1-small"]
        .iter()
        .any(|prefix| class.starts_with(prefix))
}

/// One class of a generated compute table.
pub(crate) struct GeneratedClass {
    pub name: &'static str,
    pub vcpu: Option<f64>,
    pub memory_gib: Option<f64>,
    pub arch: Option<&'static str>,
    pub hourly: &'static str,
    /// Its price in each of the table's `regions`, comma-separated, blank where there is none.
    pub regional: &'static str,
}

/// A cloud's generated compute table: `stdlib/pricing/generated/<cloud>-compute.toml`, written by
/// `scripts/gen-pricing` from dated upstream tables and compiled by `build.rs` to a static array
/// sorted by name.
pub(crate) struct GeneratedTable {
    pub cloud: &'static str,
    pub date: &'static str,
    pub url: &'static str,
    /// The regions other than the main one that `regional` prices, in order.
    pub regions: &'static [&'static str],
    pub classes: &'static [GeneratedClass],
    /// Real classes of the provider that the upstream table has no price for, sorted.
    pub unpriced: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/generated_compute.rs"));

impl GeneratedTable {
    fn get(&self, name: &str) -> Option<&GeneratedClass> {
        self.classes.binary_search_by(|it| it.name.cmp(name)).ok().map(|index| &self.classes[index])
    }
}

impl CloudPrices {
    fn load(cloud: &'static str) -> Result<CloudPrices, String> {
        let path = format!("pricing/{cloud}.toml");
        let json = super::stdlib_table_json(&path).ok_or_else(|| format!("{path} is missing"))?;
        let table: Table = serde_json::from_str(json).map_err(|e| format!("{path}: {e}"))?;
        let generated = GENERATED_COMPUTE.iter().find(|it| it.cloud == cloud);
        let regions = table.get("regions").and_then(Value::as_table);
        let main_region = regions.and_then(|it| it.get("main")).and_then(Value::as_str).unwrap_or_default().to_string();
        let known_regions = regions
            .and_then(|it| it.get("known"))
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).map(String::from).collect())
            .unwrap_or_default();
        Ok(CloudPrices { cloud, table, generated, main_region, known_regions })
    }

    fn lookup(&self, path: &[&str]) -> Option<&Value> {
        let mut value = self.table.get(path[0])?;
        for key in &path[1..] {
            value = value.as_table()?.get(*key)?;
        }
        Some(value)
    }

    /// A single price: `price(&["kubernetes", "control_plane_hourly"])`.
    pub fn price(&self, path: &[&str]) -> Option<Money> {
        match self.lookup(path)? {
            Value::String(text) => Money::parse(text),
            Value::Integer(number) => Some(Money::from_dollars(*number)),
            _ => None,
        }
    }

    /// A plain number: a free-tier amount, a count.
    pub fn number(&self, path: &[&str]) -> Option<f64> {
        match self.lookup(path)? {
            Value::Integer(number) => Some(*number as f64),
            Value::Float(number) => Some(*number),
            Value::String(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// A priced class in a table of classes: `class(&["compute"], "m6i.large")`.
    pub fn class(&self, table: &[&str], name: &str) -> Option<PricedClass> {
        if table == ["compute"] {
            if let Some(found) = self.generated.and_then(|it| it.get(name)) {
                return Some(PricedClass {
                    vcpu: found.vcpu,
                    memory_gib: found.memory_gib,
                    hourly: Money::parse(found.hourly)?,
                    hourly_ha: None,
                    nodes: 1,
                    arch: found.arch.map(String::from),
                });
            }
        }
        let entry = self.lookup(table)?.as_table()?.get(name)?.as_table()?;
        let money = |key: &str| entry.get(key).and_then(Value::as_str).and_then(Money::parse);
        let number = |key: &str| match entry.get(key) {
            Some(Value::Integer(number)) => Some(*number as f64),
            Some(Value::Float(number)) => Some(*number),
            _ => None,
        };
        Some(PricedClass {
            vcpu: number("vcpu"),
            memory_gib: number("memory_gib"),
            hourly: money("hourly")?,
            hourly_ha: money("hourly_ha"),
            nodes: number("nodes").map_or(1, |it| it.max(1.0) as u32),
            arch: entry.get("arch").and_then(Value::as_str).map(String::from),
        })
    }

    /// The hourly price of a machine class in `region` from the table's own regional prices,
    /// when it has one: exact, where the multiplier of `region_pricing` is an estimate.
    pub fn compute_hourly_in(&self, name: &str, region: &str) -> Option<Money> {
        let generated = self.generated?;
        let class = generated.get(name)?;
        if region == self.main_region {
            return Money::parse(class.hourly);
        }
        let index = generated.regions.iter().position(|it| *it == region)?;
        class.regional.split(',').nth(index).filter(|it| !it.is_empty()).and_then(Money::parse)
    }

    /// Whether `name` is a real class of the provider that the tables have no price for (an EC2
    /// type in botocore's list but not in the price table): a cost that is unknown, not a typo.
    pub fn is_unpriced_class(&self, table: &[&str], name: &str) -> bool {
        match table {
            ["compute"] => self.generated.is_some_and(|it| it.unpriced.binary_search(&name).is_ok()),
            // The managed engines of one service run on the same instance classes (RDS's
            // `db.m7g.large` for PostgreSQL and MySQL alike): a class another engine's table
            // prices is real, only not priced for this engine.
            ["database" | "cache", engine] => self.engine_pricing(table[0], name).any(|other| other != *engine),
            _ => false,
        }
    }

    /// The engines whose table of `service` (`database`, `cache`) prices the class `name`.
    pub fn engine_pricing<'a>(&'a self, service: &str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let engines = self.lookup(&[service]).and_then(Value::as_table);
        engines.into_iter().flat_map(move |engines| {
            engines
                .iter()
                .filter(move |(_, table)| table.get(name).is_some_and(Value::is_table))
                .map(|(it, _)| it.as_str())
        })
    }

    /// Whether a table of classes lists `name` (priced or not), without listing the table.
    pub fn has_class(&self, table: &[&str], name: &str) -> bool {
        if table == ["compute"] && self.generated.is_some_and(|it| it.get(name).is_some()) {
            return true;
        }
        self.lookup(table)
            .and_then(Value::as_table)
            .is_some_and(|it| name != "source" && it.get(name).is_some_and(Value::is_table))
    }

    /// The names of the classes in a table, sorted, for "did you mean" and completion.
    pub fn class_names(&self, table: &[&str]) -> Vec<&str> {
        let mut names: Vec<&str> = match self.lookup(table) {
            Some(Value::Table(entries)) => entries
                .iter()
                .filter(|(_, value)| value.is_table())
                .filter(|(key, _)| *key != "source")
                .map(|(key, _)| key.as_str())
                .collect(),
            _ => Vec::new(),
        };
        if let (["compute"], Some(generated)) = (table, self.generated) {
            names.extend(generated.classes.iter().map(|it| it.name));
            names.sort_unstable();
            names.dedup();
        }
        names
    }

    /// Where the prices of a table were read.
    pub fn source(&self, table: &[&str]) -> Option<(String, String)> {
        if let (["compute"], Some(generated)) = (table, self.generated) {
            return Some((generated.date.to_string(), generated.url.to_string()));
        }
        let mut path = table.to_vec();
        path.push("source");
        let source = self.lookup(&path)?.as_table()?;
        Some((source.get("date")?.as_str()?.to_string(), source.get("url")?.as_str()?.to_string()))
    }

    pub fn region_pricing(&self, region: &str) -> RegionPricing {
        if region == self.main_region {
            return RegionPricing::Exact;
        }
        if let Some(multiplier) =
            self.lookup(&["region_multiplier", region]).and_then(Value::as_str).and_then(|it| it.parse().ok())
        {
            return RegionPricing::Estimated(multiplier);
        }
        if self.known_regions.iter().any(|it| it == region) {
            RegionPricing::Estimated(1.0)
        } else {
            RegionPricing::Unknown
        }
    }

    pub fn is_known_region(&self, region: &str) -> bool {
        region == self.main_region || self.known_regions.iter().any(|it| it == region)
    }

    /// Whether the provider does not sell `class` in `region`.
    pub fn unavailable_in(&self, region: &str, class: &str) -> bool {
        self.lookup(&["region_unavailable", region])
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|it| it.as_str() == Some(class)))
    }

    /// Capacity bands of caches priced per GiB-hour (Memorystore).
    pub fn cache_bands(&self, engine: &str) -> Vec<(String, f64, f64, Money)> {
        let Some(Value::Array(bands)) = self.lookup(&["cache_unit", engine, "bands"]) else { return Vec::new() };
        bands
            .iter()
            .filter_map(|band| {
                let band = band.as_table()?;
                let number = |key: &str| match band.get(key) {
                    Some(Value::Integer(n)) => Some(*n as f64),
                    Some(Value::Float(n)) => Some(*n),
                    _ => None,
                };
                Some((
                    band.get("tier").and_then(Value::as_str).unwrap_or("standard").to_string(),
                    number("min_gib")?,
                    number("max_gib")?,
                    band.get("gib_hourly").and_then(Value::as_str).and_then(Money::parse)?,
                ))
            })
            .collect()
    }
}

pub struct PriceBook {
    /// Each cloud's tables, parsed the first time that cloud is priced: most workspaces use
    /// one cloud.
    clouds: BTreeMap<&'static str, OnceLock<CloudPrices>>,
}

impl PriceBook {
    pub fn builtin() -> &'static PriceBook {
        static BOOK: OnceLock<PriceBook> = OnceLock::new();
        BOOK.get_or_init(|| PriceBook { clouds: CLOUDS.into_iter().map(|cloud| (cloud, OnceLock::new())).collect() })
    }

    /// Every cloud's tables parsed now, or the first error: for the tests that guarantee the
    /// embedded tables are valid.
    #[cfg(test)]
    fn load() -> Result<PriceBook, String> {
        let mut clouds = BTreeMap::new();
        for cloud in CLOUDS {
            clouds.insert(cloud, OnceLock::from(CloudPrices::load(cloud)?));
        }
        Ok(PriceBook { clouds })
    }

    pub fn cloud(&self, cloud: &str) -> Option<&CloudPrices> {
        let (&name, prices) = self.clouds.get_key_value(cloud)?;
        Some(prices.get_or_init(|| {
            CloudPrices::load(name).unwrap_or_else(|error| panic!("the embedded price tables are invalid: {error}"))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_tables_load_and_name_their_sources() {
        let book = PriceBook::load().unwrap();
        for cloud in CLOUDS {
            let prices = book.cloud(cloud).unwrap();
            assert!(!prices.main_region.is_empty(), "{cloud} has no main region");
            assert!(!prices.class_names(&["compute"]).is_empty(), "{cloud} has no compute sizes");
            assert!(prices.source(&["compute"]).is_some(), "{cloud} compute prices have no source");
        }
    }

    #[test]
    fn the_machines_people_run_have_prices_from_the_generated_tables() {
        let book = PriceBook::load().unwrap();
        let expect = [
            ("aws", "c5.large", "0.085", 2.0, 4.0),
            ("aws", "m5.xlarge", "0.192", 4.0, 16.0),
            ("gcp", "n1-highcpu-16", "0.5667888", 16.0, 14.4),
            ("gcp", "n2d-standard-4", "0.168984", 4.0, 16.0),
            ("gcp", "t2d-standard-1", "0.042246", 1.0, 4.0),
            ("gcp", "c3-standard-4", "0.201608", 4.0, 16.0),
            ("azure", "Standard_F4s_v2", "0.169", 4.0, 8.0),
            ("azure", "Standard_D4_v3", "0.192", 4.0, 16.0),
            // The upstream row is a Windows rate; the hand-curated Linux rate fills the gap.
            ("azure", "Standard_D2as_v5", "0.086", 2.0, 8.0),
        ];
        for (cloud, name, hourly, vcpu, memory) in expect {
            let class = book.cloud(cloud).unwrap().class(&["compute"], name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(class.hourly, Money::parse(hourly).unwrap(), "{name}");
            assert_eq!((class.vcpu, class.memory_gib), (Some(vcpu), Some(memory)), "{name}");
        }
        // A real EC2 type without a price is known as such; a typo is not.
        let aws = book.cloud("aws").unwrap();
        assert!(aws.is_unpriced_class(&["compute"], "hpc6a.48xlarge"));
        assert!(!aws.is_unpriced_class(&["compute"], "m5.xlarg"));
        let graviton = book.cloud("aws").unwrap().class(&["compute"], "m7g.large").unwrap();
        assert_eq!(graviton.arch.as_deref(), Some("arm64"));
        let (date, url) = book.cloud("aws").unwrap().source(&["compute"]).unwrap();
        assert_eq!((date.as_str(), url.as_str()), ("2026-07-20", "https://aws.amazon.com/ec2/pricing/on-demand/"));
    }
}
