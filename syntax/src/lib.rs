//! Source text to a lossless rowan tree: lexer, chumsky grammar, tree builder.
//!
//! `parse` never fails: broken input becomes `ERROR` nodes plus `SyntaxError`s, and the tree
//! always holds every byte of the input. No salsa, no IO and no knowledge of kinds here: this
//! crate depends on chumsky and rowan only, so Cargo keeps it that way. `ast` holds the typed
//! views over the tree that every later step reads.

pub mod ast;
mod kind;
mod lexer;
pub mod limits;
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

/// Parses a file. Every item is parsed afresh: what a batch run, which sees each text once,
/// wants.
pub fn parse(text: &str) -> Parse {
    parse_with(text, None)
}

/// Parses a file, taking the parse of every top-level item whose text `cache` has seen from
/// it: an editor's keystroke changes one item of a file, so the others are not parsed again.
pub fn parse_reusing(text: &str, cache: &ItemCache) -> Parse {
    parse_with(text, Some(cache))
}

fn parse_with(text: &str, reuse: Option<&ItemCache>) -> Parse {
    let (tokens, mut errors) = lexer::lex(text);
    let offsets = token_offsets(&tokens);
    let items = top_level_items(&tokens);
    let mut cache = rowan::NodeCache::default();
    if items.len() <= 1 {
        let (green, parse_errors) = parse_tokens(text, &tokens, &offsets, &mut cache);
        errors.extend(parse_errors);
        errors.sort_by_key(|error| (error.range.start(), error.range.end()));
        return Parse { green, errors: errors.into() };
    }
    // Item by item, so that an editor's keystroke re-parses one item and reuses the others.
    let mut children = Vec::new();
    for raw in items {
        let start = offsets[raw.start];
        let chunk = &text[start as usize..offsets[raw.end] as usize];
        let mut parse_run = || {
            let tokens = &tokens[raw.clone()];
            let chunk_offsets: Vec<u32> = offsets[raw.start..=raw.end].iter().map(|it| it - start).collect();
            let (green, errors) = parse_tokens(chunk, tokens, &chunk_offsets, &mut cache);
            ItemsParse { children: green.children().map(|it| it.to_owned()).collect(), errors }
        };
        let parsed = match reuse {
            Some(items) => items.get_or_parse(chunk, parse_run),
            None => Arc::new(parse_run()),
        };
        children.extend(parsed.children.iter().cloned());
        errors.extend(
            parsed.errors.iter().map(|error| SyntaxError {
                range: error.range + TextSize::from(start),
                message: error.message.clone(),
            }),
        );
    }
    errors.sort_by_key(|error| (error.range.start(), error.range.end()));
    Parse { green: GreenNode::new(SyntaxKind::SOURCE_FILE.into(), children), errors: errors.into() }
}

/// The whole file in one parse, without the split into items: what `parse` must equal.
#[cfg(test)]
fn parse_whole(text: &str) -> Parse {
    let (tokens, mut errors) = lexer::lex(text);
    let (green, parse_errors) = parse_tokens(text, &tokens, &token_offsets(&tokens), &mut rowan::NodeCache::default());
    errors.extend(parse_errors);
    errors.sort_by_key(|error| (error.range.start(), error.range.end()));
    Parse { green, errors: errors.into() }
}

/// The start offset of every token, and the end of the text last.
fn token_offsets(tokens: &[lexer::Token]) -> Vec<u32> {
    let mut offsets = Vec::with_capacity(tokens.len() + 1);
    let mut offset = 0u32;
    for token in tokens {
        offsets.push(offset);
        offset += token.len;
    }
    offsets.push(offset);
    offsets
}

/// Splits a file's tokens into runs of whole top-level items that parse the same alone as in
/// the file: a run ends at a `}` that closes every bracket opened since the run began, where
/// an item (`key =`, `kind {`, `kind label {`) starts next. Recovery keeps brackets balanced
/// and never looks past such a `}`, which makes the split safe (tested against a whole parse).
/// After a closing bracket that does not match, the rest of the file is one run: recovery
/// there may pair brackets differently. Trivia between runs goes with the run after it.
fn top_level_items(tokens: &[lexer::Token]) -> Vec<std::ops::Range<usize>> {
    use SyntaxKind::*;
    // No copy of the token kinds: for a large file that copy alone was a fifth of a check,
    // most of it the kernel handing out fresh pages.
    let mut items = Vec::new();
    let mut start = 0;
    let mut open = Vec::new();
    for (raw, token) in tokens.iter().enumerate() {
        let kind = token.kind;
        match kind {
            L_BRACE | L_BRACK | L_PAREN => open.push(kind),
            R_BRACE | R_BRACK | R_PAREN => {
                let opener = match kind {
                    R_BRACE => L_BRACE,
                    R_BRACK => L_BRACK,
                    _ => L_PAREN,
                };
                if open.pop() != Some(opener) {
                    break;
                }
                if open.is_empty() && kind == R_BRACE && item_starts_next(&tokens[raw + 1..]) {
                    items.push(start..raw + 1);
                    start = raw + 1;
                }
            }
            _ => {}
        }
    }
    items.push(start..tokens.len());
    items
}

/// True when the significant tokens of `tokens` start with an item; three tell.
fn item_starts_next(tokens: &[lexer::Token]) -> bool {
    let mut next = [SyntaxKind::ERROR; 3];
    let mut count = 0;
    for token in tokens.iter().filter(|it| !it.kind.is_trivia()).take(3) {
        next[count] = token.kind;
        count += 1;
    }
    parser::item_starts_at(&next[..count], 0)
}

/// Parses tokens that are a whole file, or a run of whole items, to a `SOURCE_FILE` node.
fn parse_tokens(
    text: &str,
    tokens: &[lexer::Token],
    offsets: &[u32],
    cache: &mut rowan::NodeCache,
) -> (GreenNode, Vec<SyntaxError>) {
    let mut significant_kinds = Vec::with_capacity(tokens.len() / 2);
    let mut significant = Vec::with_capacity(tokens.len() / 2);
    for (index, token) in tokens.iter().enumerate() {
        if !token.kind.is_trivia() {
            significant_kinds.push(token.kind);
            significant.push(index as u32);
        }
    }
    let masked = limits::mask_too_deep(&mut significant_kinds);
    let (root, parse_errors) = parser::file().parse(&significant_kinds[..]).into_output_errors();
    let mut errors = Vec::new();
    for run in &masked {
        let raw = significant[run.start] as usize;
        let start = offsets[raw];
        let range = TextRange::new(start.into(), (start + tokens[raw].len).into());
        errors.push(SyntaxError { range, message: run.message.clone() });
    }
    let mut seen_starts = std::collections::HashSet::new();
    for error in parse_errors {
        let start = error.span().start;
        // What was masked is reported once above, not token by token.
        if masked.iter().any(|run| (run.start..run.end).contains(&start)) {
            continue;
        }
        // One report per place: recovery at nested levels may see the same token twice.
        if seen_starts.insert(start) {
            errors.push(convert_error(text, tokens, offsets, &significant, &error));
        }
    }
    errors.sort_by_key(|it| it.range.start());
    let root = root.unwrap_or_else(|| {
        // Recovery makes this unreachable in practice; keep the tree lossless regardless.
        parser::Frag::Node(SyntaxKind::SOURCE_FILE, None, Vec::new())
    });
    let green = tree::TreeBuilder::new(text, tokens, offsets, &significant, cache).build(root);
    (green, errors)
}

/// The parse of a run of items: the root's children and the errors, relative to the run.
struct ItemsParse {
    children: Vec<rowan::NodeOrToken<GreenNode, rowan::GreenToken>>,
    errors: Vec<SyntaxError>,
}

/// Item parses kept across calls, keyed by their text, for `parse_reusing`. The owner decides
/// its life: the IDE layer keeps one per database, so two servers (or tests) never share one.
#[derive(Default)]
pub struct ItemCache {
    items: std::sync::Mutex<ItemCacheEntries>,
}

#[derive(Default)]
struct ItemCacheEntries {
    items: std::collections::HashMap<Box<str>, Arc<ItemsParse>>,
    bytes: usize,
}

impl ItemCache {
    /// Dropped whole when the texts it holds pass this size: simple, and it refills from the
    /// files being edited within a keystroke or two.
    const MAX_BYTES: usize = 64 << 20;

    fn get_or_parse(&self, text: &str, parse: impl FnOnce() -> ItemsParse) -> Arc<ItemsParse> {
        if let Some(found) = self.items.lock().ok().and_then(|cache| cache.items.get(text).cloned()) {
            return found;
        }
        let parsed = Arc::new(parse());
        if let Ok(mut cache) = self.items.lock() {
            if cache.bytes + text.len() > Self::MAX_BYTES {
                *cache = ItemCacheEntries::default();
            }
            cache.bytes += text.len();
            cache.items.insert(text.into(), parsed.clone());
        }
        parsed
    }
}

impl std::fmt::Debug for ItemCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let items = self.items.lock().map(|it| it.items.len()).unwrap_or_default();
        f.debug_struct("ItemCache").field("items", &items).finish()
    }
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
