//! Code that reads an attribute by name reads one the catalog has: a typo or a renamed
//! attribute fails here instead of silently reading nothing.

mod common;

use std::collections::BTreeSet;

use common::repo_root;
use planc::catalog::Catalog;

/// Every attribute and object field name the catalog declares, on any kind.
fn catalog_names() -> BTreeSet<String> {
    let catalog = Catalog::builtin();
    let mut names = BTreeSet::new();
    for attr in catalog.kinds().flat_map(|kind| kind.attrs.iter()).chain(catalog.common.iter()) {
        names.insert(attr.name.clone());
        for field in &attr.fields {
            names.insert(format!("{}.{}", attr.name, field.name));
            // Readers of one object's fields (`days(attrs, "expire")` on `lifecycle`).
            names.insert(field.name.clone());
        }
    }
    names
}

fn rust_files(dir: &std::path::Path, acc: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, acc);
        } else if path.extension().is_some_and(|it| it == "rs") {
            acc.push(path);
        }
    }
}

/// The quoted name after `prefix` (`attrs, "` or `attrs.get("`), up to the closing quote.
fn names_after<'a>(text: &'a str, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    text.match_indices(prefix).filter_map(move |(at, _)| {
        let rest = &text[at + prefix.len()..];
        let name = &rest[..rest.find('"')?];
        name.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_').then_some(name)
    })
}

#[test]
fn every_attribute_name_the_code_reads_is_in_the_catalog() {
    let known = catalog_names();
    let mut files = Vec::new();
    rust_files(&repo_root().join("compiler/src"), &mut files);
    rust_files(&repo_root().join("lsp/src"), &mut files);
    let mut unknown = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        // Readers take the env's attributes first: `get_str(attrs, "tier")`, `attrs.get("tier")`,
        // `field(attrs, "backup", "retention")`.
        let mut read: Vec<String> = Vec::new();
        for prefix in ["attrs, \"", "attrs.get(\"", "pool_attrs, \"", "child_attrs, \""] {
            read.extend(names_after(&text, prefix).map(String::from));
        }
        for (at, _) in text.match_indices("field(") {
            let call = &text[at..text.len().min(at + 120)];
            let quoted: Vec<&str> = call.split('"').skip(1).step_by(2).take(2).collect();
            if let [attr, field] = quoted[..] {
                if call.split('"').next().is_some_and(|head| head.contains("attrs")) {
                    read.push(format!("{attr}.{field}"));
                }
            }
        }
        for name in read {
            let well_formed = name.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch == '.');
            // Some readers take the kind first, for its defaults: `boolean(attrs, "vm", "spot")`.
            let is_kind = Catalog::builtin().kind(&name).is_some();
            if well_formed && !is_kind && !known.contains(&name) {
                unknown.push(format!("{}: `{name}`", path.strip_prefix(repo_root()).unwrap().display()));
            }
        }
    }
    assert!(unknown.is_empty(), "attributes the catalog does not declare:\n{}", unknown.join("\n"));
}
