//! Embeds the catalog in `stdlib/` into the binary: writes `OUT_DIR/stdlib_files.rs`, a list of
//! `(path, include_str!(..))` pairs, so that adding a kind file needs no code change.

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("..").join("stdlib");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out = String::from("pub(crate) const STDLIB_FILES: &[(&str, &str)] = &[\n");
    for (relative, absolute) in &files {
        out.push_str(&format!("    ({relative:?}, include_str!({absolute:?})),\n"));
    }
    out.push_str("];\n");
    let out_path = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("stdlib_files.rs");
    std::fs::write(out_path, out).unwrap();
    println!("cargo:rerun-if-changed={}", root.display());
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
