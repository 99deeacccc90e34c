//! Test fixtures in the style of rust-analyzer's: one or more files, each introduced by a
//! `//- /path.plan` line (a single file needs none), and `$0` where the cursor is.

use planc::db::SourceFile;
use planc::syntax::TextSize;

use crate::{Analysis, AnalysisHost};

pub(crate) const CURSOR: &str = "$0";

/// The analysis of the fixture's files, the file holding the cursor and the cursor's offset.
pub(crate) fn with_cursor(fixture: &str) -> (Analysis, SourceFile, TextSize) {
    let (host, cursor) = host(fixture);
    let (file, offset) = cursor.expect("the fixture has no $0");
    (host.analysis(), file, offset)
}

/// The analysis of the fixture's files and its first file (the fixture has no cursor).
pub(crate) fn files(fixture: &str) -> (Analysis, SourceFile) {
    let (host, _) = host(fixture);
    let analysis = host.analysis();
    let first = analysis.files().next().map(|it| it.1).expect("the fixture has no file");
    (analysis, first)
}

fn host(fixture: &str) -> (AnalysisHost, Option<(SourceFile, TextSize)>) {
    let mut host = AnalysisHost::default();
    let mut cursor = None;
    for (path, text) in split(fixture) {
        let (text, at) = match text.find(CURSOR) {
            Some(at) => (text.replacen(CURSOR, "", 1), Some(TextSize::from(at as u32))),
            None => (text, None),
        };
        let file = host.set_text(&path, text.into());
        if let Some(at) = at {
            cursor = Some((file, at));
        }
    }
    (host, cursor)
}

/// The files of a fixture, with the indentation of its first line removed from every line.
fn split(fixture: &str) -> Vec<(String, String)> {
    let fixture = fixture.trim_start_matches('\n');
    let indent = fixture.len() - fixture.trim_start().len();
    let mut files: Vec<(String, String)> = Vec::new();
    for line in fixture.lines() {
        let line = line.get(indent..).unwrap_or(line.trim_start());
        if let Some(path) = line.strip_prefix("//- ") {
            files.push((path.trim().to_string(), String::new()));
            continue;
        }
        if files.is_empty() {
            files.push(("/main.plan".to_string(), String::new()));
        }
        let text = &mut files.last_mut().unwrap().1;
        text.push_str(line);
        text.push('\n');
    }
    files
}

/// The text a range covers, for readable assertions.
pub(crate) fn text_at(analysis: &Analysis, file: SourceFile, range: planc::syntax::TextRange) -> String {
    analysis.text(file)[range].to_string()
}
