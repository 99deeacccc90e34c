//! Typed views over the rowan tree, in the style of rust-analyzer: zero-cost wrappers whose
//! accessors return `Option`, because a tree that is being edited is never complete.

use crate::{strings, PlanLanguage, SyntaxKind, SyntaxKind::*, SyntaxNode, SyntaxToken, TextRange};

pub trait AstNode: Sized {
    fn cast(syntax: SyntaxNode) -> Option<Self>;
    fn syntax(&self) -> &SyntaxNode;
    fn range(&self) -> TextRange {
        self.syntax().text_range()
    }
}

macro_rules! ast_node {
    ($name:ident, $kind:ident) => {
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            pub(crate) syntax: SyntaxNode,
        }
        impl AstNode for $name {
            fn cast(syntax: SyntaxNode) -> Option<Self> {
                (syntax.kind() == $kind).then_some(Self { syntax })
            }
            fn syntax(&self) -> &SyntaxNode {
                &self.syntax
            }
        }
    };
}

ast_node!(SourceFile, SOURCE_FILE);
ast_node!(Block, BLOCK);
ast_node!(BlockLabel, BLOCK_LABEL);
ast_node!(BlockBody, BLOCK_BODY);
ast_node!(Attribute, ATTRIBUTE);
ast_node!(Key, KEY);
ast_node!(Literal, LITERAL);
ast_node!(StringLit, STRING_LIT);
ast_node!(NameRef, NAME_REF);
ast_node!(FieldExpr, FIELD_EXPR);
ast_node!(CallExpr, CALL_EXPR);
ast_node!(ArgList, ARG_LIST);
ast_node!(ParenExpr, PAREN_EXPR);
ast_node!(ListExpr, LIST_EXPR);
ast_node!(ObjectExpr, OBJECT_EXPR);
ast_node!(ObjectEntry, OBJECT_ENTRY);
ast_node!(RangeExpr, RANGE_EXPR);
ast_node!(ErrorNode, ERROR);

fn child<N: AstNode>(parent: &SyntaxNode) -> Option<N> {
    parent.children().find_map(N::cast)
}

fn children<N: AstNode>(parent: &SyntaxNode) -> impl Iterator<Item = N> {
    parent.children().filter_map(N::cast)
}

fn token(parent: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxToken> {
    parent.children_with_tokens().filter_map(|it| it.into_token()).find(|it| it.kind() == kind)
}

/// An item of a file or of a block body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Item {
    Block(Block),
    Attribute(Attribute),
}

impl Item {
    fn cast(syntax: SyntaxNode) -> Option<Item> {
        match syntax.kind() {
            BLOCK => Some(Item::Block(Block { syntax })),
            ATTRIBUTE => Some(Item::Attribute(Attribute { syntax })),
            _ => None,
        }
    }

    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            Item::Block(it) => &it.syntax,
            Item::Attribute(it) => &it.syntax,
        }
    }
}

impl SourceFile {
    pub fn items(&self) -> impl Iterator<Item = Item> {
        self.syntax.children().filter_map(Item::cast)
    }
}

/// The `///` lines directly above a node, with no blank line in between.
pub fn doc_comment(node: &SyntaxNode) -> Option<String> {
    // Read from the parent's green children: walking red siblings allocated a cursor per step,
    // for every attribute of every file.
    let parent = node.parent()?;
    let green = parent.green();
    let mut lines = Vec::new();
    for element in green.children().take(node.index()).rev() {
        let rowan::NodeOrToken::Token(token) = element else { break };
        match <PlanLanguage as rowan::Language>::kind_from_raw(token.kind()) {
            DOC_COMMENT => {
                let text = token.text().trim_start_matches("///");
                lines.push(text.strip_prefix(' ').unwrap_or(text).trim_end().to_string());
            }
            WHITESPACE => {
                if token.text().bytes().filter(|byte| *byte == b'\n').count() > 1 {
                    break;
                }
            }
            COMMA | SEMICOLON => {}
            _ => break,
        }
    }
    if lines.is_empty() {
        return None;
    }
    lines.reverse();
    Some(lines.join("\n"))
}

impl Block {
    /// The first identifier: what kind of block this is (`service`, `env`, `tags`).
    pub fn kind_token(&self) -> Option<SyntaxToken> {
        token(&self.syntax, IDENT)
    }

    pub fn label(&self) -> Option<BlockLabel> {
        child(&self.syntax)
    }

    pub fn body(&self) -> Option<BlockBody> {
        child(&self.syntax)
    }

    pub fn items(&self) -> impl Iterator<Item = Item> {
        self.body().into_iter().flat_map(|body| body.items().collect::<Vec<_>>())
    }

    pub fn doc_comment(&self) -> Option<String> {
        doc_comment(&self.syntax)
    }
}

impl BlockLabel {
    pub fn token(&self) -> Option<SyntaxToken> {
        self.syntax.first_token().filter(|it| matches!(it.kind(), IDENT | STRING))
    }

    /// The name the label gives, with a string label's quotes removed.
    pub fn name(&self) -> Option<String> {
        self.token().map(|it| token_name(&it))
    }
}

impl BlockBody {
    pub fn items(&self) -> impl Iterator<Item = Item> {
        self.syntax.children().filter_map(Item::cast)
    }

    pub fn l_brace(&self) -> Option<SyntaxToken> {
        token(&self.syntax, L_BRACE)
    }

    pub fn r_brace(&self) -> Option<SyntaxToken> {
        token(&self.syntax, R_BRACE)
    }
}

impl Attribute {
    pub fn key(&self) -> Option<Key> {
        child(&self.syntax)
    }

    pub fn value(&self) -> Option<Expr> {
        self.syntax.children().filter(|it| it.kind() != KEY).find_map(Expr::cast)
    }

    pub fn doc_comment(&self) -> Option<String> {
        doc_comment(&self.syntax)
    }
}

/// The text an identifier or string token names: a string's value without quotes.
pub fn token_name(token: &SyntaxToken) -> String {
    match token.kind() {
        STRING => strings::string_parts(token.text())
            .into_iter()
            .map(|part| match part {
                strings::StringPart::Text(text) => text,
                strings::StringPart::Interpolation { source, .. } => format!("${{{source}}}"),
            })
            .collect(),
        _ => token.text().to_string(),
    }
}

impl Key {
    pub fn token(&self) -> Option<SyntaxToken> {
        self.syntax.first_token().filter(|it| matches!(it.kind(), IDENT | STRING))
    }

    pub fn name(&self) -> Option<String> {
        self.token().map(|it| token_name(&it))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    Literal(Literal),
    String(StringLit),
    NameRef(NameRef),
    Field(FieldExpr),
    Call(CallExpr),
    Paren(ParenExpr),
    List(ListExpr),
    Object(ObjectExpr),
    Range(RangeExpr),
    Error(ErrorNode),
}

impl Expr {
    pub fn cast(syntax: SyntaxNode) -> Option<Expr> {
        Some(match syntax.kind() {
            LITERAL => Expr::Literal(Literal { syntax }),
            STRING_LIT => Expr::String(StringLit { syntax }),
            NAME_REF => Expr::NameRef(NameRef { syntax }),
            FIELD_EXPR => Expr::Field(FieldExpr { syntax }),
            CALL_EXPR => Expr::Call(CallExpr { syntax }),
            PAREN_EXPR => Expr::Paren(ParenExpr { syntax }),
            LIST_EXPR => Expr::List(ListExpr { syntax }),
            OBJECT_EXPR => Expr::Object(ObjectExpr { syntax }),
            RANGE_EXPR => Expr::Range(RangeExpr { syntax }),
            ERROR => Expr::Error(ErrorNode { syntax }),
            _ => return None,
        })
    }

    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            Expr::Literal(it) => &it.syntax,
            Expr::String(it) => &it.syntax,
            Expr::NameRef(it) => &it.syntax,
            Expr::Field(it) => &it.syntax,
            Expr::Call(it) => &it.syntax,
            Expr::Paren(it) => &it.syntax,
            Expr::List(it) => &it.syntax,
            Expr::Object(it) => &it.syntax,
            Expr::Range(it) => &it.syntax,
            Expr::Error(it) => &it.syntax,
        }
    }

    pub fn range(&self) -> TextRange {
        self.syntax().text_range()
    }
}

impl Literal {
    pub fn token(&self) -> Option<SyntaxToken> {
        self.syntax.first_token()
    }
}

impl StringLit {
    pub fn token(&self) -> Option<SyntaxToken> {
        self.syntax.first_token()
    }
}

impl NameRef {
    pub fn token(&self) -> Option<SyntaxToken> {
        self.syntax.first_token().filter(|it| it.kind() == IDENT)
    }

    pub fn name(&self) -> Option<String> {
        self.token().map(|it| it.text().to_string())
    }
}

impl FieldExpr {
    pub fn target(&self) -> Option<Expr> {
        self.syntax.children().next().and_then(Expr::cast)
    }

    pub fn field(&self) -> Option<NameRef> {
        self.syntax.children().nth(1).and_then(NameRef::cast)
    }
}

impl CallExpr {
    pub fn callee(&self) -> Option<Expr> {
        self.syntax.children().next().and_then(Expr::cast)
    }

    pub fn args(&self) -> Vec<Expr> {
        child::<ArgList>(&self.syntax)
            .map(|list| list.syntax.children().filter_map(Expr::cast).collect())
            .unwrap_or_default()
    }
}

impl ParenExpr {
    pub fn inner(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }
}

impl ListExpr {
    pub fn items(&self) -> impl Iterator<Item = Expr> {
        self.syntax.children().filter_map(Expr::cast)
    }
}

impl ObjectExpr {
    pub fn entries(&self) -> impl Iterator<Item = ObjectEntry> {
        children(&self.syntax)
    }
}

impl ObjectEntry {
    pub fn key(&self) -> Option<Key> {
        child(&self.syntax)
    }

    pub fn value(&self) -> Option<Expr> {
        self.syntax.children().filter(|it| it.kind() != KEY).find_map(Expr::cast)
    }
}

impl RangeExpr {
    pub fn low(&self) -> Option<Expr> {
        self.syntax.children().next().and_then(Expr::cast)
    }

    pub fn high(&self) -> Option<Expr> {
        self.syntax.children().nth(1).and_then(Expr::cast)
    }
}
