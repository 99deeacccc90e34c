//! 2,000 random edits, syntax-breaking ones included, with diagnostics and hover requested in
//! between: the server never stops answering, and its final diagnostics are exactly those of
//! `planc check` on the final text.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;

/// A small deterministic generator, so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "{",
    "}",
    "=",
    "\"",
    " ",
    "\n",
    "replicas = 2..6",
    "cpu = 2Gi",
    "apps",
    "é",
    "😀",
    "..",
    "[",
    "]",
    "//",
    "env prod { }",
    "$5/mo",
    "x",
];

fn utf16_position(text: &str, byte: usize) -> (u32, u32) {
    let before = &text[..byte];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |it| it + 1);
    (line, before[line_start..].encode_utf16().count() as u32)
}

#[test]
fn two_thousand_random_edits_end_in_the_same_diagnostics_as_planc_check() {
    let source = repo_root().join("tests/fixtures/lsp/workspace");
    let root = std::env::temp_dir().join(format!("plan-lsp-stress-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    for entry in std::fs::read_dir(&source).unwrap().flatten() {
        std::fs::copy(entry.path(), root.join(entry.file_name())).unwrap();
    }
    let path = root.join("services.plan");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let mut client = Client::start();
    client.initialize(&root);
    client.open(&path);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for version in 2..2002 {
        let mut start = rng.below(text.len() + 1);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + rng.below(6)).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let insert = if rng.below(3) == 0 { "" } else { PIECES[rng.below(PIECES.len())] };
        let (start_line, start_char) = utf16_position(&text, start);
        let (end_line, end_char) = utf16_position(&text, end);
        text.replace_range(start..end, insert);
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri(&path), "version": version },
                "contentChanges": [{ "range": { "start": { "line": start_line, "character": start_char }, "end": { "line": end_line, "character": end_char } }, "text": insert }],
            }),
        );
        if version % 50 == 0 {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let (line, character) = utf16_position(&text, at);
            let hover = client.request_response(
                "textDocument/hover",
                json!({ "textDocument": { "uri": uri(&path) }, "position": { "line": line, "character": character } }),
            );
            assert!(hover.get("error").is_none(), "hover failed after edit {version}: {hover}");
        }
    }
    client.settle(Duration::from_millis(500));
    // The same files through the compiler, as `planc check` reads them.
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        let file = entry.path();
        let bytes = if file == path { text.clone().into_bytes() } else { std::fs::read(&file).unwrap() };
        files.push((file.to_string_lossy().into_owned(), bytes));
    }
    let (db, workspace) = planc::db::Database::with_files(files);
    let expected: Vec<(String, String)> = planc::db::all_diagnostics(&db, workspace)
        .iter()
        .filter(|it| &*it.primary.file == path.to_string_lossy().as_ref())
        .map(|it| (it.code.to_string(), it.message.clone()))
        .collect();
    let published: Vec<(String, String)> = client.diagnostics[&uri(&path)]
        .as_array()
        .unwrap()
        .iter()
        .map(|it| {
            (
                it["code"].as_str().unwrap().to_string(),
                it["message"].as_str().unwrap().split("\nhelp:").next().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(published, expected, "final text:\n{text}");
    client.shutdown();
    let _ = std::fs::remove_dir_all(&root);
}
