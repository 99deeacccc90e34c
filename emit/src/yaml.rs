//! YAML documents from JSON values, keys in insertion order (serde_json `preserve_order`).
//!
//! A small block-style writer rather than a general YAML serializer: manifests are plain
//! maps, lists and scalars, and a generic emitter was most of the time of a large
//! `build --target k8s`. Strings are written plain only when no YAML 1.1 or 1.2 reader
//! could take them for anything but a string; everything else is double-quoted.

use std::fmt::Write;

use serde_json::Value as Json;

/// Several documents in one file, each introduced by `---`.
pub fn documents(docs: &[Json]) -> String {
    let mut out = String::new();
    for doc in docs {
        out.push_str("---\n");
        write_document(&mut out, doc);
    }
    out
}

pub fn document(doc: &Json) -> String {
    let mut out = String::new();
    write_document(&mut out, doc);
    out
}

fn write_document(out: &mut String, doc: &Json) {
    match doc {
        Json::Object(map) if !map.is_empty() => write_map(out, map, 0, false),
        Json::Array(items) if !items.is_empty() => write_seq(out, items, 0, false),
        scalar => {
            write_scalar(out, scalar);
            out.push('\n');
        }
    }
}

/// `inline_first`: the first entry continues a line already begun (after `- `).
fn write_map(out: &mut String, map: &serde_json::Map<String, Json>, indent: usize, inline_first: bool) {
    for (index, (key, value)) in map.iter().enumerate() {
        if index > 0 || !inline_first {
            push_indent(out, indent);
        }
        write_string(out, key);
        out.push(':');
        match value {
            Json::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                write_map(out, inner, indent + 2, false);
            }
            // Lists under a key sit at the key's indentation, as kubectl writes them.
            Json::Array(items) if !items.is_empty() => {
                out.push('\n');
                write_seq(out, items, indent, false);
            }
            scalar => {
                out.push(' ');
                write_scalar(out, scalar);
                out.push('\n');
            }
        }
    }
}

fn write_seq(out: &mut String, items: &[Json], indent: usize, inline_first: bool) {
    for (index, item) in items.iter().enumerate() {
        if index > 0 || !inline_first {
            push_indent(out, indent);
        }
        out.push_str("- ");
        match item {
            Json::Object(inner) if !inner.is_empty() => write_map(out, inner, indent + 2, true),
            Json::Array(inner) if !inner.is_empty() => write_seq(out, inner, indent + 2, true),
            scalar => {
                write_scalar(out, scalar);
                out.push('\n');
            }
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = indent;
    while left > 0 {
        let step = left.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        left -= step;
    }
}

fn write_scalar(out: &mut String, value: &Json) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Json::Number(number) => {
            // Writing into `out` cannot fail.
            let _ = write!(out, "{number}");
        }
        Json::String(text) => write_string(out, text),
        Json::Object(_) => out.push_str("{}"),
        Json::Array(_) => out.push_str("[]"),
    }
}

fn write_string(out: &mut String, text: &str) {
    if is_plain_safe(text) {
        out.push_str(text);
        return;
    }
    out.push('"');
    // Runs that need no escape are copied whole: most quoted strings (commands, URLs with
    // a `:`) have none at all.
    let mut run_start = 0;
    for (at, ch) in text.char_indices() {
        let escaped = match ch {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\t' => "\\t",
            '\r' => "\\r",
            // Control characters, and the characters YAML readers treat as line breaks or a
            // byte-order mark, are not allowed (or not kept) as themselves.
            ch if ch.is_control() || matches!(ch, '\u{2028}' | '\u{2029}' | '\u{feff}') => "",
            _ => continue,
        };
        out.push_str(&text[run_start..at]);
        run_start = at + ch.len_utf8();
        if escaped.is_empty() {
            let _ = write!(out, "\\u{:04x}", ch as u32);
        } else {
            out.push_str(escaped);
        }
    }
    out.push_str(&text[run_start..]);
    out.push('"');
}

/// Starts with a letter or `/`, holds only letters, digits and `_ . / -`, and is not a word
/// that YAML 1.1 reads as a boolean or null (`yes`, `off`, `null`, ...).
fn is_plain_safe(text: &str) -> bool {
    let Some(&first) = text.as_bytes().first() else { return false };
    if !(first.is_ascii_alphabetic() || first == b'/') {
        return false;
    }
    if !text.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'/' | b'-')) {
        return false;
    }
    const RESERVED: [&str; 11] = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"];
    text.len() > 5 || !RESERVED.iter().any(|word| text.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(doc: Json) {
        let text = document(&doc);
        let back: Json = serde_yaml_ng::from_str(&text).unwrap_or_else(|error| panic!("{error}\n{text}"));
        assert_eq!(back, doc, "\n{text}");
    }

    #[test]
    fn scalars_that_look_like_other_types_stay_strings() {
        for text in [
            "",
            "8080",
            "1.34",
            "0x1F",
            "1e3",
            "-1",
            "+1",
            ".inf",
            ".NaN",
            "~",
            "null",
            "Null",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "true",
            "2026-11-22",
            "12:30",
            "a: b",
            "- a",
            "# c",
            "a #b",
            "*ref",
            "&anchor",
            "!tag",
            "%x",
            "@x",
            "`x",
            "{a}",
            "[a]",
            "'q'",
            "\"q\"",
            "line\nbreak",
            "tab\there",
            " lead",
            "trail ",
            "ghcr.io/acme/api:1.4.2",
            "\u{7f}\u{85}\u{2028}\u{feff}",
            "ünïcödé",
            "emoji 🚀",
            "back\\slash",
            "?",
            ">",
            "|",
            ",",
        ] {
            round_trip(json!({ text: text, "list": [text, { text: [text] }] }));
        }
    }

    #[test]
    fn nested_maps_and_lists_round_trip() {
        round_trip(json!({
            "apiVersion": "apps/v1",
            "metadata": { "name": "api", "labels": { "app.kubernetes.io/name": "api" }, "annotations": {} },
            "spec": {
                "replicas": 2,
                "ratio": 0.5,
                "enabled": false,
                "nothing": null,
                "empty": [],
                "containers": [
                    { "name": "api", "ports": [{ "containerPort": 8080 }], "args": ["--port", "8080"] },
                    { "name": "side", "env": [] },
                ],
                "matrix": [[1, 2], [], [[3]]],
            },
        }));
    }

    #[test]
    fn plain_strings_are_written_bare() {
        assert_eq!(document(&json!({ "name": "api", "path": "/healthz" })), "name: api\npath: /healthz\n");
        assert_eq!(document(&json!({ "port": "8080" })), "port: \"8080\"\n");
    }
}
