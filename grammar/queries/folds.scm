[
  (block_body)
  (object)
  (list)
  (text_block)
  (block_comment)
] @fold
