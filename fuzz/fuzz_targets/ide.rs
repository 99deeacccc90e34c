//! Every editor feature of `plan-ide` on any text, at a position taken from the input: hover,
//! completion, navigation, rename, code actions, symbols, hints, tokens, folding, selection,
//! formatting and the cost report must answer, never panic.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use plan_ide::AnalysisHost;
use planc::syntax::{TextRange, TextSize};

const OTHER: &str = "plan demo { cloud = aws  region = \"us-east-1\" }\nenv prod { }\n\
                     database orders { engine = postgres  version = \"16\"  tier = \"db.t4g.medium\" }\n";

fuzz_target!(|data: &[u8]| {
    // The first two bytes place the cursor; the rest is the file.
    let (at, text) = match data {
        [high, low, rest @ ..] => (u16::from_be_bytes([*high, *low]) as usize, rest),
        _ => return,
    };
    let mut host = AnalysisHost::default();
    host.set_text("/other.plan", OTHER.into());
    let file = host.set_bytes("/main.plan", text.to_vec());
    let analysis = host.analysis();
    let source = analysis.text(file).clone();
    let mut offset = at.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let offset = TextSize::from(offset as u32);
    let cursor = TextRange::empty(offset);
    let _ = analysis.diagnostics();
    let _ = analysis.hover(file, offset);
    let _ = analysis.completions(file, offset);
    let _ = analysis.definition(file, offset);
    if let Ok(Some((name, _))) = analysis.prepare_rename(file, offset) {
        let _ = analysis.declaration(&name);
        let _ = analysis.references(&name);
        let _ = analysis.rename(file, offset, "renamed", &BTreeSet::from([format!("database {name}")]));
    }
    let _ = analysis.code_actions(file, cursor);
    let _ = analysis.code_actions(file, TextRange::up_to(TextSize::from(source.len() as u32)));
    let _ = analysis.document_symbols(file);
    let _ = analysis.workspace_symbols("o");
    let _ = analysis.inlay_hints(file);
    let _ = analysis.semantic_tokens(file);
    let _ = analysis.folding_ranges(file);
    let _ = analysis.selection_ranges(file, offset);
    let _ = analysis.format(file);
    let _ = analysis.cost_report(None);
    let _ = analysis.line_index(file);
});
