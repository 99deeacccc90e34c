; Highlights for Plan. Capture names are ones that Neovim 0.7's highlighter maps to highlight
; groups and that later editors and the tree-sitter CLI know too. No two patterns capture the
; same node, because Neovim lets the last pattern win and the tree-sitter CLI the first.

; A block's kind is not a keyword of the grammar (new kinds need no parser change), but it
; reads as one: `service`, `env`, `node_pool`.
(block
  kind: (identifier) @keyword)

(block
  name: (identifier) @type)

(attribute
  key: (identifier) @property)

(object_entry
  key: (identifier) @property)

(field_expression
  field: (identifier) @field)

(call_expression
  function: (identifier) @function.builtin)

; Identifiers in value position: an enum value or a reference to a block.
(attribute
  value: (identifier) @variable)

(object_entry
  value: (identifier) @variable)

(field_expression
  value: (identifier) @variable)

(range_expression
  (identifier) @variable)

(list
  (identifier) @variable)

(arguments
  (identifier) @variable)

(parenthesized_expression
  (identifier) @variable)

(interpolation
  (identifier) @variable)

[
  (comment)
  (doc_comment)
  (block_comment)
] @comment

[
  (string)
  (text_block)
] @string

(escape_sequence) @string.escape

(interpolation
  [
    "${"
    "}"
  ] @punctuation.special)

[
  (number)
  (quantity)
  (money)
] @number

(boolean) @boolean

[
  "="
  ".."
] @operator

[
  "."
  ","
  ";"
] @punctuation.delimiter

[
  "["
  "]"
  "("
  ")"
] @punctuation.bracket

(block_body
  [
    "{"
    "}"
  ] @punctuation.bracket)

(object
  [
    "{"
    "}"
  ] @punctuation.bracket)
