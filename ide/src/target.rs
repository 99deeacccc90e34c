//! What is at a position: the token, the block around it, the kind and attribute schema it is
//! checked against. Every feature starts here.

use planc::ast::{self, AstNode};
use planc::catalog::Catalog;
use planc::db::{parse, Database, SourceFile};
use planc::syntax::{SyntaxKind, SyntaxNode, SyntaxToken, TextRange, TextSize};

/// A span in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: SourceFile,
    pub range: TextRange,
}

/// What the token at a position is.
#[derive(Debug, Clone)]
pub enum Target {
    /// The kind identifier of a block (`service`).
    Kind { kind: String, range: TextRange },
    /// The name of a top-level block.
    Declaration { name: String, range: TextRange },
    /// An attribute key of a block of `kind`, inside the object attributes of `path`.
    Attribute { kind: String, path: Vec<String>, name: String, range: TextRange },
    /// A reference to a block.
    Reference { name: String, field: Option<String>, range: TextRange },
}

pub(crate) fn token_at(root: &SyntaxNode, offset: TextSize) -> Option<SyntaxToken> {
    let tokens = root.token_at_offset(offset);
    let pick = |token: &SyntaxToken| matches!(token.kind(), SyntaxKind::IDENT | SyntaxKind::STRING);
    let (left, right) = match tokens {
        rowan::TokenAtOffset::None => return None,
        rowan::TokenAtOffset::Single(token) => return Some(token),
        rowan::TokenAtOffset::Between(left, right) => (left, right),
    };
    if pick(&right) {
        Some(right)
    } else if pick(&left) {
        Some(left)
    } else {
        Some(right)
    }
}

/// The kind of the block that contains `node` (the nearest enclosing `BLOCK`).
pub(crate) fn enclosing_block(node: &SyntaxNode) -> Option<ast::Block> {
    node.ancestors().filter_map(ast::Block::cast).find(|block| {
        // A block-as-object (`tags { }`) or an `env` override is not the kind we want.
        let kind = block.kind_token().map(|it| it.text().to_string()).unwrap_or_default();
        kind != "env" || block.syntax().parent().is_none_or(|it| it.kind() == SyntaxKind::SOURCE_FILE)
    })
}

/// Whether a block is a block of a catalog kind (top-level, or nested with a name such as
/// `node_pool general`) rather than an attribute written as a block (`autoscale { }`,
/// `terraform { }`) or an `env` override.
pub(crate) fn is_kind_block(block: &ast::Block) -> bool {
    let Some(kind) = block.kind_token().map(|it| it.text().to_string()) else { return false };
    let top = block.syntax().parent().is_some_and(|it| it.kind() == SyntaxKind::SOURCE_FILE);
    if kind == "env" && !top {
        return false;
    }
    Catalog::builtin().kind(&kind).is_some() && (top || block.label().is_some())
}

/// The kind a block body is checked against and the attribute path of the blocks written as
/// attributes between it and the cursor: in `service api { autoscale { scale_up { | } } }`,
/// (`service`, [`autoscale`, `scale_up`]). `env` overrides add nothing to the path.
pub(crate) fn schema_path(block: &ast::Block) -> Option<(String, Vec<String>)> {
    let mut path = Vec::new();
    let mut current = Some(block.clone());
    while let Some(block) = current {
        let kind = block.kind_token()?.text().to_string();
        if is_kind_block(&block) {
            path.reverse();
            return Some((kind, path));
        }
        let is_override = kind == "env" && block.label().is_some();
        if !is_override {
            path.push(kind);
        }
        current = block.syntax().parent().and_then(|body| body.parent()).and_then(ast::Block::cast);
    }
    None
}

/// The kind a block body is checked against: the block's kind, skipping `env` overrides and
/// block-as-object sugar.
pub(crate) fn schema_kind(block: &ast::Block) -> Option<String> {
    schema_path(block).map(|(kind, _)| kind)
}

/// The attribute (or object field) at `path` of a kind: `autoscale.scale_up.max`.
pub(crate) fn attr_at<'a>(kind: &str, path: &[String]) -> Option<&'a planc::catalog::AttrSchema> {
    let schema = Catalog::builtin().kind(kind)?;
    let (first, rest) = path.split_first()?;
    let mut attr = schema.attr(first)?;
    for name in rest {
        attr = attr.field(name)?;
    }
    Some(attr)
}

pub fn target_at(db: &Database, file: SourceFile, offset: TextSize) -> Option<Target> {
    let root = parse(db, file).syntax();
    let token = token_at(&root, offset)?;
    let parent = token.parent()?;
    match parent.kind() {
        SyntaxKind::BLOCK if token.kind() == SyntaxKind::IDENT => {
            let block = ast::Block::cast(parent.clone())?;
            let kind = token.text().to_string();
            if !is_kind_block(&block) {
                // `tags { }` or `scale_up { }`: an attribute or field written as a block.
                let (outer, mut path) = schema_path(&block)?;
                path.pop();
                return Some(Target::Attribute { kind: outer, path, name: kind, range: token.text_range() });
            }
            Some(Target::Kind { kind, range: token.text_range() })
        }
        SyntaxKind::BLOCK_LABEL => {
            let block = ast::Block::cast(parent.parent()?)?;
            let is_top = block.syntax().parent().is_some_and(|it| it.kind() == SyntaxKind::SOURCE_FILE);
            let name = ast::token_name(&token);
            if is_top {
                Some(Target::Declaration { name, range: token.text_range() })
            } else {
                None
            }
        }
        SyntaxKind::KEY => {
            let owner = parent.parent()?;
            if owner.kind() != SyntaxKind::ATTRIBUTE {
                return None;
            }
            let block = enclosing_block(&owner)?;
            let (kind, path) = schema_path(&block)?;
            Some(Target::Attribute { kind, path, name: ast::token_name(&token), range: token.text_range() })
        }
        SyntaxKind::NAME_REF => {
            let field_parent =
                parent.parent().filter(|it| it.kind() == SyntaxKind::FIELD_EXPR).and_then(ast::FieldExpr::cast);
            match field_parent {
                Some(field) if field.field().is_some_and(|it| it.syntax() == &parent) => {
                    let target = match field.target()? {
                        ast::Expr::NameRef(name_ref) => name_ref.name()?,
                        _ => return None,
                    };
                    Some(Target::Reference {
                        name: target,
                        field: Some(token.text().to_string()),
                        range: token.text_range(),
                    })
                }
                _ => Some(Target::Reference { name: token.text().to_string(), field: None, range: token.text_range() }),
            }
        }
        _ => None,
    }
}
