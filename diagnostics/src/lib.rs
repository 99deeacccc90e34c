//! One diagnostic model for the CLI, snapshots and the language server, and its renderers.
//!
//! A `Diagnostic` says what is wrong (message), where (primary label), what else is involved
//! (secondary labels), why it matters (notes), what to do (help) and, where the edit is
//! certain enough, a `Fix` as text edits. Renderers are leaf modules in `render/`.

mod codes;
pub mod line_index;
pub mod render;

use std::sync::Arc;

pub use codes::{code_info, documented_codes, CodeInfo, CODES};
pub use line_index::LineIndex;
use serde::Serialize;

use plan_syntax::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A span in a file of the workspace. `file` is the path as the user gave it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub file: Arc<str>,
    pub range: TextRange,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The edit keeps the meaning the user clearly intended.
    Safe,
    /// The edit is a likely guess; a person should look at it.
    Unsafe,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextEdit {
    pub file: Arc<str>,
    pub range: TextRange,
    pub new_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<TextEdit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// Moves every span by `delta` bytes: for a diagnostic whose spans all lie in one stretch of
    /// one file that moved as a whole (a top-level item reused after an edit above it).
    pub fn shift(&mut self, delta: i64) {
        self.primary.range = shift_range(self.primary.range, delta);
        for label in &mut self.secondary {
            label.range = shift_range(label.range, delta);
        }
        for edit in self.fix.iter_mut().flat_map(|fix| fix.edits.iter_mut()) {
            edit.range = shift_range(edit.range, delta);
        }
    }

    pub fn new(
        code: &'static str,
        severity: Severity,
        message: impl Into<String>,
        file: &Arc<str>,
        range: TextRange,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            primary: Label { file: file.clone(), range, message: String::new() },
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>, file: &Arc<str>, range: TextRange) -> Self {
        Self::new(code, Severity::Error, message, file, range)
    }

    pub fn warning(code: &'static str, message: impl Into<String>, file: &Arc<str>, range: TextRange) -> Self {
        Self::new(code, Severity::Warning, message, file, range)
    }

    /// What the primary span contributes.
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn secondary(mut self, file: &Arc<str>, range: TextRange, message: impl Into<String>) -> Self {
        self.secondary.push(Label { file: file.clone(), range, message: message.into() });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(mut self, title: impl Into<String>, applicability: Applicability, edits: Vec<TextEdit>) -> Self {
        self.fix = Some(Fix { title: title.into(), applicability, edits });
        self
    }

    /// A fix that replaces the primary span.
    pub fn replace_with(
        self,
        title: impl Into<String>,
        applicability: Applicability,
        new_text: impl Into<String>,
    ) -> Self {
        let edit = TextEdit { file: self.primary.file.clone(), range: self.primary.range, new_text: new_text.into() };
        self.fix(title, applicability, vec![edit])
    }

    /// The order in which diagnostics are printed: file, offset, severity, code.
    pub fn sort_key(&self) -> (Arc<str>, u32, u32, Severity, &'static str, String) {
        (
            self.primary.file.clone(),
            self.primary.range.start().into(),
            self.primary.range.end().into(),
            self.severity,
            self.code,
            self.message.clone(),
        )
    }
}

pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_cached_key(Diagnostic::sort_key);
}

/// The closest candidate by edit distance, for "did you mean" help; `None` when nothing is close.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let (lower_name, lower_candidate) = (name.to_ascii_lowercase(), candidate.to_ascii_lowercase());
        let mut distance = edit_distance(&lower_name, &lower_candidate);
        // `stage` for `staging`: a prefix of three letters or more is as good as one edit.
        if lower_name.len() >= 3 && lower_candidate.starts_with(&lower_name) {
            distance = distance.min(1);
        }
        let limit = (name.chars().count().max(candidate.chars().count()) / 3).max(1);
        if distance <= limit && best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous_previous: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            current[j] = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(previous_previous[j - 2] + 1);
            }
        }
        previous_previous = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        assert_eq!(did_you_mean("replica", ["replicas", "memory"]), Some("replicas"));
        assert_eq!(did_you_mean("sevrice", ["service", "database"]), Some("service"));
        assert_eq!(did_you_mean("zzz", ["service", "database"]), None);
    }
}

/// `range` moved by `delta` bytes. The caller knows where the text moved, so the result is in
/// range; it saturates rather than wraps if it were not.
pub fn shift_range(range: TextRange, delta: i64) -> TextRange {
    let moved = |at: plan_syntax::TextSize| {
        plan_syntax::TextSize::from((i64::from(u32::from(at)) + delta).clamp(0, i64::from(u32::MAX)) as u32)
    };
    TextRange::new(moved(range.start()), moved(range.end()))
}
