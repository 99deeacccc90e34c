//! Quick fixes for the diagnostics under a range: each diagnostic's own fix first, then a
//! `planc:ignore` comment as the last resort (never for syntax and type errors, `P0xx`).

use std::collections::HashMap;

use planc::db::{all_diagnostics, parse, Database, SourceFile, Workspace};
use planc::diagnostics::{Applicability, Diagnostic};
use planc::syntax::TextRange;

use crate::target::Location;

/// A quick fix: what it is called, the diagnostic it fixes and its edits.
#[derive(Debug, Clone)]
pub struct CodeAction {
    pub title: String,
    pub diagnostic: Diagnostic,
    pub edits: Vec<(Location, String)>,
    /// Whether an editor may apply it on its own ("fix all", save actions).
    pub preferred: bool,
}

pub(crate) fn code_actions(
    db: &Database,
    workspace: Workspace,
    file: SourceFile,
    wanted: TextRange,
) -> Vec<CodeAction> {
    let path = file.path(db);
    let files: HashMap<&str, SourceFile> = workspace.files(db).iter().map(|it| (it.path(db).as_ref(), *it)).collect();
    let mut fixes = Vec::new();
    let mut ignores = Vec::new();
    for diagnostic in all_diagnostics(db, workspace).into_iter().filter(|it| it.primary.file == *path) {
        let at = diagnostic.primary.range;
        if at.intersect(wanted).is_none() && !at.contains_range(wanted) {
            continue;
        }
        let ignore = planc::check::ignore::ignore_edit(parse(db, file), file.text(db), path, diagnostic.code, at);
        if let Some(edit) = ignore {
            ignores.push(CodeAction {
                title: format!("Ignore {} here (say why)", diagnostic.code),
                diagnostic: diagnostic.clone(),
                edits: vec![(Location { file, range: edit.range }, edit.new_text)],
                preferred: false,
            });
        }
        let Some(fix) = &diagnostic.fix else { continue };
        let edits = fix
            .edits
            .iter()
            .filter_map(|edit| {
                let target = *files.get(edit.file.as_ref())?;
                Some((Location { file: target, range: edit.range }, edit.new_text.clone()))
            })
            .collect();
        fixes.push(CodeAction {
            title: fix.title.clone(),
            preferred: fix.applicability == Applicability::Safe,
            diagnostic,
            edits,
        });
    }
    fixes.extend(ignores);
    fixes
}

#[cfg(test)]
mod tests {
    use planc::syntax::TextRange;

    use crate::fixture::{text_at, with_cursor};

    fn titles(fixture: &str) -> Vec<(String, bool)> {
        let (analysis, file, offset) = with_cursor(fixture);
        let actions = analysis.code_actions(file, TextRange::empty(offset)).unwrap();
        actions.into_iter().map(|it| (it.title, it.preferred)).collect()
    }

    #[test]
    fn a_misspelled_attribute_is_fixed_and_a_syntax_or_type_error_is_never_ignored() {
        let (analysis, file, offset) = with_cursor("bucket assets {\n  versio$0nig = true\n}\n");
        let actions = analysis.code_actions(file, TextRange::empty(offset)).unwrap();
        assert_eq!(actions.len(), 1, "{actions:#?}");
        assert_eq!(actions[0].title, "Change to `versioning`");
        assert!(actions[0].preferred);
        let (at, new_text) = &actions[0].edits[0];
        assert_eq!((text_at(&analysis, at.file, at.range).as_str(), new_text.as_str()), ("versionig", "versioning"));
    }

    #[test]
    fn a_rule_s_diagnostic_can_be_ignored_after_its_fixes() {
        let found = titles(
            r#"
            plan shop {
              cloud  = aws
              region = "us-east-1"
            }
            database orders {
              engine  = postgres
              version = "16"
              tier    = "db.m6g.larg$0"
              storage = 20GB
            }
            "#,
        );
        assert_eq!(found.last(), Some(&("Ignore CAT501 here (say why)".to_string(), false)), "{found:?}");
        assert!(found.iter().any(|(title, _)| title.contains("db.m6g.large")), "{found:?}");
    }

    #[test]
    fn nothing_under_the_range_is_no_action() {
        assert!(titles("bucket assets {\n  versionig = true\n}\n$0\n").is_empty());
    }
}
