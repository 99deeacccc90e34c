//! Lowering for an editor: each keystroke changes one top-level item of a file, so every other
//! item's block and diagnostics are taken from the file's previous lowering, moved to where the
//! item now starts, instead of being lowered again.
//!
//! An item is the same when its green node is the same allocation: the parser's item cache
//! (`syntax::parse_reusing`) hands back the earlier nodes of every run of items whose text did
//! not change, and the record keeps the node alive, so an address cannot be reused meanwhile.
//! A block's doc comment lies before its node, so it is compared too. Lowering an item reads
//! nothing outside it but the catalog and the file's path, and the cache is kept per path.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use plan_catalog::Catalog;
use plan_diagnostics::Diagnostic;
use plan_syntax::{ast, GreenNode, Parse, TextSize};

use crate::lower::Lowerer;
use crate::FileIr;

/// The last lowering of each file, for `lower_file_reusing`.
#[derive(Default)]
pub struct LoweringCache {
    files: Mutex<HashMap<Arc<str>, Previous>>,
}

impl std::fmt::Debug for LoweringCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files = self.files.lock().map(|it| it.len()).unwrap_or_default();
        f.debug_struct("LoweringCache").field("files", &files).finish()
    }
}

struct Previous {
    ir: Arc<FileIr>,
    diagnostics: Vec<Diagnostic>,
    items: Vec<ItemRecord>,
}

struct ItemRecord {
    green: GreenNode,
    doc: Option<String>,
    start: TextSize,
    /// Its block in `Previous::ir`, when it lowered to one.
    block: Option<usize>,
    /// Its diagnostics in `Previous::diagnostics`.
    diagnostics: Range<usize>,
}

/// Lowers a file like `lower_file`, taking every unchanged top-level item from the file's
/// previous lowering in `cache`. The result is the same as `lower_file`'s (tested on edited
/// files); only the work differs.
pub fn lower_file_reusing(
    parse: &Parse,
    file: &Arc<str>,
    catalog: &Catalog,
    cache: &LoweringCache,
) -> (Arc<FileIr>, Vec<Diagnostic>) {
    let previous = cache.files.lock().ok().and_then(|mut files| files.remove(file));
    let by_node: HashMap<*const (), &ItemRecord> =
        previous.iter().flat_map(|it| &it.items).map(|record| (address(&record.green), record)).collect();
    let mut lowerer = Lowerer::new(file, catalog);
    let mut blocks = Vec::new();
    let mut items = Vec::new();
    for item in parse.tree().items() {
        let node = item.syntax();
        let green = node.green().into_owned();
        let doc = ast::doc_comment(node);
        let start = node.text_range().start();
        let first_diagnostic = lowerer.diagnostics.len();
        let reused = by_node.get(&address(&green)).filter(|record| record.doc == doc);
        let block = match (reused, &previous) {
            (Some(record), Some(previous)) => {
                let delta = i64::from(u32::from(start)) - i64::from(u32::from(record.start));
                for diagnostic in &previous.diagnostics[record.diagnostics.clone()] {
                    let mut diagnostic = diagnostic.clone();
                    diagnostic.shift(delta);
                    lowerer.diagnostics.push(diagnostic);
                }
                record.block.map(|index| {
                    let mut block = previous.ir.blocks[index].clone();
                    block.shift(delta);
                    block
                })
            }
            _ => lowerer.top_item(item),
        };
        let index = block.map(|block| {
            blocks.push(block);
            blocks.len() - 1
        });
        items.push(ItemRecord {
            green,
            doc,
            start,
            block: index,
            diagnostics: first_diagnostic..lowerer.diagnostics.len(),
        });
    }
    drop(by_node);
    let ir = Arc::new(FileIr { blocks: crate::lower::exact(blocks) });
    let diagnostics = lowerer.diagnostics;
    if let Ok(mut files) = cache.files.lock() {
        files.insert(file.clone(), Previous { ir: ir.clone(), diagnostics: diagnostics.clone(), items });
    }
    (ir, diagnostics)
}

/// Where a node lives: the identity of an item the parser handed back unchanged.
fn address(green: &GreenNode) -> *const () {
    std::ptr::from_ref(&**green).cast()
}

#[cfg(test)]
mod tests {
    use super::*;
    use plan_syntax::ItemCache;

    fn corpus() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        let mut dirs = vec![root.join("examples"), root.join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|it| it == "plan") {
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        files.push(text);
                    }
                }
            }
        }
        files.sort();
        files
    }

    /// What an edit inserts: text that changes an item, splits or joins items, moves the items
    /// after it, or changes a doc comment above an item the edit leaves alone.
    const PIECES: &[&str] =
        &["x", "\n", "\n\n", "/// doc\n", "}", "{", "a = 1\n", "bucket b {}\n", "\"", "  ", "// c\n", "=", "2..9"];

    #[test]
    fn lowering_with_reuse_equals_lowering_afresh_after_edits() {
        let corpus = corpus();
        assert!(corpus.len() > 50);
        let catalog = Catalog::builtin();
        let file: Arc<str> = Arc::from("edited.plan");
        // A fixed pseudo-random sequence: the same edits on every run.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound.max(1) as u64) as usize
        };
        let mut reused_items = 0;
        for original in &corpus {
            let (items, lowering) = (ItemCache::default(), LoweringCache::default());
            let mut text = original.clone();
            for _ in 0..12 {
                let reused = lower_file_reusing(&plan_syntax::parse_reusing(&text, &items), &file, catalog, &lowering);
                let fresh = crate::lower_file(&plan_syntax::parse(&text), &file, catalog);
                assert_eq!(*reused.0, fresh.0, "IR differs on {text:?}");
                assert_eq!(reused.1, fresh.1, "diagnostics differ on {text:?}");
                reused_items += reused.0.blocks.len();
                // The next edit, at a character boundary.
                let mut at = next(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                if next(3) == 0 && at < text.len() {
                    let mut end = (at + 1 + next(8)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(at..end, "");
                } else {
                    text.insert_str(at, PIECES[next(PIECES.len())]);
                }
            }
        }
        assert!(reused_items > 1000, "the corpus lowered to {reused_items} blocks");
    }
}
