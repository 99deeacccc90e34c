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

#[cfg(test)]
mod tests {
    use crate::fixture::{files, text_at, with_cursor};

    #[test]
    fn every_block_body_folds_and_the_server_keeps_those_over_several_lines() {
        let (analysis, file) = files("bucket assets {\n  versioning = true\n}\nbucket logs {}\n");
        let folded: Vec<String> =
            analysis.folding_ranges(file).unwrap().into_iter().map(|it| text_at(&analysis, file, it)).collect();
        assert_eq!(folded, ["{\n  versioning = true\n}", "{}"]);
    }

    #[test]
    fn a_selection_widens_from_the_word_to_the_file() {
        let (analysis, file, offset) = with_cursor("bucket assets {\n  versio$0ning = true\n}\n");
        let widening: Vec<String> = analysis
            .selection_ranges(file, offset)
            .unwrap()
            .into_iter()
            .map(|it| text_at(&analysis, file, it))
            .collect();
        insta::assert_debug_snapshot!(widening);
    }
}
