//! The formatter: canonical whitespace on the lossless tree, everything else kept.
//!
//! Only whitespace tokens change; every other token (comments, strings, text blocks) is
//! written back as it is, so formatting never changes what a file means. Line breaks stay
//! where the author put them (at most one blank line in a row, none just inside a block);
//! indentation is two spaces per open bracket; `=` gets one space on each side, items that
//! share a line get two spaces between them, and the `=` of consecutive one-attribute lines
//! line up, as `terraform fmt` does.
//!
//! `markdown` is the other formatter: it wraps the prose of the Markdown files planc writes
//! (ADRs, runbooks, the import report).

pub mod markdown;

use plan_syntax::{self as syntax, SyntaxKind::*, SyntaxNode, SyntaxToken};

const INDENT: &str = "  ";

/// Why a file was not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The file has syntax errors; formatting it could move text the parser did not understand.
    SyntaxErrors(usize),
}

/// Formats a whole file.
pub fn format(text: &str) -> Result<String, FormatError> {
    let parse = syntax::parse(text);
    if !parse.errors.is_empty() {
        return Err(FormatError::SyntaxErrors(parse.errors.len()));
    }
    Ok(format_tree(&parse.syntax()))
}

/// Formats a tree that parsed without errors.
pub fn format_tree(root: &SyntaxNode) -> String {
    let tokens: Vec<SyntaxToken> = root.descendants_with_tokens().filter_map(|it| it.into_token()).collect();
    let mut out = String::with_capacity(root.text_range().len().into());
    // Output offsets just after an attribute key that starts a line: `=` may be aligned there.
    let mut align_points: Vec<usize> = Vec::new();
    let mut depth: usize = 0;
    let mut previous: Option<&SyntaxToken> = None;
    let mut pending_whitespace: &str = "";
    let mut key_starts_line = false;

    for token in &tokens {
        if token.kind() == WHITESPACE {
            pending_whitespace = token.text();
            continue;
        }
        let newlines = pending_whitespace.matches('\n').count();
        pending_whitespace = "";
        let closes = matches!(token.kind(), R_BRACE | R_BRACK | R_PAREN);
        if closes {
            depth = depth.saturating_sub(1);
        }
        match previous {
            None => {}
            Some(prev) if newlines > 0 || ends_line(prev) => {
                let opens = matches!(prev.kind(), L_BRACE | L_BRACK | L_PAREN);
                let blank = newlines >= 2 && !opens && !closes;
                out.push('\n');
                if blank {
                    out.push('\n');
                }
                for _ in 0..depth {
                    out.push_str(INDENT);
                }
            }
            Some(prev) => {
                let spacing = spacing(prev, token);
                if token.kind() == EQ && key_starts_line && is_attribute_key(prev) {
                    align_points.push(out.len());
                }
                out.push_str(spacing);
            }
        }
        key_starts_line = is_attribute_key(token) && starts_line(&out);
        out.push_str(token.text());
        if matches!(token.kind(), L_BRACE | L_BRACK | L_PAREN) {
            depth += 1;
        }
        previous = Some(token);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    align(out, &align_points)
}

/// Line comments run to the end of their line, so whatever follows starts a new one.
fn ends_line(token: &SyntaxToken) -> bool {
    matches!(token.kind(), COMMENT | DOC_COMMENT) && !token.text().starts_with("/*")
}

/// Whether the output so far ends with indentation only, since the last newline.
fn starts_line(out: &str) -> bool {
    let line = out.rsplit('\n').next().unwrap_or("");
    line.chars().all(|ch| ch == ' ')
}

fn is_attribute_key(token: &SyntaxToken) -> bool {
    token.parent().is_some_and(|parent| parent.kind() == KEY)
}

/// The space between two tokens on the same line.
fn spacing(prev: &SyntaxToken, next: &SyntaxToken) -> &'static str {
    let (a, b) = (prev.kind(), next.kind());
    if matches!(b, COMMA | SEMICOLON) {
        return "";
    }
    if a == L_BRACE && b == R_BRACE {
        return "";
    }
    if matches!(a, L_BRACE) || matches!(b, R_BRACE) {
        return " ";
    }
    if matches!(a, L_BRACK | L_PAREN) || matches!(b, R_BRACK | R_PAREN) {
        return "";
    }
    if matches!(a, DOT | DOT2) || matches!(b, DOT | DOT2) {
        return "";
    }
    if b == L_PAREN && a == IDENT {
        return "";
    }
    if a == EQ || b == EQ {
        return " ";
    }
    if starts_item(next) && !matches!(a, COMMA | SEMICOLON | COMMENT) {
        return "  ";
    }
    if matches!(b, COMMENT | DOC_COMMENT) {
        return "  ";
    }
    " "
}

/// Whether `token` is the first token of an attribute or block.
fn starts_item(token: &SyntaxToken) -> bool {
    let mut node = token.parent();
    while let Some(current) = node {
        if current.first_token().as_ref() != Some(token) {
            return false;
        }
        if matches!(current.kind(), ATTRIBUTE | BLOCK) {
            return true;
        }
        if matches!(current.kind(), SOURCE_FILE | BLOCK_BODY | OBJECT_EXPR) {
            return false;
        }
        node = current.parent();
    }
    false
}

/// Pads keys so that the `=` of consecutive lines at one indentation line up.
fn align(out: String, points: &[usize]) -> String {
    if points.is_empty() {
        return out;
    }
    let mut line_starts = vec![0];
    line_starts.extend(out.match_indices('\n').map(|(index, _)| index + 1));
    let line_of = |offset: usize| line_starts.partition_point(|&start| start <= offset) - 1;
    let indent_of = |line: usize| out[line_starts[line]..].chars().take_while(|ch| *ch == ' ').count();

    // (line, point, indent, key width)
    let entries: Vec<(usize, usize, usize, usize)> = points
        .iter()
        .map(|&point| {
            let line = line_of(point);
            let indent = indent_of(line);
            let width = out[line_starts[line] + indent..point].chars().count();
            (line, point, indent, width)
        })
        .collect();
    let mut padding: Vec<(usize, usize)> = Vec::new();
    let mut run_start = 0;
    for index in 1..=entries.len() {
        let continues = index < entries.len() && {
            let (line, _, indent, _) = entries[index];
            let (previous_line, _, previous_indent, _) = entries[index - 1];
            line == previous_line + 1 && indent == previous_indent
        };
        if !continues {
            let run = &entries[run_start..index];
            let widest = run.iter().map(|it| it.3).max().unwrap_or(0);
            padding.extend(run.iter().map(|&(_, point, _, width)| (point, widest - width)));
            run_start = index;
        }
    }
    let mut aligned = String::with_capacity(out.len() + padding.iter().map(|it| it.1).sum::<usize>());
    let mut last = 0;
    for (point, pad) in padding {
        aligned.push_str(&out[last..point]);
        aligned.extend(std::iter::repeat_n(' ', pad));
        last = point;
    }
    aligned.push_str(&out[last..]);
    aligned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let formatted = format(input).unwrap();
        assert_eq!(formatted, expected);
        assert_eq!(format(&formatted).unwrap(), formatted, "formatting must be idempotent");
    }

    #[test]
    fn spacing_and_indentation_are_canonical() {
        check(
            "plan  shop{cloud=aws region = \"us-east-1\"\n\n\n   tags{team=\"a\"}}\n",
            "plan shop { cloud = aws  region = \"us-east-1\"\n\n  tags { team = \"a\" } }\n",
        );
    }

    #[test]
    fn consecutive_attributes_align_their_equals() {
        check(
            "decision d {\n title = \"x\"\n status = accepted // why\n date=\"2026-01-20\"\n\n affects = [a,b]\n}\n",
            "decision d {\n  title  = \"x\"\n  status = accepted  // why\n  date   = \"2026-01-20\"\n\n  affects = [a, b]\n}\n",
        );
    }

    #[test]
    fn comments_and_ranges_are_kept() {
        check(
            "// top\nservice api { /* c */ replicas = 2 .. 6 cpu = 250m..1 }",
            "// top\nservice api { /* c */ replicas = 2..6  cpu = 250m..1 }\n",
        );
    }

    #[test]
    fn files_with_syntax_errors_are_not_formatted() {
        assert_eq!(format("service api { replicas = }"), Err(FormatError::SyntaxErrors(1)));
    }
}
