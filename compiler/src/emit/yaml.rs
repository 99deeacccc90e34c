//! YAML documents from JSON values, keys in insertion order (serde_json `preserve_order`).

use serde_json::Value as Json;

/// Several documents in one file, each introduced by `---`.
pub fn documents(docs: &[Json]) -> String {
    let mut out = String::new();
    for doc in docs {
        out.push_str("---\n");
        out.push_str(&serde_yaml_ng::to_string(doc).unwrap_or_default());
    }
    out
}

pub fn document(doc: &Json) -> String {
    serde_yaml_ng::to_string(doc).unwrap_or_default()
}
