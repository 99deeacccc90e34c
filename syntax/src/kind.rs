//! `SyntaxKind`: every token and node kind of the lossless tree, and the rowan language tag.

/// Token kinds come first, then node kinds. `#[repr(u16)]` because rowan stores kinds as `u16`.
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u16)]
pub enum SyntaxKind {
    // Trivia.
    WHITESPACE = 0,
    COMMENT,
    DOC_COMMENT,
    /// A character or run of characters the lexer does not understand; reported by the lexer.
    ERROR_TOKEN,

    // Significant tokens.
    IDENT,
    TRUE_KW,
    FALSE_KW,
    STRING,
    TEXT_BLOCK,
    NUMBER,
    QUANTITY,
    MONEY,
    L_BRACE,
    R_BRACE,
    L_BRACK,
    R_BRACK,
    L_PAREN,
    R_PAREN,
    EQ,
    COMMA,
    SEMICOLON,
    DOT,
    DOT2,

    // Nodes.
    SOURCE_FILE,
    BLOCK,
    BLOCK_LABEL,
    BLOCK_BODY,
    ATTRIBUTE,
    KEY,
    LITERAL,
    STRING_LIT,
    NAME_REF,
    FIELD_EXPR,
    CALL_EXPR,
    ARG_LIST,
    PAREN_EXPR,
    LIST_EXPR,
    OBJECT_EXPR,
    OBJECT_ENTRY,
    RANGE_EXPR,
    /// Input the parser could not make sense of; always carries a syntax error.
    ERROR,
    #[doc(hidden)]
    __LAST,
}

use SyntaxKind::*;

impl SyntaxKind {
    pub fn is_trivia(self) -> bool {
        matches!(self, WHITESPACE | COMMENT | DOC_COMMENT | ERROR_TOKEN)
    }

    /// How the kind is named in "expected ..." messages.
    pub fn describe(self) -> &'static str {
        match self {
            IDENT => "a name",
            TRUE_KW => "`true`",
            FALSE_KW => "`false`",
            STRING => "a string",
            TEXT_BLOCK => "a text block",
            NUMBER => "a number",
            QUANTITY => "a quantity",
            MONEY => "an amount of money",
            L_BRACE => "`{`",
            R_BRACE => "`}`",
            L_BRACK => "`[`",
            R_BRACK => "`]`",
            L_PAREN => "`(`",
            R_PAREN => "`)`",
            EQ => "`=`",
            COMMA => "`,`",
            SEMICOLON => "`;`",
            DOT => "`.`",
            DOT2 => "`..`",
            WHITESPACE => "whitespace",
            COMMENT => "a comment",
            DOC_COMMENT => "a doc comment",
            ERROR_TOKEN => "an unknown character",
            _ => "a syntax node",
        }
    }
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        Self(kind as u16)
    }
}

/// The rowan language tag of Plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlanLanguage {}

impl rowan::Language for PlanLanguage {
    type Kind = SyntaxKind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        assert!(raw.0 < __LAST as u16);
        // SAFETY: `SyntaxKind` is `repr(u16)` and `raw.0` is below `__LAST`, so it names a variant.
        unsafe { std::mem::transmute::<u16, SyntaxKind>(raw.0) }
    }

    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        kind.into()
    }
}

pub type SyntaxNode = rowan::SyntaxNode<PlanLanguage>;
pub type SyntaxToken = rowan::SyntaxToken<PlanLanguage>;
pub type SyntaxElement = rowan::SyntaxElement<PlanLanguage>;
