; Indentation for Neovim (nvim-treesitter names): two spaces per open bracket, as `planc fmt`.

[
  (block_body)
  (object)
  (list)
  (arguments)
] @indent.begin

[
  "}"
  "]"
  ")"
] @indent.branch @indent.end

[
  (text_block)
  (block_comment)
] @indent.auto
