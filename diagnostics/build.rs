//! Embeds the documentation page of every diagnostic code, `stdlib/docs/<CODE>.md`, as
//! `OUT_DIR/code_docs.rs`: a sorted list of `(code, include_str!(..))` pairs.

use std::path::PathBuf;

fn main() {
    let docs = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../stdlib/docs");
    let mut pages: Vec<(String, PathBuf)> = std::fs::read_dir(&docs)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|it| it == "md"))
        .map(|path| (path.file_stem().unwrap().to_string_lossy().into_owned(), path))
        .collect();
    pages.sort();
    let mut out = String::from("pub(crate) const CODE_DOCS: &[(&str, &str)] = &[\n");
    for (code, path) in &pages {
        out.push_str(&format!("    ({code:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("code_docs.rs");
    std::fs::write(target, out).unwrap();
    println!("cargo:rerun-if-changed={}", docs.display());
}
