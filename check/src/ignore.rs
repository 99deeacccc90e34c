//! Inline suppression: `// planc:ignore CODE[, CODE...]: reason` silences those codes in the
//! block or attribute that follows the comment, or in the item the comment ends the line of.
//!
//! As with `checkov:skip` or Bicep's `#disable-next-line`, the exception lives next to what it
//! excuses and says why. P024 reports an ignore that cannot work (an unknown or `P0xx` code, no
//! reason, nothing to apply to) or that no longer silences anything, so stale ones get removed.

use std::sync::Arc;

use rowan::Direction;

use crate::diagnostics::{code_info, Applicability, Diagnostic, TextEdit};
use crate::syntax::{Parse, SyntaxElement, SyntaxKind, SyntaxToken, TextRange, TextSize};

pub const PREFIX: &str = "planc:ignore";

/// One `planc:ignore` comment of a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ignore {
    /// The comment.
    pub comment: TextRange,
    /// What to delete to remove the comment: its line break, or the spaces before a comment
    /// that ends a line of code.
    pub removal: TextRange,
    /// The codes it names, as the catalog spells them, each with where it is written.
    pub codes: Vec<(String, TextRange)>,
    /// The item it applies to.
    pub target: Option<TextRange>,
    /// What is wrong with the comment itself.
    pub problem: Option<String>,
    /// A misspelled code and the code it likely means.
    pub suggestion: Option<(TextRange, &'static str)>,
}

/// Every `planc:ignore` comment of a parsed file.
pub fn collect(parse: &Parse) -> Vec<Ignore> {
    parse
        .syntax()
        .descendants_with_tokens()
        .filter_map(|it| it.into_token())
        .filter(|it| it.kind() == SyntaxKind::COMMENT)
        .filter_map(|token| read(&token))
        .collect()
}

fn read(token: &SyntaxToken) -> Option<Ignore> {
    let text = token.text();
    let body = text.strip_prefix("//")?;
    let rest = body.trim_start().strip_prefix(PREFIX)?;
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None; // `planc:ignored`, some other word
    }
    let rest_start = u32::from(token.text_range().start()) + (text.len() - rest.len()) as u32;
    let (codes_text, reason) = match rest.split_once(':') {
        Some((codes, reason)) => (codes, reason.trim()),
        None => (rest, ""),
    };
    let mut codes = Vec::new();
    let mut problem = None;
    let mut suggestion = None;
    let mut offset = 0;
    for word in codes_text.split([' ', ',', '\t']) {
        let at = offset;
        offset += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        let range = TextRange::at(TextSize::from(rest_start + at as u32), TextSize::from(word.len() as u32));
        match code_info(word) {
            Some(info) if info.code.starts_with('P') => {
                problem.get_or_insert(format!(
                    "`{}` cannot be ignored: syntax, name and type errors must be fixed",
                    info.code
                ));
            }
            Some(info) => codes.push((info.code.to_string(), range)),
            None => {
                let codes = crate::diagnostics::CODES.iter().map(|it| it.code).filter(|it| !it.starts_with('P'));
                if suggestion.is_none() {
                    suggestion = crate::diagnostics::did_you_mean(word, codes).map(|code| (range, code));
                }
                problem.get_or_insert(format!("`{word}` is not a diagnostic code"));
            }
        }
    }
    if codes.is_empty() && problem.is_none() {
        problem = Some("name the codes to ignore, e.g. `// planc:ignore SEC104: why it is fine here`".into());
    }
    if reason.is_empty() && problem.is_none() {
        problem = Some("say why after a `:`, e.g. `// planc:ignore SEC104: the bucket serves public docs`".into());
    }
    let comment = token.text_range();
    let (target, removal) = match item_on_same_line(token) {
        Some(item) => {
            let spaces = token.prev_token().filter(|it| it.kind() == SyntaxKind::WHITESPACE);
            (Some(item), TextRange::new(spaces.map_or(comment.start(), |it| it.text_range().start()), comment.end()))
        }
        None => {
            // The whole line: its indentation, the comment and the line break.
            let indent = token.prev_token().filter(|it| it.kind() == SyntaxKind::WHITESPACE).map_or(0, |it| {
                let text = it.text();
                text.len() - text.rfind('\n').map_or(text.len(), |at| at + 1)
            });
            let line_break =
                token.next_token().filter(|it| it.kind() == SyntaxKind::WHITESPACE && it.text().starts_with('\n'));
            let start = comment.start() - TextSize::from(indent as u32);
            (next_item(token), TextRange::new(start, comment.end() + TextSize::from(line_break.map_or(0, |_| 1))))
        }
    };
    if target.is_none() && problem.is_none() {
        problem = Some("there is no block or attribute after this comment to apply it to".into());
    }
    Some(Ignore { comment, removal, codes, target, problem, suggestion })
}

fn is_item(element: &SyntaxElement) -> bool {
    matches!(element.kind(), SyntaxKind::BLOCK | SyntaxKind::ATTRIBUTE)
}

/// The item whose line the comment ends: `public = true  // planc:ignore ...`.
fn item_on_same_line(token: &SyntaxToken) -> Option<TextRange> {
    for element in token.siblings_with_tokens(Direction::Prev).skip(1) {
        match &element {
            rowan::NodeOrToken::Token(it) if it.kind() == SyntaxKind::WHITESPACE && !it.text().contains('\n') => {}
            rowan::NodeOrToken::Token(it) if matches!(it.kind(), SyntaxKind::COMMA | SyntaxKind::SEMICOLON) => {}
            other if is_item(other) => return Some(other.text_range()),
            _ => return None,
        }
    }
    None
}

/// The next item at the comment's level, past other comments and blank lines.
fn next_item(token: &SyntaxToken) -> Option<TextRange> {
    for element in token.siblings_with_tokens(Direction::Next).skip(1) {
        match &element {
            rowan::NodeOrToken::Token(it) if it.kind().is_trivia() => {}
            other if is_item(other) => return Some(other.text_range()),
            _ => return None,
        }
    }
    None
}

/// Removes the diagnostics that the ignores of `file` silence from `diagnostics`, and adds a
/// P024 warning for each ignore (or code of one) that cannot work or silenced nothing.
pub fn apply(file: &Arc<str>, ignores: &[Ignore], diagnostics: &mut Vec<Diagnostic>) {
    let mut used = vec![Vec::new(); ignores.len()];
    diagnostics.retain(|diagnostic| {
        if diagnostic.primary.file != *file {
            return true;
        }
        for (index, ignore) in ignores.iter().enumerate() {
            let Some(target) = ignore.target.filter(|_| ignore.problem.is_none()) else { continue };
            if target.contains_range(diagnostic.primary.range) && ignore.codes.iter().any(|it| it.0 == diagnostic.code)
            {
                used[index].push(diagnostic.code);
                return false;
            }
        }
        true
    });
    let remove = |ignore: &Ignore| TextEdit { file: file.clone(), range: ignore.removal, new_text: String::new() };
    for (ignore, used) in ignores.iter().zip(used) {
        if let Some(problem) = &ignore.problem {
            let diagnostic = Diagnostic::warning(
                "P024",
                format!("this ignore comment has no effect: {problem}"),
                file,
                ignore.comment,
            )
            .label("ignores nothing");
            diagnostics.push(match ignore.suggestion {
                Some((range, code)) => diagnostic.help(format!("did you mean `{code}`?")).fix(
                    format!("Change to `{code}`"),
                    Applicability::Safe,
                    vec![TextEdit { file: file.clone(), range, new_text: code.to_string() }],
                ),
                None => diagnostic.help(
                    "write `// planc:ignore CODE: reason` just above the block or attribute, or at the end of its line",
                ),
            });
            continue;
        }
        for (code, range) in ignore.codes.iter().filter(|it| !used.contains(&it.0.as_str())) {
            let diagnostic = Diagnostic::warning("P024", format!("nothing here reports {code}"), file, *range)
                .label("not needed")
                .note("an ignore that silences nothing hides the next real problem of that kind");
            diagnostics.push(if ignore.codes.len() == 1 {
                diagnostic.fix("remove this ignore comment", Applicability::Safe, vec![remove(ignore)])
            } else {
                diagnostic.help(format!("remove {code} from the comment"))
            });
        }
    }
}

/// An edit that adds `// planc:ignore CODE: ...` above the innermost block or attribute that
/// holds `range` and starts its line, for an editor's "ignore" quick fix. `text` is the text
/// `parse` was made from. `None` for `P0xx` codes, which cannot be ignored.
pub fn ignore_edit(parse: &Parse, text: &str, file: &Arc<str>, code: &str, range: TextRange) -> Option<TextEdit> {
    if code.starts_with('P') {
        return None;
    }
    let start = parse.syntax().covering_element(range);
    let item = start.ancestors().find(|node| {
        let at = usize::from(node.text_range().start());
        let line_start = text[..at].rfind('\n').map_or(0, |it| it + 1);
        matches!(node.kind(), SyntaxKind::BLOCK | SyntaxKind::ATTRIBUTE)
            && text[line_start..at].chars().all(|it| it == ' ' || it == '\t')
    })?;
    let at = usize::from(item.text_range().start());
    let line_start = text[..at].rfind('\n').map_or(0, |it| it + 1);
    let indent = &text[line_start..at];
    Some(TextEdit {
        file: file.clone(),
        range: TextRange::empty(TextSize::from(line_start as u32)),
        new_text: format!("{indent}// {PREFIX} {code}: why this is fine here\n"),
    })
}
