#!/usr/bin/env bash
# Step "install": puts planc on PATH, built from the action's own checkout (the `compiler` crate),
# or, with PLANC_INSTALL=false, checks that a planc is already there.
# `install.sh key` instead writes the cache key of that build (a hash of what it is built from).
# Env: PLANC_INSTALL (true|false), PLANC_ROOT (install root, cached by the action),
#      GITHUB_ACTION_PATH (the action's checkout), GITHUB_PATH, GITHUB_OUTPUT.
set -euo pipefail
src="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}"
root="${PLANC_ROOT:-$HOME/.planc}"

if [ "${1:-}" = key ]; then
  # The binary is made of the compiler, the catalog it embeds (stdlib/) and the locked crates.
  hash="$(cd "$src" && find Cargo.toml Cargo.lock compiler stdlib -type f -print0 | sort -z \
    | xargs -0 sha256sum | sha256sum | cut -c1-16)"
  echo "key=planc-$(uname -s)-$(uname -m)-$hash" >> "${GITHUB_OUTPUT:-/dev/stdout}"
  exit 0
fi

if [ "${PLANC_INSTALL:-true}" = false ]; then
  if ! command -v planc > /dev/null; then
    echo "::error::install is false, but there is no planc on PATH"
    exit 1
  fi
  planc --version
  exit 0
fi

# A cache hit has restored the binary already: building again would take minutes.
if [ ! -x "$root/bin/planc" ]; then
  cargo install --locked --path "$src/compiler" --root "$root"
fi
echo "$root/bin" >> "${GITHUB_PATH:-/dev/null}"
"$root/bin/planc" --version
