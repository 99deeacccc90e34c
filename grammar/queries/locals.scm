; Scopes and definitions. Top-level names are global across the files of a workspace, so
; references are resolved by the language server, not here; a nested block (`subnet`,
; `node_pool`, `option`) is named within its parent's body.

(source_file) @local.scope

(block_body) @local.scope

(block
  name: (identifier) @local.definition)
