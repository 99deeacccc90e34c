//! Folding and selection ranges.

use planc::db::{parse, Database, SourceFile};
use planc::syntax::{SyntaxKind, TextRange, TextSize};

/// Folding: every block body and object or list that spans several lines, and comment runs.
pub fn folding_ranges(db: &Database, file: SourceFile) -> Vec<TextRange> {
    let root = parse(db, file).syntax();
    root.descendants()
        .filter(|it| matches!(it.kind(), SyntaxKind::BLOCK_BODY | SyntaxKind::OBJECT_EXPR | SyntaxKind::LIST_EXPR))
        .map(|it| it.text_range())
        .chain(
            root.descendants_with_tokens()
                .filter_map(|it| it.into_token())
                .filter(|it| {
                    it.kind() == SyntaxKind::TEXT_BLOCK
                        || (it.kind() == SyntaxKind::COMMENT && it.text().contains('\n'))
                })
                .map(|it| it.text_range()),
        )
        .collect()
}

/// The nodes containing `offset`, innermost first, for expand/shrink selection.
pub fn selection_ranges(db: &Database, file: SourceFile, offset: TextSize) -> Vec<TextRange> {
    let root = parse(db, file).syntax();
    let Some(token) = root.token_at_offset(offset).right_biased() else { return vec![root.text_range()] };
    let mut ranges = vec![token.text_range()];
    for node in token.parent_ancestors() {
        if ranges.last() != Some(&node.text_range()) {
            ranges.push(node.text_range());
        }
    }
    ranges
}
