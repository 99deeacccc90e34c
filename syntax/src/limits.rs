//! Bounds on nesting, so that no recursive pass (the parser, tree walks, lowering, the
//! formatter, the emitters) can exhaust the stack on hostile input.
//!
//! Before parsing, tokens nested deeper than [`MAX_NESTING`] brackets or blocks, and suffixes
//! past [`MAX_CHAIN`] in one chain (`a.b.c`, `f()()`), are handed to the parser as `ERROR`:
//! it skips them as one flat run, the tree keeps their text (it stays lossless), and the file
//! gets one syntax error per run instead of a crash.

use super::SyntaxKind::{self, *};

/// Brackets and blocks inside one another. Real plans nest a handful of levels.
pub const MAX_NESTING: usize = 64;
/// `.field` and `(args)` suffixes in one chain.
pub const MAX_CHAIN: usize = 64;

/// A run of significant tokens the parser is not given, and why.
pub(crate) struct Masked {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// Replaces the kinds of the tokens beyond the limits by `ERROR`; returns the runs replaced.
/// One pass, linear in the number of tokens.
pub(crate) fn mask_too_deep(kinds: &mut [SyntaxKind]) -> Vec<Masked> {
    let mut masked = Vec::new();
    // Per open level, innermost last: the length of the current chain, and the index of the
    // level's opening bracket when it opens an expression (a list, an object, parentheses)
    // rather than a block body.
    let mut levels: Vec<(usize, Option<usize>)> = vec![(0, None)];
    let mut index = 0;
    while index < kinds.len() {
        let kind = kinds[index];
        let previous = index.checked_sub(1).map(|it| kinds[it]);
        let is_call = kind == L_PAREN && matches!(previous, Some(IDENT | R_PAREN));
        let chain = &mut levels.last_mut().expect("the top level is never popped").0;
        match kind {
            DOT => *chain += 1,
            _ if is_call => *chain += 1,
            IDENT | R_BRACE | R_BRACK | R_PAREN => {}
            _ => *chain = 0,
        }
        if *chain > MAX_CHAIN {
            let end = chain_end(kinds, index);
            masked.push(Masked {
                start: index,
                end,
                message: format!(
                    "this chain is longer than {MAX_CHAIN} `.field` or `(...)` steps; Plan reads at most {MAX_CHAIN}"
                ),
            });
            *chain = 0;
            kinds[index..end].fill(ERROR);
            index = end;
            continue;
        }
        match kind {
            L_BRACE | L_BRACK | L_PAREN if levels.len() > MAX_NESTING => {
                // The whole expression that holds the too-deep part is skipped, so that the
                // parser's recovery does not read the keys of nested objects as items; nested
                // blocks are skipped from the first one too deep.
                let outermost_expression = levels.iter().rev().map_while(|(_, opener)| *opener).last().unwrap_or(index);
                // Past the too-deep opener at least, so that the scan always moves on.
                let end = group_end(kinds, outermost_expression).max(index + 1);
                masked.push(Masked {
                    start: outermost_expression,
                    end,
                    message: format!(
                        "nesting deeper than {MAX_NESTING} levels of brackets and blocks; Plan reads at most {MAX_NESTING}"
                    ),
                });
                kinds[outermost_expression..end].fill(ERROR);
                // Levels opened inside the skipped expression are closed with it.
                while levels.len() > 1 && levels.last().is_some_and(|(_, opener)| opener.is_some()) {
                    levels.pop();
                }
                index = end;
                continue;
            }
            L_BRACE | L_BRACK | L_PAREN => {
                let expression =
                    kind != L_BRACE || matches!(previous, Some(EQ | COMMA | L_BRACK | L_PAREN | DOT2) | None);
                levels.push((0, expression.then_some(index)));
            }
            R_BRACE | R_BRACK | R_PAREN if levels.len() > 1 => {
                levels.pop();
            }
            _ => {}
        }
        index += 1;
    }
    masked
}

/// The index after the bracket that closes the one opened at `start`. When it is never closed,
/// the first place after it where an item starts, so that an unclosed bracket (typing `(` in an
/// editor) does not swallow the rest of the file; else the end.
fn group_end(kinds: &[SyntaxKind], start: usize) -> usize {
    let mut depth = 0usize;
    let mut next_item = None;
    for (index, kind) in kinds.iter().enumerate().skip(start) {
        match kind {
            L_BRACE | L_BRACK | L_PAREN => depth += 1,
            R_BRACE | R_BRACK | R_PAREN => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return index + 1;
                }
            }
            _ => {}
        }
        if next_item.is_none() && index > start && super::parser::item_starts_at(kinds, index) {
            next_item = Some(index);
        }
    }
    next_item.unwrap_or(kinds.len())
}

/// The index after the chain that goes on at `start`: its names, dots and argument lists.
fn chain_end(kinds: &[SyntaxKind], start: usize) -> usize {
    let mut index = start;
    while index < kinds.len() {
        match kinds[index] {
            DOT => index += 1,
            // A name followed by `=` or `{` starts the next item.
            IDENT if matches!(kinds.get(index + 1), Some(EQ | L_BRACE)) => break,
            IDENT => index += 1,
            L_PAREN => index = group_end(kinds, index),
            _ => break,
        }
    }
    index.max(start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_is_past_a_limit_is_masked() {
        let mut kinds = vec![IDENT, EQ];
        kinds.extend(std::iter::repeat_n(L_BRACK, MAX_NESTING + 2));
        kinds.extend(std::iter::repeat_n(R_BRACK, MAX_NESTING + 2));
        let masked = mask_too_deep(&mut kinds);
        assert_eq!(masked.len(), 1);
        // The whole list is skipped: it is one expression.
        assert_eq!((masked[0].start, masked[0].end), (2, kinds.len()));

        let mut blocks = Vec::new();
        for _ in 0..MAX_NESTING + 2 {
            blocks.extend([IDENT, L_BRACE]);
        }
        blocks.extend(std::iter::repeat_n(R_BRACE, MAX_NESTING + 2));
        let masked = mask_too_deep(&mut blocks);
        assert_eq!(masked.len(), 1);
        // Blocks are kept up to the limit.
        assert_eq!(masked[0].start, 2 * MAX_NESTING + 1);

        let mut chain = vec![IDENT, EQ, IDENT];
        for _ in 0..MAX_CHAIN + 3 {
            chain.extend([DOT, IDENT]);
        }
        chain.extend([IDENT, EQ, NUMBER]);
        let masked = mask_too_deep(&mut chain);
        assert_eq!(masked.len(), 1);
        assert_eq!(&chain[chain.len() - 3..], &[IDENT, EQ, NUMBER], "the next item is kept");

        let mut fine = vec![IDENT, L_BRACE, IDENT, EQ, IDENT, DOT, IDENT, R_BRACE];
        assert!(mask_too_deep(&mut fine).is_empty());
    }
}
