/**
 * Tree-sitter grammar for Plan, following the EBNF of the language reference (grammar/plan.ebnf).
 *
 * Like the compiler's parser it is generic: a block is `KIND NAME? { ... }` and the meaning of a
 * kind comes from the catalog, so new kinds need no grammar change. Nesting block comments, `"""` text
 * blocks and the text of strings are lexed by the external scanner in src/scanner.c.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

// A run of digits with `_` between digits: `10_000`.
const DIGITS = /[0-9]+(_[0-9]+)*/.source;
const DECIMAL = `-?${DIGITS}(\\.${DIGITS})?`;

module.exports = grammar({
  name: 'plan',

  externals: $ => [$.block_comment, $.text_block, $.string_content],

  extras: $ => [/\s/, $.comment, $.doc_comment, $.block_comment],

  word: $ => $.identifier,

  supertypes: $ => [$._expression, $._item],

  rules: {
    source_file: $ => repeat(choice($._item, $._separator)),

    _item: $ => choice($.block, $.attribute),

    // `,` and `;` may follow any item and mean nothing.
    _separator: _ => choice(',', ';'),

    block: $ => seq(
      field('kind', $.identifier),
      optional(field('name', choice($.identifier, $.string))),
      field('body', $.block_body),
    ),

    block_body: $ => seq('{', repeat(choice($._item, $._separator)), '}'),

    attribute: $ => seq(field('key', $._key), '=', field('value', $._expression)),

    _key: $ => choice($.identifier, $.string),

    _expression: $ => choice($.range_expression, $._postfix_expression),

    // `low..high`; a range does not chain.
    range_expression: $ => seq(field('low', $._postfix_expression), '..', field('high', $._postfix_expression)),

    _postfix_expression: $ => choice($.field_expression, $.call_expression, $._primary_expression),

    field_expression: $ => prec.left(1, seq(field('value', $._postfix_expression), '.', field('field', $.identifier))),

    call_expression: $ => prec.left(1, seq(field('function', $._postfix_expression), field('arguments', $.arguments))),

    arguments: $ => seq('(', optional(commaSeparated($._expression)), ')'),

    _primary_expression: $ => choice(
      $.string,
      $.text_block,
      $.number,
      $.quantity,
      $.money,
      $.boolean,
      $.identifier,
      $.list,
      $.object,
      $.parenthesized_expression,
    ),

    parenthesized_expression: $ => seq('(', $._expression, ')'),

    list: $ => seq('[', optional(commaSeparated($._expression)), ']'),

    object: $ => seq('{', repeat(choice($.object_entry, $._separator)), '}'),

    object_entry: $ => seq(field('key', $._key), '=', field('value', $._expression)),

    boolean: _ => choice('true', 'false'),

    // One line; `${ expr }` interpolates.
    string: $ => seq(
      '"',
      repeat(choice($.string_content, $.escape_sequence, $.interpolation)),
      token.immediate('"'),
    ),

    escape_sequence: _ => token.immediate(/\\(["\\nt$]|u\{[0-9A-Fa-f]{1,6}\})/),

    interpolation: $ => seq(token.immediate('${'), $._expression, '}'),

    number: _ => token(new RegExp(DECIMAL)),

    // A number directly followed by a unit: `500m`, `512Mi`, `30d`, `70%`.
    quantity: _ => token(new RegExp(`${DECIMAL}(%|[A-Za-z][A-Za-z0-9_]*)`)),

    // `$4000/mo`, `$0.12/h`, `$1_200/yr`.
    money: _ => token(new RegExp(`\\$${DIGITS}(\\.${DIGITS})?(/[A-Za-z]+)?`)),

    // `api`, `api-gateway`, `_x`; a hyphen may not end a name, and a dot between digits stays
    // inside it (`python3.12`).
    identifier: _ => {
      const digits = '[0-9]+(\\.[0-9]+)*';
      const part = `([A-Za-z_]|${digits})`;
      return new RegExp(`[A-Za-z_](${part}|-+${part})*`);
    },

    // Exactly three slashes; `////` and longer is an ordinary comment, as in Rust. The two
    // expressions never match the same text, so the longest match decides.
    doc_comment: _ => token(/\/\/\/([^\/\r\n][^\r\n]*)?/),

    comment: _ => token(/\/\/([^\/\r\n][^\r\n]*|\/\/[^\r\n]*)?/),
  },
});

/** `rule (, rule)* ,?` */
function commaSeparated(rule) {
  return seq(rule, repeat(seq(',', rule)), optional(','));
}
