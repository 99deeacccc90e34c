//! The four ways diagnostics leave `planc`: terminal text with source snippets (ariadne),
//! JSON, SARIF 2.1.0 for code-scanning upload, and GitHub workflow commands.
//!
//! Every renderer takes diagnostics that are already sorted and the text of each file.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use ariadne::{Config, IndexType, Label as AriadneLabel, Report, ReportKind};
use serde_json::{json, Value as Json};

use super::{code_info, Diagnostic, LineIndex, Severity, CODES};
use plan_syntax::{TextRange, TextSize};

/// File path to file text, for every file a diagnostic may point into.
pub type Sources = BTreeMap<Arc<str>, Arc<str>>;

pub const TOOL_NAME: &str = "planc";
pub const TOOL_URI: &str = "https://github.com/plan-lang/plan";

/// Human-readable reports with source snippets, as `planc check` prints them.
///
/// Each file is indexed once for the whole batch (ariadne's line table and our character
/// offsets), so rendering N diagnostics costs N snippets, not N passes over every file.
pub fn terminal(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    terminal_at_most(diagnostics, sources, color, usize::MAX)
}

/// [`terminal`] showing at most `per_code` reports of each code, as rustc does with floods: the
/// rest of a code is one line with its count, and the totals count everything.
pub fn terminal_at_most(diagnostics: &[Diagnostic], sources: &Sources, color: bool, per_code: usize) -> String {
    let mut shown: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut hidden: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let visible: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|it| {
            let count = shown.entry(it.code).or_default();
            *count += 1;
            if *count > per_code {
                *hidden.entry((it.code, it.severity.as_str())).or_default() += 1;
            }
            *count <= per_code
        })
        .cloned()
        .collect();
    let mut text = render_all(&visible, sources, color);
    for ((code, severity), count) in &hidden {
        text.push_str(&format!(
            "... and {count} more {severity}{} {code} not shown (`--max-diagnostics 0` shows all; JSON and SARIF list every one)\n",
            if *count == 1 { "" } else { "s" }
        ));
    }
    if !hidden.is_empty() {
        text.push('\n');
    }
    text.push_str(&totals(diagnostics));
    text
}

/// The closing line: `2 errors, 1 warning`, or nothing when there is nothing.
fn totals(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings, infos) = count(diagnostics);
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if infos > 0 {
        parts.push(plural(infos, "note"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}\n", parts.join(", "))
    }
}

fn render_all(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let mut out = Vec::new();
    // Only the files a diagnostic points into are indexed.
    let mentioned: std::collections::HashSet<&str> = diagnostics
        .iter()
        .flat_map(|it| std::iter::once(&it.primary).chain(it.secondary.iter()))
        .map(|label| &*label.file)
        .collect();
    let mut cache = ariadne::sources(
        sources
            .iter()
            .filter(|(path, _)| mentioned.contains(&***path))
            .map(|(path, text)| (path.to_string(), Arc::clone(text))),
    );
    let lines = Lines::new(sources);
    for diagnostic in diagnostics {
        render_one(diagnostic, &lines, color, &mut cache, &mut out);
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize, usize) {
    let errors = diagnostics.iter().filter(|it| it.severity == Severity::Error).count();
    let warnings = diagnostics.iter().filter(|it| it.severity == Severity::Warning).count();
    (errors, warnings, diagnostics.len() - errors - warnings)
}

/// One report through ariadne, which is given character offsets: with byte offsets it mixes
/// the two kinds for a label in another file than the report's, and panics after non-ASCII
/// text.
fn render_one(
    diagnostic: &Diagnostic,
    lines: &Lines<'_>,
    color: bool,
    cache: &mut impl ariadne::Cache<String>,
    out: &mut Vec<u8>,
) {
    let sources = lines.sources;
    let text = sources.get(&diagnostic.primary.file).cloned().unwrap_or_default();
    let kind = match diagnostic.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
        Severity::Info => ReportKind::Advice,
    };
    let span = |label: &super::Label| -> (String, std::ops::Range<usize>) {
        let start = lines.char_offset(&label.file, usize::from(label.range.start()));
        let end = lines.char_offset(&label.file, usize::from(label.range.end())).max(start);
        (label.file.to_string(), start..end)
    };
    let config = Config::default().with_color(color).with_index_type(IndexType::Char);
    let mut report = Report::build(kind, span(&diagnostic.primary))
        .with_config(config)
        .with_code(diagnostic.code)
        .with_message(&diagnostic.message);
    if !text.is_empty() {
        let mut primary = AriadneLabel::new(span(&diagnostic.primary)).with_order(0);
        if !diagnostic.primary.message.is_empty() {
            primary = primary.with_message(&diagnostic.primary.message);
        }
        report = report.with_label(primary);
        for (index, label) in diagnostic.secondary.iter().enumerate() {
            if sources.get(&label.file).is_some_and(|it| !it.is_empty()) {
                report = report.with_label(
                    AriadneLabel::new(span(label)).with_message(&label.message).with_order(index as i32 + 1),
                );
            }
        }
    }
    for note in &diagnostic.notes {
        report = report.with_note(note);
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_help(help);
    }
    if text.is_empty() {
        // Nothing to show a snippet of (an unreadable file): a header and the notes suffice.
        out.extend_from_slice(
            format!("{}[{}]: {}\n", diagnostic.severity.as_str(), diagnostic.code, diagnostic.message).as_bytes(),
        );
        out.extend_from_slice(format!("  --> {}\n", diagnostic.primary.file).as_bytes());
        for note in &diagnostic.notes {
            out.extend_from_slice(format!("  = note: {note}\n").as_bytes());
        }
        if let Some(help) = &diagnostic.help {
            out.extend_from_slice(format!("  = help: {help}\n").as_bytes());
        }
        out.push(b'\n');
        return;
    }
    if report.finish().write(&mut *cache, &mut *out).is_err() {
        out.extend_from_slice(
            format!("{}[{}]: {}\n", diagnostic.severity.as_str(), diagnostic.code, diagnostic.message).as_bytes(),
        );
    }
    out.push(b'\n');
}

/// The sources with one line index per file, built the first time a position in the file is
/// asked for: rendering thousands of diagnostics must not index a file thousands of times.
struct Lines<'a> {
    sources: &'a Sources,
    indexes: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<LineIndex>>>,
}

impl<'a> Lines<'a> {
    fn new(sources: &'a Sources) -> Lines<'a> {
        Lines { sources, indexes: Default::default() }
    }

    fn text(&self, file: &str) -> &'a str {
        self.sources.get(file).map_or("", |it| it.as_ref())
    }

    /// A 1-based line and column (in characters) of a byte offset, as JSON, SARIF and GitHub
    /// count.
    fn position(&self, file: &str, offset: TextSize) -> (u32, u32) {
        let at = self.index(file).line_col(self.text(file), offset);
        (at.line + 1, at.col + 1)
    }

    /// Characters from the start of the file to a byte offset.
    fn char_offset(&self, file: &str, offset: usize) -> usize {
        self.index(file).char_offset(self.text(file), TextSize::from(offset.min(u32::MAX as usize) as u32)) as usize
    }

    fn index(&self, file: &str) -> std::rc::Rc<LineIndex> {
        let text = self.text(file);
        std::rc::Rc::clone(
            self.indexes.borrow_mut().entry(file.to_string()).or_insert_with(|| std::rc::Rc::new(LineIndex::new(text))),
        )
    }
}

/// Machine-readable diagnostics: lines and columns are 1-based, columns count characters,
/// offsets are bytes. Written straight from the diagnostics by serde, without a `Value` tree
/// per diagnostic; the field order is the format's.
pub fn json(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let lines = Lines::new(sources);
    let range = |file: &str, range: TextRange| {
        let (start_line, start_column) = lines.position(file, range.start());
        let (end_line, end_column) = lines.position(file, range.end());
        JsonRange {
            start: JsonPosition { line: start_line, column: start_column, offset: range.start().into() },
            end: JsonPosition { line: end_line, column: end_column, offset: range.end().into() },
        }
    };
    let items: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|diagnostic| JsonDiagnostic {
            code: diagnostic.code,
            name: code_info(diagnostic.code).map(|it| it.name),
            severity: diagnostic.severity,
            message: &diagnostic.message,
            file: &diagnostic.primary.file,
            range: range(&diagnostic.primary.file, diagnostic.primary.range),
            label: &diagnostic.primary.message,
            related: diagnostic
                .secondary
                .iter()
                .map(|label| JsonRelated {
                    file: &label.file,
                    range: range(&label.file, label.range),
                    message: &label.message,
                })
                .collect(),
            notes: &diagnostic.notes,
            help: diagnostic.help.as_deref(),
            fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
                title: &fix.title,
                applicability: fix.applicability,
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| JsonEdit {
                        file: &edit.file,
                        range: range(&edit.file, edit.range),
                        new_text: &edit.new_text,
                    })
                    .collect(),
            }),
        })
        .collect();
    let (errors, warnings, infos) = count(diagnostics);
    let document = JsonDocument { diagnostics: items, summary: JsonSummary { errors, warnings, infos } };
    let mut out = Vec::with_capacity(512 * diagnostics.len() + 128);
    match serde_json::to_writer_pretty(&mut out, &document) {
        Ok(()) => String::from_utf8(out).unwrap_or_default() + "\n",
        Err(_) => String::new(),
    }
}

#[derive(serde::Serialize)]
struct JsonDocument<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

#[derive(serde::Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: Option<&'static str>,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    range: JsonRange,
    label: &'a str,
    related: Vec<JsonRelated<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
    fix: Option<JsonFix<'a>>,
}

#[derive(serde::Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    range: JsonRange,
    message: &'a str,
}

#[derive(serde::Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: super::Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(serde::Serialize)]
struct JsonEdit<'a> {
    file: &'a str,
    range: JsonRange,
    new_text: &'a str,
}

#[derive(serde::Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(serde::Serialize)]
struct JsonPosition {
    line: u32,
    column: u32,
    offset: u32,
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF artifact URI: relative paths with forward slashes, absolute ones as `file://`.
fn sarif_uri(file: &str) -> String {
    let path = file.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path).to_string();
    let encoded: String = path
        .chars()
        .map(|ch| match ch {
            ' ' => "%20".to_string(),
            '%' => "%25".to_string(),
            '#' => "%23".to_string(),
            '?' => "%3F".to_string(),
            _ => ch.to_string(),
        })
        .collect();
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

fn sarif_region(lines: &Lines<'_>, file: &str, range: TextRange) -> SarifRegion {
    let (start_line, start_column) = lines.position(file, range.start());
    let (end_line, end_column) = lines.position(file, range.end());
    let text = lines.text(file);
    let start = usize::from(range.start()).min(text.len());
    let end = usize::from(range.end()).min(text.len()).max(start);
    SarifRegion {
        start_line,
        start_column,
        end_line,
        end_column,
        char_offset: lines.char_offset(file, start),
        char_length: text.get(start..end).map_or(0, |it| it.chars().count()),
    }
}

fn sarif_location(lines: &Lines<'_>, file: &str, range: TextRange) -> SarifPhysical {
    SarifPhysical {
        artifact_location: SarifArtifact { uri: sarif_uri(file) },
        region: sarif_region(lines, file, range),
    }
}

/// SARIF 2.1.0, one run, every code as a rule with its documentation. Results are serialized
/// straight from the diagnostics, without a `Value` tree each; the field order is the format's.
pub fn sarif(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let lines = Lines::new(sources);
    let rules: Vec<Json> = CODES
        .iter()
        .map(|info| {
            json!({
                "id": info.code,
                "name": info.name,
                "shortDescription": { "text": info.summary },
                "fullDescription": { "text": info.summary },
                "help": { "text": info.doc(), "markdown": info.doc() },
                "defaultConfiguration": { "level": sarif_level(info.severity) },
            })
        })
        .collect();
    let results: Vec<SarifResult<'_>> = diagnostics
        .iter()
        .map(|diagnostic| {
            let mut text = diagnostic.message.clone();
            for note in &diagnostic.notes {
                text.push_str(&format!("\nnote: {note}"));
            }
            if let Some(help) = &diagnostic.help {
                text.push_str(&format!("\nhelp: {help}"));
            }
            let related_locations = diagnostic
                .secondary
                .iter()
                .enumerate()
                .map(|(id, label)| SarifRelated {
                    physical_location: sarif_location(&lines, &label.file, label.range),
                    id,
                    message: SarifText { text: Cow::Borrowed(&label.message) },
                })
                .collect();
            let fixes = diagnostic.fix.as_ref().map(|fix| {
                let mut by_file: BTreeMap<&str, Vec<SarifReplacement<'_>>> = BTreeMap::new();
                for edit in &fix.edits {
                    by_file.entry(&edit.file).or_default().push(SarifReplacement {
                        deleted_region: sarif_region(&lines, &edit.file, edit.range),
                        inserted_content: SarifText { text: Cow::Borrowed(&edit.new_text) },
                    });
                }
                [SarifFix {
                    description: SarifText { text: Cow::Borrowed(&fix.title) },
                    artifact_changes: by_file
                        .into_iter()
                        .map(|(file, replacements)| SarifChange {
                            artifact_location: SarifArtifact { uri: sarif_uri(file) },
                            replacements,
                        })
                        .collect(),
                }]
            });
            SarifResult {
                rule_id: diagnostic.code,
                level: sarif_level(diagnostic.severity),
                message: SarifText { text: Cow::Owned(text) },
                locations: [SarifLocation {
                    physical_location: sarif_location(&lines, &diagnostic.primary.file, diagnostic.primary.range),
                }],
                rule_index: CODES.iter().position(|info| info.code == diagnostic.code),
                related_locations,
                fixes,
            }
        })
        .collect();
    let driver = json!({
        "name": TOOL_NAME,
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": TOOL_URI,
        "rules": rules,
    });
    let log = SarifLog {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [SarifRun { tool: SarifTool { driver }, column_kind: "unicodeCodePoints", results }],
    };
    let mut out = Vec::with_capacity(1024 * diagnostics.len() + 256 * 1024);
    match serde_json::to_writer_pretty(&mut out, &log) {
        Ok(()) => String::from_utf8(out).unwrap_or_default() + "\n",
        Err(_) => String::new(),
    }
}

#[derive(serde::Serialize)]
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: SarifTool,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(serde::Serialize)]
struct SarifTool {
    driver: Json,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    level: &'static str,
    message: SarifText<'a>,
    locations: [SarifLocation; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifRelated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[SarifFix<'a>; 1]>,
}

#[derive(serde::Serialize)]
struct SarifText<'a> {
    text: Cow<'a, str>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: SarifPhysical,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRelated<'a> {
    physical_location: SarifPhysical,
    id: usize,
    message: SarifText<'a>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysical {
    artifact_location: SarifArtifact,
    region: SarifRegion,
}

#[derive(serde::Serialize)]
struct SarifArtifact {
    uri: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    char_offset: usize,
    char_length: usize,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: SarifText<'a>,
    artifact_changes: Vec<SarifChange<'a>>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifChange<'a> {
    artifact_location: SarifArtifact,
    replacements: Vec<SarifReplacement<'a>>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifReplacement<'a> {
    deleted_region: SarifRegion,
    inserted_content: SarifText<'a>,
}

/// GitHub Actions workflow commands: one `::error file=..::message` line per diagnostic.
pub fn github(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let lines = Lines::new(sources);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let file = &diagnostic.primary.file;
        let (line, col) = lines.position(file, diagnostic.primary.range.start());
        let (end_line, end_col) = lines.position(file, diagnostic.primary.range.end());
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!(
            "::{command} file={},line={line},endLine={end_line},col={col},endColumn={end_col},title={}::{}\n",
            escape_property(file),
            escape_property(&format!("{} {}", diagnostic.code, code_info(diagnostic.code).map_or("", |it| it.name))),
            escape_data(&message),
        ));
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rendering N diagnostics in a file builds that file's line index once, in every format:
    /// the work per diagnostic does not grow with the file or with N.
    #[test]
    fn every_renderer_builds_one_line_index_per_file_whatever_the_number_of_diagnostics() {
        let line = "bucket b { versioning = true }\n";
        let text = line.repeat(5_000);
        let path: Arc<str> = Arc::from("main.plan");
        let sources: Sources = [(Arc::clone(&path), Arc::from(text.as_str()))].into();
        let diagnostics = |n: usize| -> Vec<Diagnostic> {
            (0..n)
                .map(|at| {
                    let start = TextSize::from((at * line.len()) as u32);
                    Diagnostic::warning("COST304", "not priced", &path, TextRange::at(start, TextSize::from(6)))
                })
                .collect()
        };
        let renderers: [(&str, fn(&[Diagnostic], &Sources) -> String); 4] = [
            ("text", |it, sources| terminal(it, sources, false)),
            ("json", json),
            ("sarif", sarif),
            ("github", github),
        ];
        for (name, render) in renderers {
            for n in [1, 5_000] {
                let before = LineIndex::built_on_this_thread();
                let output = render(&diagnostics(n), &sources);
                assert!(!output.is_empty());
                assert_eq!(LineIndex::built_on_this_thread() - before, 1, "{name} with {n} diagnostics");
            }
        }
    }
}
