//! Source text to a lossless rowan tree: lexer, chumsky grammar, tree builder.
//!
//! `parse` never fails: broken input becomes `ERROR` nodes plus `SyntaxError`s, and the tree
//! always holds every byte of the input. No salsa, no IO and no knowledge of kinds here.

mod kind;
mod lexer;
mod parser;
pub mod strings;
mod tree;

use std::sync::Arc;

use chumsky::error::{Rich, RichPattern};
use chumsky::Parser as _;
pub use kind::{PlanLanguage, SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken};
pub use rowan::{GreenNode, TextRange, TextSize};

/// A syntax error: where, and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// The result of parsing one file. Holds the green tree (which is `Send`), not a `SyntaxNode`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Parse {
    pub green: GreenNode,
    pub errors: Arc<[SyntaxError]>,
}

impl Parse {
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    pub fn tree(&self) -> crate::ast::SourceFile {
        crate::ast::SourceFile { syntax: self.syntax() }
    }
}

pub fn parse(text: &str) -> Parse {
    let (tokens, mut errors) = lexer::lex(text);
    let mut offsets = Vec::with_capacity(tokens.len() + 1);
    let mut offset = 0u32;
    let mut significant_kinds = Vec::with_capacity(tokens.len() / 2);
    let mut significant = Vec::with_capacity(tokens.len() / 2);
    for (index, token) in tokens.iter().enumerate() {
        offsets.push(offset);
        offset += token.len;
        if !token.kind.is_trivia() {
            significant_kinds.push(token.kind);
            significant.push(index as u32);
        }
    }
    offsets.push(offset);

    let (root, parse_errors) = parser::file().parse(&significant_kinds[..]).into_output_errors();
    let mut seen_starts = std::collections::HashSet::new();
    for error in parse_errors {
        // One report per place: recovery at nested levels may see the same token twice.
        if seen_starts.insert(error.span().start) {
            errors.push(convert_error(text, &tokens, &offsets, &significant, &error));
        }
    }
    errors.sort_by_key(|error| (error.range.start(), error.range.end()));

    let root = root.unwrap_or_else(|| {
        // Recovery makes this unreachable in practice; keep the tree lossless regardless.
        parser::Frag::Node(SyntaxKind::SOURCE_FILE, None, Vec::new())
    });
    let green = tree::TreeBuilder::new(text, &tokens, &offsets, &significant).build(root);
    Parse { green, errors: errors.into() }
}

fn convert_error(
    text: &str,
    tokens: &[lexer::Token],
    offsets: &[u32],
    significant: &[u32],
    error: &Rich<'_, SyntaxKind>,
) -> SyntaxError {
    let index = error.span().start;
    let (range, found) = match significant.get(index) {
        Some(&raw) => {
            let raw = raw as usize;
            let start = offsets[raw];
            let end = start + tokens[raw].len;
            let token_text = &text[start as usize..end as usize];
            let found = if token_text.chars().count() <= 24 && !token_text.contains('\n') {
                format!("`{token_text}`")
            } else {
                tokens[raw].kind.describe().to_string()
            };
            (TextRange::new(start.into(), end.into()), found)
        }
        None => {
            let end = TextSize::from(text.len() as u32);
            (TextRange::empty(end), "the end of the file".to_string())
        }
    };
    let mut expected: Vec<String> = Vec::new();
    for pattern in error.expected() {
        let described = match pattern {
            RichPattern::Token(kind) => kind.describe().to_string(),
            RichPattern::Label(label) => label.to_string(),
            RichPattern::EndOfInput => "the end of the file".to_string(),
            RichPattern::Identifier(name) => format!("`{name}`"),
            _ => continue,
        };
        if !expected.contains(&described) {
            expected.push(described);
        }
    }
    // Continuations of an expression that is already complete are rarely what was meant.
    if expected.iter().any(|it| !matches!(it.as_str(), "`.`" | "`(`" | "`..`")) {
        expected.retain(|it| !matches!(it.as_str(), "`.`" | "`(`" | "`..`"));
    }
    // Separators are always allowed between items; listing them only adds noise.
    if expected.iter().any(|it| it == "a block or an attribute") {
        expected.retain(|it| !matches!(it.as_str(), "`,`" | "`;`"));
    }
    // A missing value is best shown at the `=` that wants it.
    let after_eq =
        index > 0 && significant.get(index - 1).is_some_and(|&raw| tokens[raw as usize].kind == SyntaxKind::EQ);
    if after_eq && expected == ["a value"] {
        let raw = significant[index - 1] as usize;
        let start = offsets[raw];
        let range = TextRange::new(start.into(), (start + 1).into());
        return SyntaxError { range, message: format!("missing value after `=` (found {found})") };
    }
    let message = if expected == ["`}`"] && found == "the end of the file" {
        "this block is not closed: expected `}` before the end of the file".to_string()
    } else {
        match expected.as_slice() {
            [] => format!("unexpected {found}"),
            [one] => format!("expected {one}, found {found}"),
            [init @ .., last] => format!("expected {} or {last}, found {found}", init.join(", ")),
        }
    };
    SyntaxError { range, message }
}

/// An indented dump of the tree, one element a line, for tests and `planc debug`.
pub fn debug_tree(node: &SyntaxNode) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for event in node.preorder_with_tokens() {
        match event {
            rowan::WalkEvent::Enter(element) => {
                out.push_str(&"  ".repeat(depth));
                match &element {
                    rowan::NodeOrToken::Node(node) => {
                        out.push_str(&format!("{:?}@{:?}\n", node.kind(), node.text_range()));
                    }
                    rowan::NodeOrToken::Token(token) => {
                        out.push_str(&format!("{:?}@{:?} {:?}\n", token.kind(), token.text_range(), token.text()));
                    }
                }
                depth += 1;
            }
            rowan::WalkEvent::Leave(_) => depth -= 1,
        }
    }
    out
}

#[cfg(test)]
mod tests;
