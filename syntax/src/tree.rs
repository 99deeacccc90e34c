//! Walks the parser's fragments and the raw tokens together into one rowan green tree.
//!
//! Every raw token is emitted exactly once and in order, so the tree's text is the input,
//! byte for byte. Trivia in front of a node goes to the enclosing node, which keeps doc
//! comments as the previous siblings of the item they document.

use rowan::{GreenNode, GreenNodeBuilder, NodeCache};

use super::lexer::Token;
use super::parser::Frag;
use super::SyntaxKind::*;

pub(crate) struct TreeBuilder<'a> {
    text: &'a str,
    tokens: &'a [Token],
    offsets: &'a [u32],
    /// Raw token index of each significant token.
    significant: &'a [u32],
    next_raw: usize,
    builder: GreenNodeBuilder<'a>,
}

impl<'a> TreeBuilder<'a> {
    /// `cache` deduplicates equal tokens and small nodes; one cache for all the items of a
    /// file keeps its tree as small as if it were built in one go.
    pub(crate) fn new(
        text: &'a str,
        tokens: &'a [Token],
        offsets: &'a [u32],
        significant: &'a [u32],
        cache: &'a mut NodeCache,
    ) -> Self {
        TreeBuilder { text, tokens, offsets, significant, next_raw: 0, builder: GreenNodeBuilder::with_cache(cache) }
    }

    pub(crate) fn build(mut self, root: Frag) -> GreenNode {
        let children = match root {
            Frag::Node(SOURCE_FILE, _, children) => children,
            other => vec![other],
        };
        self.builder.start_node(SOURCE_FILE.into());
        for child in children {
            self.frag(child);
        }
        self.emit_until(self.tokens.len());
        self.builder.finish_node();
        self.builder.finish()
    }

    fn frag(&mut self, frag: Frag) {
        match frag {
            Frag::Tok(index) => {
                let raw = self.significant[index as usize] as usize;
                if raw < self.next_raw {
                    return; // Already emitted; fragments never repeat a token, but stay safe.
                }
                self.emit_until(raw);
                self.emit_raw(raw);
            }
            Frag::Node(kind, first, children) => {
                if let Some(first) = first {
                    let raw = self.significant[first as usize] as usize;
                    self.emit_until(raw);
                }
                self.builder.start_node(kind.into());
                for child in children {
                    self.frag(child);
                }
                self.builder.finish_node();
            }
        }
    }

    /// Emits raw tokens up to (not including) `raw`. Trivia goes in as it is; a significant
    /// token that no fragment claimed is wrapped in an `ERROR` node.
    fn emit_until(&mut self, raw: usize) {
        while self.next_raw < raw {
            let index = self.next_raw;
            if self.tokens[index].kind.is_trivia() {
                self.emit_raw(index);
            } else {
                self.builder.start_node(ERROR.into());
                self.emit_raw(index);
                self.builder.finish_node();
            }
        }
    }

    fn emit_raw(&mut self, index: usize) {
        let token = self.tokens[index];
        let start = self.offsets[index] as usize;
        let text = &self.text[start..start + token.len as usize];
        self.builder.token(token.kind.into(), text);
        self.next_raw = index + 1;
    }
}
