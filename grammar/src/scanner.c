// External scanner for Plan: the two tokens a regular expression cannot describe.
//
// - block_comment: `/* ... */`, which nests, so it needs a counter.
// - text_block: `""" ... """`, which ends at the first `"""` as the compiler's lexer does.
// - string_content: the text of a string between escapes and `${` interpolations. It is scanned
//   here so that `/*` or `//` inside a string is never taken for a comment.
//
// Both are stateless, so serialisation is empty. An unterminated comment or text block runs
// to the end of the file, as in the compiler, which reports it once.

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>

enum TokenType { BLOCK_COMMENT, TEXT_BLOCK, STRING_CONTENT };

void *tree_sitter_plan_external_scanner_create(void) { return NULL; }

void tree_sitter_plan_external_scanner_destroy(void *payload) { (void)payload; }

unsigned tree_sitter_plan_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}

void tree_sitter_plan_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

static void advance(TSLexer *lexer) { lexer->advance(lexer, false); }

static bool scan_block_comment(TSLexer *lexer) {
  // The caller has seen `/`; `/*` opens a comment, anything else is not ours.
  advance(lexer);
  if (lexer->lookahead != '*') return false;
  advance(lexer);
  unsigned depth = 1;
  while (!lexer->eof(lexer)) {
    if (lexer->lookahead == '/') {
      advance(lexer);
      if (lexer->lookahead == '*') {
        advance(lexer);
        depth++;
      }
    } else if (lexer->lookahead == '*') {
      advance(lexer);
      if (lexer->lookahead == '/') {
        advance(lexer);
        if (--depth == 0) break;
      }
    } else {
      advance(lexer);
    }
  }
  // A comment still open at the end of the file is a syntax error, as planc reports it.
  if (depth > 0) return false;
  lexer->mark_end(lexer);
  lexer->result_symbol = BLOCK_COMMENT;
  return true;
}

static bool scan_text_block(TSLexer *lexer) {
  // Three quotes open a text block; one or two are an ordinary string, left to the grammar.
  for (int i = 0; i < 3; i++) {
    if (lexer->lookahead != '"') return false;
    advance(lexer);
  }
  unsigned quotes = 0;
  while (!lexer->eof(lexer)) {
    if (lexer->lookahead == '"') {
      advance(lexer);
      if (++quotes == 3) break;
    } else {
      quotes = 0;
      advance(lexer);
    }
  }
  lexer->mark_end(lexer);
  lexer->result_symbol = TEXT_BLOCK;
  return true;
}

static bool scan_string_content(TSLexer *lexer) {
  bool has_content = false;
  while (!lexer->eof(lexer)) {
    int32_t c = lexer->lookahead;
    if (c == '"' || c == '\\' || c == '\n' || c == '\r') break;
    if (c == '$') {
      // `${` opens an interpolation: end the text before it. A lone `$` is text.
      lexer->mark_end(lexer);
      advance(lexer);
      if (lexer->lookahead == '{') {
        lexer->result_symbol = STRING_CONTENT;
        return has_content;
      }
    } else {
      advance(lexer);
    }
    has_content = true;
  }
  lexer->mark_end(lexer);
  lexer->result_symbol = STRING_CONTENT;
  return has_content;
}

bool tree_sitter_plan_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  (void)payload;
  // Inside a string (where a text block cannot start; in error recovery everything is valid).
  if (valid_symbols[STRING_CONTENT] && !valid_symbols[TEXT_BLOCK]) return scan_string_content(lexer);
  while (lexer->lookahead == ' ' || lexer->lookahead == '\t' || lexer->lookahead == '\r' ||
         lexer->lookahead == '\n') {
    lexer->advance(lexer, true);
  }
  if (lexer->lookahead == '/' && valid_symbols[BLOCK_COMMENT]) return scan_block_comment(lexer);
  if (lexer->lookahead == '"' && valid_symbols[TEXT_BLOCK]) return scan_text_block(lexer);
  return false;
}
