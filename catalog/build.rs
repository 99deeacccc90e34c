//! Embeds the catalog in `stdlib/` into the binary.
//!
//! - `OUT_DIR/stdlib_files.rs`: a list of `(path, include_str!(..))` pairs, so that adding a kind
//!   file needs no code change, and the same for every TOML table converted to JSON, which is
//!   what `planc` parses at run time.
//! - `OUT_DIR/generated_compute.rs`: the generated compute price tables
//!   (`stdlib/pricing/generated/<cloud>-compute.toml`, thousands of classes) compiled to sorted
//!   static arrays, so that `planc` looks a class up by binary search instead of parsing the
//!   TOML at every start.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("..").join("stdlib");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out = String::from("pub(crate) const STDLIB_FILES: &[(&str, &str)] = &[\n");
    // The code documentation pages are embedded by `plan-diagnostics`, which owns the codes.
    let embedded = |relative: &str| !relative.starts_with("pricing/generated/") && !relative.starts_with("docs/");
    for (relative, absolute) in files.iter().filter(|(relative, _)| embedded(relative)) {
        out.push_str(&format!("    ({relative:?}, include_str!({absolute:?})),\n"));
    }
    out.push_str("];\n");
    // The TOML tables again, as JSON: parsing JSON is an order of magnitude cheaper than
    // parsing TOML with its comments, and `planc` parses these at every start. A TOML error
    // stops the build here, with the file and the position.
    out.push_str("pub(crate) const STDLIB_JSON: &[(&str, &str)] = &[\n");
    for (relative, absolute) in files.iter().filter(|(relative, _)| relative.ends_with(".toml")) {
        if relative.starts_with("pricing/generated/") {
            continue;
        }
        let text = std::fs::read_to_string(absolute).unwrap();
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|error| panic!("stdlib/{relative}: {error}"));
        let json = serde_json::to_string(&table).unwrap();
        let target = out_dir.join("stdlib-json").join(relative.replace('/', "__")).with_extension("json");
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, json).unwrap();
        out.push_str(&format!("    ({relative:?}, include_str!({:?})),\n", target.display().to_string()));
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("stdlib_files.rs"), out).unwrap();
    std::fs::write(out_dir.join("generated_compute.rs"), generated_compute(&root)).unwrap();
    println!("cargo:rerun-if-changed={}", root.display());
}

/// `pub(crate) static GENERATED_COMPUTE: &[GeneratedTable]`, one table per cloud, classes sorted
/// by name.
fn generated_compute(root: &Path) -> String {
    let mut out = String::from("pub(crate) static GENERATED_COMPUTE: &[GeneratedTable] = &[\n");
    for cloud in ["aws", "azure", "gcp"] {
        let path = root.join("pricing/generated").join(format!("{cloud}-compute.toml"));
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let compute = table["compute"].as_table().expect("a [compute] table");
        let source = compute["source"].as_table().expect("a [compute.source] table");
        let field = |name: &str| source.get(name).and_then(|it| it.as_str()).unwrap_or_default().to_string();
        let regions: Vec<&str> = source
            .get("regions")
            .and_then(|it| it.as_array())
            .map_or(Vec::new(), |list| list.iter().filter_map(|it| it.as_str()).collect());
        write!(
            out,
            "    GeneratedTable {{ cloud: {cloud:?}, date: {:?}, url: {:?}, regions: &{regions:?}, classes: &[\n",
            field("date"),
            field("url")
        )
        .unwrap();
        let mut names: Vec<&String> = compute.keys().filter(|it| *it != "source").collect();
        names.sort();
        for name in names {
            let entry = compute[name].as_table().expect("a class is a table");
            let number = |key: &str| match entry.get(key) {
                Some(toml::Value::Integer(n)) => format!("Some({}f64)", n),
                Some(toml::Value::Float(n)) => format!("Some({n:?}f64)"),
                _ => "None".into(),
            };
            let text = |key: &str| match entry.get(key).and_then(|it| it.as_str()) {
                Some(value) => format!("Some({value:?})"),
                None => "None".into(),
            };
            let hourly = entry["hourly"].as_str().expect("hourly is a decimal string");
            writeln!(
                out,
                "        GeneratedClass {{ name: {name:?}, vcpu: {}, memory_gib: {}, arch: {}, hourly: {hourly:?}, regional: {:?} }},",
                number("vcpu"),
                number("memory_gib"),
                text("arch"),
                entry.get("regional").and_then(|it| it.as_str()).unwrap_or("")
            )
            .unwrap();
        }
        out.push_str("    ], unpriced: &[");
        // Real classes with no price (e.g. EC2 types from botocore's enum), sorted.
        if let Some(names) = table.get("unpriced").and_then(|it| it.get("names")).and_then(|it| it.as_array()) {
            let mut names: Vec<&str> = names.iter().filter_map(|it| it.as_str()).collect();
            names.sort();
            for name in names {
                write!(out, "{name:?}, ").unwrap();
            }
        }
        out.push_str("] },\n");
    }
    out.push_str("];\n");
    out
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(root, &path, files);
        } else if matches!(path.extension().and_then(|it| it.to_str()), Some("toml" | "md")) {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            files.push((relative, path.canonicalize().unwrap().to_string_lossy().into_owned()));
        }
    }
}
