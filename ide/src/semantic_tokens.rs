//! Semantic tokens, for editors without the TextMate grammar or tree-sitter.

use planc::db::{parse, Database, SourceFile};
use planc::syntax::{SyntaxKind, TextRange};

/// Semantic token types in the legend order of `server.rs`.
pub const TOKEN_TYPES: &[&str] =
    &["keyword", "class", "property", "variable", "enumMember", "string", "number", "comment", "function"];

/// (range, token type index) for every classified token, in order.
pub fn semantic_tokens(db: &Database, file: SourceFile) -> Vec<(TextRange, u32)> {
    let root = parse(db, file).syntax();
    let mut out = Vec::new();
    for token in root.descendants_with_tokens().filter_map(|it| it.into_token()) {
        let parent = token.parent().map(|it| it.kind());
        let kind = match (token.kind(), parent) {
            (SyntaxKind::COMMENT | SyntaxKind::DOC_COMMENT, _) => 7,
            (SyntaxKind::STRING | SyntaxKind::TEXT_BLOCK, Some(SyntaxKind::BLOCK_LABEL)) => 1,
            (SyntaxKind::STRING | SyntaxKind::TEXT_BLOCK, Some(SyntaxKind::KEY)) => 2,
            (SyntaxKind::STRING | SyntaxKind::TEXT_BLOCK, _) => 5,
            (SyntaxKind::NUMBER | SyntaxKind::QUANTITY | SyntaxKind::MONEY, _) => 6,
            (SyntaxKind::TRUE_KW | SyntaxKind::FALSE_KW, _) => 4,
            (SyntaxKind::IDENT, Some(SyntaxKind::BLOCK)) => 0,
            (SyntaxKind::IDENT, Some(SyntaxKind::BLOCK_LABEL)) => 1,
            (SyntaxKind::IDENT, Some(SyntaxKind::KEY)) => 2,
            (SyntaxKind::IDENT, Some(SyntaxKind::NAME_REF)) => {
                let is_call =
                    token.parent().and_then(|it| it.parent()).is_some_and(|it| it.kind() == SyntaxKind::CALL_EXPR);
                if is_call {
                    8
                } else {
                    3
                }
            }
            _ => continue,
        };
        out.push((token.text_range(), kind));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::fixture::{files, text_at};
    use crate::TOKEN_TYPES;

    #[test]
    fn kinds_names_attributes_and_values_get_their_token_types() {
        let (analysis, file) = files("bucket assets {\n  versioning = true // kept\n}\n");
        let tokens: Vec<(String, &str)> = analysis
            .semantic_tokens(file)
            .unwrap()
            .into_iter()
            .map(|(range, kind)| (text_at(&analysis, file, range), TOKEN_TYPES[kind as usize]))
            .collect();
        let tokens: Vec<(&str, &str)> = tokens.iter().map(|(text, kind)| (text.as_str(), *kind)).collect();
        insta::assert_debug_snapshot!(tokens);
    }
}
