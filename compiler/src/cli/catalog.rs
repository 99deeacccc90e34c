//! `planc catalog [KIND]`: what the catalog knows. Without a kind, every kind; with one, its
//! attributes, outputs and mappings, and the machine classes or tiers it takes on each cloud
//! with vCPU, memory, architecture and monthly price, filtered by family, vCPUs, memory and
//! architecture.

use serde_json::{json, Value as Json};

use super::{CatalogArgs, CatalogFormat, EXIT_OK, EXIT_USAGE};
use crate::catalog::pricing::{PriceBook, PricedClass, CLOUDS};
use crate::catalog::{Catalog, KindSchema};
use crate::cost::Money;

/// One priced class as listed.
struct Listed {
    cloud: &'static str,
    table: String,
    name: String,
    class: PricedClass,
}

pub fn run(args: &CatalogArgs) -> i32 {
    let catalog = Catalog::builtin();
    let Some(kind_name) = &args.kind else {
        return list_kinds(catalog, args.format);
    };
    let Some(kind) = catalog.kind(kind_name) else {
        let names: Vec<&str> = catalog.kinds().map(|it| it.kind.as_str()).collect();
        let hint = crate::diagnostics::did_you_mean(kind_name, names.iter().copied())
            .map(|it| format!("did you mean `{it}`? "))
            .unwrap_or_default();
        eprintln!("error: no kind `{kind_name}`; {hint}`planc catalog` lists the kinds");
        return EXIT_USAGE;
    };
    if let Some(cloud) = &args.cloud {
        if !CLOUDS.contains(&cloud.as_str()) {
            eprintln!("error: unknown cloud `{cloud}`; the clouds are aws, azure and gcp");
            return EXIT_USAGE;
        }
    }
    let memory_gib = match args.memory.as_deref().map(parse_gib) {
        Some(Some(gib)) => Some(gib),
        Some(None) => {
            eprintln!("error: `--memory` takes a size such as `16Gi` or `8GB`");
            return EXIT_USAGE;
        }
        None => None,
    };
    let classes: Vec<Listed> = classes_of(kind)
        .into_iter()
        .filter(|it| args.cloud.as_deref().is_none_or(|cloud| it.cloud == cloud))
        .filter(|it| args.family.as_deref().is_none_or(|family| in_family(&it.name, family)))
        .filter(|it| args.cpu.is_none_or(|cpu| it.class.vcpu == Some(cpu as f64)))
        .filter(|it| memory_gib.is_none_or(|gib| it.class.memory_gib.is_some_and(|have| (have - gib).abs() < 0.01)))
        .filter(|it| args.arch.as_deref().is_none_or(|arch| it.class.arch.as_deref() == Some(arch)))
        .collect();
    match args.format {
        CatalogFormat::Json => {
            println!("{}", serde_json::to_string_pretty(&kind_json(kind, &classes)).unwrap_or_default())
        }
        CatalogFormat::Table => print!("{}", kind_table(kind, &classes, args)),
    }
    EXIT_OK
}

fn list_kinds(catalog: &Catalog, format: CatalogFormat) -> i32 {
    let mut kinds: Vec<&KindSchema> = catalog.kinds().collect();
    kinds.sort_by(|a, b| a.kind.cmp(&b.kind));
    match format {
        CatalogFormat::Json => {
            let list: Vec<Json> = kinds
                .iter()
                .map(|it| json!({ "kind": it.kind, "summary": it.summary, "resource": it.resource, "nested_in": it.parents }))
                .collect();
            println!("{}", serde_json::to_string_pretty(&json!({ "kinds": list })).unwrap_or_default());
        }
        CatalogFormat::Table => {
            let width = kinds.iter().map(|it| it.kind.len()).max().unwrap_or(4);
            for kind in kinds {
                let nested =
                    if kind.parents.is_empty() { String::new() } else { format!(" (in {})", kind.parents.join(", ")) };
                println!("{:<width$}  {}{nested}", kind.kind, kind.summary);
            }
            println!("\n`planc catalog KIND` shows a kind's attributes, and its classes and prices on each cloud.");
        }
    }
    EXIT_OK
}

/// The price tables a kind's classes come from: compute for machines, one per engine for
/// databases and caches.
fn tables_of(kind: &str) -> Vec<Vec<String>> {
    let engines = |attr: &str, owner: &str| -> Vec<String> {
        Catalog::builtin()
            .kind(owner)
            .and_then(|it| it.attr(attr))
            .map(|it| match &it.ty {
                crate::catalog::Ty::Enum(values) => values.clone(),
                _ => Vec::new(),
            })
            .unwrap_or_default()
    };
    match kind {
        "vm" | "node_pool" | "cluster" => vec![vec!["compute".into()]],
        "database" => {
            let mut tables: Vec<Vec<String>> =
                engines("engine", "database").into_iter().map(|engine| vec!["database".into(), engine]).collect();
            tables.push(vec!["document_database".into()]);
            tables
        }
        "cache" => engines("engine", "cache").into_iter().map(|engine| vec!["cache".into(), engine]).collect(),
        _ => Vec::new(),
    }
}

fn classes_of(kind: &KindSchema) -> Vec<Listed> {
    let book = PriceBook::builtin();
    let mut listed = Vec::new();
    for cloud in CLOUDS {
        let Some(prices) = book.cloud(cloud) else { continue };
        for table in tables_of(&kind.kind) {
            let path: Vec<&str> = table.iter().map(String::as_str).collect();
            let start = listed.len();
            for name in prices.class_names(&path) {
                if let Some(class) = prices.class(&path, name) {
                    listed.push(Listed { cloud, table: table.join("."), name: name.to_string(), class });
                }
            }
            // Smallest first: by vCPUs, then memory, then price.
            listed[start..].sort_by(|a, b| {
                let key = |it: &Listed| (it.class.vcpu.unwrap_or(0.0), it.class.memory_gib.unwrap_or(0.0));
                key(a)
                    .partial_cmp(&key(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(a.class.hourly.cmp(&b.class.hourly))
                    .then(a.name.cmp(&b.name))
            });
        }
    }
    listed
}

/// AWS `c5` (`c5.large`), GCP `n2d` or `n1-highcpu` (`n1-highcpu-16`), or any prefix of the name.
fn in_family(name: &str, family: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let family = family.to_ascii_lowercase();
    lower.split('.').next() == Some(family.as_str())
        || lower.strip_prefix(&family).is_some_and(|rest| rest.starts_with('-'))
        || (!lower.contains('.') && !lower.contains('-') && lower.starts_with(&family))
        || lower.strip_prefix("standard_").is_some_and(|rest| rest.starts_with(family.trim_start_matches("standard_")))
}

/// `16Gi`, `16GiB`, `16GB`, `16` (GiB).
fn parse_gib(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text.find(|ch: char| !ch.is_ascii_digit() && ch != '.').unwrap_or(text.len());
    let number: f64 = text[..split].parse().ok()?;
    match &text[split..] {
        "" | "Gi" | "GiB" | "G" => Some(number),
        "GB" => Some(number * 1e9 / (1u64 << 30) as f64),
        "Mi" | "MiB" => Some(number / 1024.0),
        "Ti" | "TiB" => Some(number * 1024.0),
        _ => None,
    }
}

fn monthly(hourly: Money) -> Money {
    hourly.monthly_from_hourly()
}

fn kind_json(kind: &KindSchema, classes: &[Listed]) -> Json {
    let attributes: Vec<Json> = kind
        .attrs
        .iter()
        .map(|it| {
            json!({
                "name": it.name, "type": it.ty.to_string(), "required": it.required, "default": it.default,
                "doc": it.doc, "example": it.example, "not_built_on": it.unsupported.keys().collect::<Vec<_>>(),
            })
        })
        .collect();
    let outputs: Vec<Json> =
        kind.outputs.iter().map(|it| json!({ "name": it.name, "type": it.ty.to_string(), "doc": it.doc })).collect();
    let mapping: serde_json::Map<String, Json> = kind
        .mapping
        .iter()
        .map(|(cloud, it)| (cloud.clone(), json!({ "service": it.service, "terraform": it.terraform })))
        .collect();
    let classes: Vec<Json> = classes
        .iter()
        .map(|it| {
            json!({
                "cloud": it.cloud, "table": it.table, "name": it.name, "vcpu": it.class.vcpu,
                "memory_gib": it.class.memory_gib, "arch": it.class.arch,
                "hourly": it.class.hourly.to_string(), "monthly": monthly(it.class.hourly).to_string(),
            })
        })
        .collect();
    let metrics: Vec<Json> = kind
        .metrics
        .iter()
        .map(|it| {
            let clouds: serde_json::Map<String, Json> = it
                .clouds
                .iter()
                .map(|(cloud, metric)| {
                    (cloud.clone(), json!({ "namespace": metric.namespace, "name": metric.name, "statistic": metric.statistic }))
                })
                .collect();
            json!({ "name": it.name, "unit": format!("{:?}", it.unit).to_lowercase(), "doc": it.doc, "clouds": clouds, "prometheus": it.prometheus })
        })
        .collect();
    json!({ "kind": kind.kind, "summary": kind.summary, "attributes": attributes, "outputs": outputs, "metrics": metrics, "mapping": mapping, "classes": classes })
}

fn kind_table(kind: &KindSchema, classes: &[Listed], args: &CatalogArgs) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}\n", kind.kind, kind.summary);
    if !kind.attrs.is_empty() {
        out.push_str("Attributes:\n");
        let width = kind.attrs.iter().map(|it| it.name.len()).max().unwrap_or(4);
        for attr in &kind.attrs {
            let first_sentence = attr.doc.split(". ").next().unwrap_or("").trim_end_matches('.');
            let default = attr.default.as_deref().map(|it| format!(" (default {it})")).unwrap_or_default();
            let required = if attr.required { " (required)" } else { "" };
            let _ = writeln!(out, "  {:<width$}  {}{required}{default}: {first_sentence}", attr.name, attr.ty);
        }
    }
    if !kind.outputs.is_empty() {
        let names: Vec<&str> = kind.outputs.iter().map(|it| it.name.as_str()).collect();
        let _ = writeln!(out, "\nOutputs: {}", names.join(", "));
    }
    if !kind.metrics.is_empty() {
        out.push_str("\nMetrics an `alert` can watch:\n");
        let width = kind.metrics.iter().map(|it| it.name.len()).max().unwrap_or(4);
        for metric in &kind.metrics {
            let source = match &metric.prometheus {
                Some(_) => "Prometheus".to_string(),
                None => metric.clouds.keys().cloned().collect::<Vec<_>>().join(", "),
            };
            let _ = writeln!(out, "  {:<width$}  {} ({source}): {}", metric.name, metric.unit.describe(), metric.doc);
        }
    }
    if !kind.mapping.is_empty() {
        out.push_str("\nBuilt as:\n");
        for (cloud, mapping) in &kind.mapping {
            let _ = writeln!(out, "  {cloud:<5}  {} ({})", mapping.service, mapping.terraform.join(", "));
        }
    }
    if tables_of(&kind.kind).is_empty() {
        return out;
    }
    let filtered = args.cloud.is_some()
        || args.family.is_some()
        || args.cpu.is_some()
        || args.memory.is_some()
        || args.arch.is_some();
    if classes.is_empty() {
        out.push_str("\nNo class matches the filters.\n");
        return out;
    }
    if !filtered && classes.len() > 60 {
        let _ = writeln!(
            out,
            "\n{} classes on {} clouds: narrow them with --cloud, --family, --cpu, --memory or --arch.",
            classes.len(),
            CLOUDS.len()
        );
        return out;
    }
    let book = PriceBook::builtin();
    let mut current = (String::new(), String::new());
    for listed in classes {
        if (listed.cloud.to_string(), listed.table.clone()) != current {
            current = (listed.cloud.to_string(), listed.table.clone());
            let prices = book.cloud(listed.cloud);
            let path: Vec<&str> = listed.table.split('.').collect();
            let source = prices
                .and_then(|it| it.source(&path))
                .map(|(date, url)| format!(", prices of {date}: {url}"))
                .unwrap_or_default();
            let region = prices.map(|it| it.main_region.clone()).unwrap_or_default();
            let _ = writeln!(out, "\n{} {} ({region}, on-demand{source})", listed.cloud, listed.table);
            let _ = writeln!(out, "  {:<28} {:>5} {:>10}  {:<7} {:>12}", "class", "vCPU", "memory", "arch", "monthly");
        }
        let vcpu = listed.class.vcpu.map(|it| format!("{it}")).unwrap_or_else(|| "-".into());
        let memory = listed.class.memory_gib.map(|it| format!("{it} GiB")).unwrap_or_else(|| "-".into());
        let arch = listed.class.arch.as_deref().unwrap_or("-");
        let _ = writeln!(
            out,
            "  {:<28} {vcpu:>5} {memory:>10}  {arch:<7} {:>12}",
            listed.name,
            monthly(listed.class.hourly).to_string()
        );
    }
    out
}
