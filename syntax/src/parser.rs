//! The grammar of LANGUAGE.md §3, written with chumsky over the significant tokens.
//!
//! Parsers return `Frag`s (a node kind with children, or the index of a significant token)
//! instead of AST values; `tree.rs` then walks fragments and raw tokens together into one
//! lossless rowan tree. Backtracking therefore costs nothing but dropped fragments.
//!
//! Recovery works at two levels, so that each independent mistake is reported once:
//! a missing or broken attribute value becomes an `ERROR` node inside the attribute (the
//! attribute is still known to exist), and input that is not an item at all is skipped up to
//! the next thing that looks like an item, the end of the enclosing block, or the end of file.

use chumsky::error::{LabelError, RichPattern};
use chumsky::input::InputRef;
use chumsky::prelude::*;

use super::SyntaxKind::{self, *};

pub(crate) type Tokens<'a> = &'a [SyntaxKind];
pub(crate) type Extra<'a> = extra::Err<Rich<'a, SyntaxKind>>;

/// A piece of the tree: a node with children, or the index of a significant token.
#[derive(Debug, Clone)]
pub(crate) enum Frag {
    Tok(u32),
    /// A node, the index of its first token (known when it is built, so the tree builder
    /// need not search for it), and its children.
    Node(SyntaxKind, Option<u32>, Vec<Frag>),
}

impl Frag {
    pub(crate) fn first_token(&self) -> Option<u32> {
        match self {
            Frag::Tok(index) => Some(*index),
            Frag::Node(_, first, _) => *first,
        }
    }
}

fn node(kind: SyntaxKind, children: Vec<Frag>) -> Frag {
    let first = children.iter().find_map(Frag::first_token);
    Frag::Node(kind, first, children)
}

fn tok<'a>(kind: SyntaxKind) -> impl Parser<'a, Tokens<'a>, Frag, Extra<'a>> + Clone {
    just(kind).map_with(|_, e| {
        let span: SimpleSpan = e.span();
        Frag::Tok(span.start as u32)
    })
}

/// `open items.. close` as one list of children, allocated once.
fn delimited(open: Frag, items: Vec<Frag>, close: Frag) -> Vec<Frag> {
    let mut children = Vec::with_capacity(items.len() + 2);
    children.push(open);
    children.extend(items);
    children.push(close);
    children
}

/// True when the tokens at `index` start an item: `key =`, `kind {`, or `kind label {`.
pub(crate) fn item_starts_at(tokens: &[SyntaxKind], index: usize) -> bool {
    let at = |offset: usize| tokens.get(index + offset).copied();
    match (at(0), at(1), at(2)) {
        (Some(IDENT | STRING), Some(EQ), _) => true,
        (Some(IDENT), Some(L_BRACE), _) => true,
        (Some(IDENT), Some(IDENT | STRING), Some(L_BRACE)) => true,
        _ => false,
    }
}

/// Skips input that cannot be parsed, keeping delimiters balanced, and wraps it in `ERROR`.
///
/// Stops (without consuming) at the end of the enclosing construct, at a separator, or where
/// an item starts. With `at_least_one`, the first token is always taken, so that the
/// item loop makes progress on input such as a stray `}` at the top level.
fn skip_junk<'a>(at_least_one: bool) -> impl Parser<'a, Tokens<'a>, Frag, Extra<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, Tokens<'a>, Extra<'a>>| {
        let mut children = Vec::new();
        let mut open: Vec<SyntaxKind> = Vec::new();
        loop {
            let cursor = inp.cursor();
            let index = *cursor.inner();
            let rest: &'a [SyntaxKind] = inp.slice_from(&cursor..);
            let Some(&kind) = rest.first() else { break };
            let first = children.is_empty() && at_least_one;
            if !first {
                if open.is_empty() && matches!(kind, COMMA | SEMICOLON) {
                    break;
                }
                if item_starts_at(rest, 0) {
                    break;
                }
                if matches!(kind, R_BRACE | R_BRACK | R_PAREN) {
                    let expected = match open.last() {
                        Some(L_BRACE) => R_BRACE,
                        Some(L_BRACK) => R_BRACK,
                        Some(L_PAREN) => R_PAREN,
                        _ => break,
                    };
                    if kind != expected {
                        break;
                    }
                    open.pop();
                }
            }
            if matches!(kind, L_BRACE | L_BRACK | L_PAREN) {
                open.push(kind);
            }
            inp.skip();
            children.push(Frag::Tok(index as u32));
        }
        if at_least_one && children.is_empty() {
            let here = inp.cursor();
            return Err(Rich::custom(inp.span_since(&here), "nothing to skip"));
        }
        Ok(node(ERROR, children))
    })
}

/// `first (, next)* ,?` as a flat list of children in source order.
fn comma_list<'a>(
    expr: impl Parser<'a, Tokens<'a>, Frag, Extra<'a>> + Clone + 'a,
) -> impl Parser<'a, Tokens<'a>, Vec<Frag>, Extra<'a>> + Clone {
    expr.clone().then(tok(COMMA).then(expr).repeated().collect::<Vec<_>>()).then(tok(COMMA).or_not()).or_not().map(
        |list| {
            let mut children = Vec::new();
            if let Some(((first, rest), trailing)) = list {
                children.push(first);
                for (comma, item) in rest {
                    children.push(comma);
                    children.push(item);
                }
                children.extend(trailing);
            }
            children
        },
    )
}

pub(crate) fn file<'a>() -> impl Parser<'a, Tokens<'a>, Frag, Extra<'a>> {
    let separator = one_of([COMMA, SEMICOLON]).map_with(|_, e| {
        let span: SimpleSpan = e.span();
        Frag::Tok(span.start as u32)
    });

    let expr = recursive(|expr| {
        let literal = one_of([NUMBER, QUANTITY, MONEY, TRUE_KW, FALSE_KW, TEXT_BLOCK]).map_with(|_, e| {
            let span: SimpleSpan = e.span();
            node(LITERAL, vec![Frag::Tok(span.start as u32)])
        });
        let string = tok(STRING).map(|t| node(STRING_LIT, vec![t]));
        // A name directly followed by `=` or `{` starts the next item: the value is missing.
        // A name directly followed by `=` or `{` starts the next item: the value is missing.
        let name_ref = custom(|inp: &mut InputRef<'a, '_, Tokens<'a>, Extra<'a>>| {
            let before = inp.cursor();
            let index = *before.inner();
            let rest: &'a [SyntaxKind] = inp.slice_from(&before..);
            match rest {
                [IDENT, EQ | L_BRACE, ..] | [] => {}
                [IDENT, ..] => {
                    inp.skip();
                    return Ok(node(NAME_REF, vec![Frag::Tok(index as u32)]));
                }
                _ => {}
            }
            let found = rest.first().map(|kind| chumsky::util::MaybeRef::Val(*kind));
            let expected: [RichPattern<'a, SyntaxKind>; 0] = [];
            Err(<Rich<'a, SyntaxKind> as LabelError<'a, Tokens<'a>, RichPattern<'a, SyntaxKind>>>::expected_found(
                expected,
                found,
                SimpleSpan::from(index..index + 1),
            ))
        });
        let list = tok(L_BRACK)
            .then(comma_list(expr.clone()))
            .then(tok(R_BRACK))
            .map(|((open, items), close)| node(LIST_EXPR, delimited(open, items, close)));
        let key = tok(IDENT).or(tok(STRING)).map(|t| node(KEY, vec![t]));
        let entry =
            key.then(tok(EQ)).then(expr.clone()).map(|((key, eq), value)| node(OBJECT_ENTRY, vec![key, eq, value]));
        let object = tok(L_BRACE)
            .then(entry.or(separator.clone()).repeated().collect::<Vec<_>>())
            .then(tok(R_BRACE))
            .map(|((open, entries), close)| node(OBJECT_EXPR, delimited(open, entries, close)));
        let paren = tok(L_PAREN)
            .then(expr.clone())
            .then(tok(R_PAREN))
            .map(|((open, inner), close)| node(PAREN_EXPR, vec![open, inner, close]));
        let primary = choice((literal, string, name_ref, list, object, paren)).labelled("a value");

        let args = tok(L_PAREN)
            .then(comma_list(expr.clone()))
            .then(tok(R_PAREN))
            .map(|((open, args), close)| node(ARG_LIST, delimited(open, args, close)));
        enum Suffix {
            Field(Frag, Frag),
            Call(Frag),
        }
        let suffix = choice((
            tok(DOT).then(tok(IDENT).labelled("a field name")).map(|(dot, name)| Suffix::Field(dot, name)),
            args.map(Suffix::Call),
        ));
        let postfix = primary.foldl(suffix.repeated(), |target, suffix| match suffix {
            Suffix::Field(dot, name) => node(FIELD_EXPR, vec![target, dot, node(NAME_REF, vec![name])]),
            Suffix::Call(args) => node(CALL_EXPR, vec![target, args]),
        });
        postfix
            .clone()
            .then(tok(DOT2).then(postfix.labelled("the end of the range")).or_not())
            .map(|(low, rest)| match rest {
                Some((dots, high)) => node(RANGE_EXPR, vec![low, dots, high]),
                None => low,
            })
            .boxed()
    });
    file_items(expr, separator)
}

/// The items of a file, as a `SOURCE_FILE` node.
fn file_items<'a>(
    expr: impl Parser<'a, Tokens<'a>, Frag, Extra<'a>> + Clone + 'a,
    separator: impl Parser<'a, Tokens<'a>, Frag, Extra<'a>> + Clone + 'a,
) -> impl Parser<'a, Tokens<'a>, Frag, Extra<'a>> {
    // A missing or broken value still makes an attribute, with an `ERROR` node for its value.
    let value = expr.recover_with(via_parser(skip_junk(false)));
    let key = tok(IDENT).or(tok(STRING)).map(|t| node(KEY, vec![t]));
    let attribute = key.then(tok(EQ)).then(value).map(|((key, eq), value)| node(ATTRIBUTE, vec![key, eq, value]));

    let item = recursive(|item| {
        let body_items = choice((
            separator.clone(),
            none_of([R_BRACE]).rewind().ignore_then(item.clone().recover_with(via_parser(skip_junk(true)))),
        ))
        .repeated()
        .collect::<Vec<_>>();
        // A block left open at the end of the file still keeps what it holds.
        let close = tok(R_BRACE).recover_with(via_parser(empty().to(node(ERROR, Vec::new()))));
        let body = tok(L_BRACE)
            .then(body_items)
            .then(close)
            .map(|((open, items), close)| node(BLOCK_BODY, delimited(open, items, close)));
        let label = tok(IDENT).or(tok(STRING)).map(|t| node(BLOCK_LABEL, vec![t]));
        let block = tok(IDENT).then(label.or_not()).then(body).map(|((kind, label), body)| {
            node(
                BLOCK,
                match label {
                    Some(label) => vec![kind, label, body],
                    None => vec![kind, body],
                },
            )
        });
        choice((attribute.clone(), block)).labelled("a block or an attribute").boxed()
    });

    choice((separator, item.recover_with(via_parser(skip_junk(true)))))
        .repeated()
        .collect::<Vec<_>>()
        .then_ignore(end())
        .map(|items| node(SOURCE_FILE, items))
}
