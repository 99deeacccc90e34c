#!/usr/bin/env bash
# End-to-end test of the Neovim plugin: test/run.sh [PLAN_LSP_BINARY]
# Default binary: target/release/plan-lsp of this repository. Needs nvim (0.7+) and cc.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
plugin="$(cd "$here/.." && pwd)"
lsp="${1:-$here/../../../target/release/plan-lsp}"

if [[ ! -x "$lsp" ]]; then
  echo "FAIL: no plan-lsp executable at $lsp (build it, or pass its path)" >&2
  exit 1
fi
lsp_dir="$(cd "$(dirname "$lsp")" && pwd)"
lsp_name="$(basename "$lsp")"
if [[ "$lsp_name" != "plan-lsp" ]]; then
  # The plugin runs `plan-lsp` from PATH: give the binary that name in a temp dir.
  link_dir="$(mktemp -d)"
  trap 'rm -rf "$link_dir"' EXIT
  ln -s "$lsp_dir/$lsp_name" "$link_dir/plan-lsp"
  lsp_dir="$link_dir"
fi

# --clean: no user config or plugins; the plugin is first on 'runtimepath' before startup
# enables filetype detection, as a plugin manager would put it.
PATH="$lsp_dir:$PATH" timeout 180 nvim --headless --clean \
  --cmd "set runtimepath^=$plugin" \
  -c "luafile $here/e2e.lua"
