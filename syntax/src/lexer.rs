//! The lexer: source text to tokens, trivia included, so that the tree can be lossless.
//!
//! Strings are one token each, interpolations included; `syntax::strings` splits them into parts.
//! Problems the lexer can see on its own (an unknown character, an unterminated string or
//! comment, a bad escape) are reported here, once, and the token is still produced so that the
//! parser does not report the same place again.

use rowan::{TextRange, TextSize};

use super::{SyntaxError, SyntaxKind, SyntaxKind::*};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: SyntaxKind,
    pub len: u32,
}

pub fn lex(text: &str) -> (Vec<Token>, Vec<SyntaxError>) {
    let mut lexer =
        Lexer { text, bytes: text.as_bytes(), pos: 0, tokens: Vec::with_capacity(text.len() / 3), errors: Vec::new() };
    lexer.run();
    (lexer.tokens, lexer.errors)
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
    errors: Vec<SyntaxError>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: SyntaxKind, start: usize) {
        self.tokens.push(Token { kind, len: (self.pos - start) as u32 });
    }

    fn error(&mut self, start: usize, end: usize, message: impl Into<String>) {
        let range = TextRange::new(TextSize::from(start as u32), TextSize::from(end as u32));
        self.errors.push(SyntaxError { range, message: message.into() });
    }

    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let kind = self.next_kind();
            debug_assert!(self.pos > start, "the lexer must always advance");
            self.push(kind, start);
        }
    }

    fn next_kind(&mut self) -> SyntaxKind {
        let start = self.pos;
        let b = self.bytes[self.pos];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                while matches!(self.peek(0), b' ' | b'\t' | b'\n' | b'\r') {
                    self.pos += 1;
                }
                WHITESPACE
            }
            b'/' if self.peek(1) == b'/' => {
                let doc = self.peek(2) == b'/' && self.peek(3) != b'/';
                while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
                    self.pos += 1;
                }
                if doc {
                    DOC_COMMENT
                } else {
                    COMMENT
                }
            }
            b'/' if self.peek(1) == b'*' => {
                self.block_comment();
                COMMENT
            }
            b'"' if self.peek(1) == b'"' && self.peek(2) == b'"' => {
                self.pos += 3;
                match self.text[self.pos..].find("\"\"\"") {
                    Some(offset) => self.pos += offset + 3,
                    None => {
                        self.pos = self.bytes.len();
                        self.error(start, start + 3, "unterminated text block: add a closing `\"\"\"`");
                    }
                }
                TEXT_BLOCK
            }
            b'"' => {
                self.string();
                STRING
            }
            b'0'..=b'9' => self.number_like(),
            b'-' if self.peek(1).is_ascii_digit() => {
                self.pos += 1;
                self.number_like()
            }
            b'$' => self.money(),
            _ if is_ident_start(b) => {
                loop {
                    while self.pos < self.bytes.len() && is_ident_continue(self.bytes[self.pos]) {
                        self.pos += 1;
                    }
                    // `python3.12`: a dot between digits stays inside the name, since a field
                    // name never starts with a digit.
                    if self.bytes[self.pos - 1].is_ascii_digit()
                        && self.peek(0) == b'.'
                        && self.peek(1).is_ascii_digit()
                    {
                        self.pos += 1;
                        continue;
                    }
                    break;
                }
                // A hyphen may not end a name.
                while self.bytes[self.pos - 1] == b'-' {
                    self.pos -= 1;
                }
                match &self.text[start..self.pos] {
                    "true" => TRUE_KW,
                    "false" => FALSE_KW,
                    _ => IDENT,
                }
            }
            b'{' => self.single(L_BRACE),
            b'}' => self.single(R_BRACE),
            b'[' => self.single(L_BRACK),
            b']' => self.single(R_BRACK),
            b'(' => self.single(L_PAREN),
            b')' => self.single(R_PAREN),
            b'=' => self.single(EQ),
            b',' => self.single(COMMA),
            b';' => self.single(SEMICOLON),
            b'.' if self.peek(1) == b'.' => {
                self.pos += 2;
                DOT2
            }
            b'.' => self.single(DOT),
            _ => {
                // Unknown characters: one token for the whole run, one error.
                while self.pos < self.bytes.len() && !self.starts_known_token() {
                    let ch = self.text[self.pos..].chars().next().map_or(1, char::len_utf8);
                    self.pos += ch;
                }
                let found = &self.text[start..self.pos];
                let message = if found == "-" {
                    "unexpected `-`: a hyphen joins two parts of a name, and a negative number needs a digit right after it".to_string()
                } else {
                    format!(
                        "unexpected character{} `{}`",
                        if found.chars().count() > 1 { "s" } else { "" },
                        found.escape_debug()
                    )
                };
                self.error(start, self.pos, message);
                ERROR_TOKEN
            }
        }
    }

    fn starts_known_token(&self) -> bool {
        let b = self.bytes[self.pos];
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b' ' | b'\t'
                    | b'\n'
                    | b'\r'
                    | b'_'
                    | b'"'
                    | b'$'
                    | b'{'
                    | b'}'
                    | b'['
                    | b']'
                    | b'('
                    | b')'
                    | b'='
                    | b','
                    | b';'
                    | b'.'
            )
            || (b == b'/' && matches!(self.peek(1), b'/' | b'*'))
            || (b == b'-' && self.peek(1).is_ascii_digit())
    }

    fn single(&mut self, kind: SyntaxKind) -> SyntaxKind {
        self.pos += 1;
        kind
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        self.pos += 2;
        let mut depth = 1;
        while self.pos < self.bytes.len() {
            if self.peek(0) == b'/' && self.peek(1) == b'*' {
                depth += 1;
                self.pos += 2;
            } else if self.peek(0) == b'*' && self.peek(1) == b'/' {
                depth -= 1;
                self.pos += 2;
                if depth == 0 {
                    return;
                }
            } else {
                self.pos += 1;
            }
        }
        self.error(start, start + 2, "unterminated block comment: add a closing `*/`");
    }

    /// A one-line string with escapes and `${ expr }` interpolations.
    fn string(&mut self) {
        let start = self.pos;
        self.pos += 1;
        let mut interpolation_depth = 0u32;
        loop {
            match self.peek(0) {
                0 if self.pos >= self.bytes.len() => break,
                b'\n' | b'\r' => break,
                b'"' if interpolation_depth == 0 => {
                    self.pos += 1;
                    return;
                }
                b'"' => {
                    // A string inside an interpolation: skip it whole.
                    self.pos += 1;
                    while !matches!(self.peek(0), b'"' | b'\n' | b'\r' | 0) {
                        self.pos += if self.peek(0) == b'\\' { 2 } else { 1 };
                    }
                    if self.peek(0) == b'"' {
                        self.pos += 1;
                    }
                }
                b'\\' if interpolation_depth == 0 => self.escape(),
                b'$' if self.peek(1) == b'{' => {
                    interpolation_depth += 1;
                    self.pos += 2;
                }
                b'{' if interpolation_depth > 0 => {
                    interpolation_depth += 1;
                    self.pos += 1;
                }
                b'}' if interpolation_depth > 0 => {
                    interpolation_depth -= 1;
                    self.pos += 1;
                }
                _ => {
                    let ch = self.text[self.pos..].chars().next().map_or(1, char::len_utf8);
                    self.pos += ch;
                }
            }
        }
        self.pos = self.pos.min(self.bytes.len());
        let message = if interpolation_depth > 0 {
            "unterminated interpolation: close `${` with `}` and the string with `\"` on the same line"
        } else {
            "unterminated string: strings end on the line they start; use a `\"\"\"` text block for several lines"
        };
        self.error(start, self.pos, message);
    }

    fn escape(&mut self) {
        let start = self.pos;
        self.pos += 1;
        match self.peek(0) {
            b'"' | b'\\' | b'n' | b't' | b'$' => self.pos += 1,
            b'u' if self.peek(1) == b'{' => {
                self.pos += 2;
                let digits_start = self.pos;
                while self.peek(0).is_ascii_hexdigit() {
                    self.pos += 1;
                }
                let digits = &self.text[digits_start..self.pos];
                let valid = self.peek(0) == b'}'
                    && !digits.is_empty()
                    && digits.len() <= 6
                    && u32::from_str_radix(digits, 16).ok().and_then(char::from_u32).is_some();
                if self.peek(0) == b'}' {
                    self.pos += 1;
                }
                if !valid {
                    self.error(
                        start,
                        self.pos,
                        "invalid unicode escape: write `\\u{` hex digits of a Unicode scalar value `}`, e.g. `\\u{e9}`",
                    );
                }
            }
            _ => {
                let len = self.text[self.pos..].chars().next().map_or(0, char::len_utf8);
                if matches!(self.peek(0), b'\n' | b'\r') || len == 0 {
                    self.error(start, self.pos, "a string cannot end with `\\`");
                    return;
                }
                self.pos += len;
                self.error(
                    start,
                    self.pos,
                    format!(
                        "unknown escape `{}`: the escapes are `\\\"` `\\\\` `\\n` `\\t` `\\$` and `\\u{{..}}`",
                        &self.text[start..self.pos]
                    ),
                );
            }
        }
    }

    /// A number, optionally followed directly by a unit: `3`, `0.5`, `10_000`, `512Mi`, `70%`.
    fn number_like(&mut self) -> SyntaxKind {
        self.digits();
        if self.peek(0) == b'.' && self.peek(1).is_ascii_digit() {
            self.pos += 1;
            self.digits();
        }
        if self.peek(0) == b'%' {
            self.pos += 1;
            return QUANTITY;
        }
        if self.peek(0).is_ascii_alphabetic() {
            while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
                self.pos += 1;
            }
            return QUANTITY;
        }
        NUMBER
    }

    fn digits(&mut self) {
        while self.peek(0).is_ascii_digit() || (self.peek(0) == b'_' && self.peek(1).is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// `$4000/mo`, `$0.12/h`, `$1_200/yr`; the period is checked when the value is lowered.
    fn money(&mut self) -> SyntaxKind {
        let start = self.pos;
        self.pos += 1;
        if !self.peek(0).is_ascii_digit() {
            self.error(start, self.pos, "`$` starts an amount of money and needs digits after it, e.g. `$400/mo`");
            return ERROR_TOKEN;
        }
        self.digits();
        if self.peek(0) == b'.' && self.peek(1).is_ascii_digit() {
            self.pos += 1;
            self.digits();
        }
        if self.peek(0) == b'/' && self.peek(1).is_ascii_alphabetic() {
            self.pos += 1;
            while self.peek(0).is_ascii_alphabetic() {
                self.pos += 1;
            }
        }
        MONEY
    }
}
