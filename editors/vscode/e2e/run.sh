#!/usr/bin/env bash
# Runs the Plan extension in a real VS Code (code-server) driven by headless Chromium: installs
# editors/vscode/plan.vsix, opens copies of examples/shop and examples/errors-demo, and checks
# the language, Problems, hover, quick fix and cost report; writes
# docs/images/vscode-diagnostics-hover.png. See run.js.
# Usage: editors/vscode/e2e/run.sh PLAN_LSP
# Needs: editors/vscode/e2e/install.sh, and plan.vsix built (editors/vscode/scripts/ci.sh).
set -euo pipefail
if [ "$#" -ne 1 ]; then
  echo "usage: $0 PLAN_LSP" >&2
  exit 2
fi
plan_lsp="$(realpath "$1")"
cd "$(dirname "$0")"
[ -x "$plan_lsp" ] || { echo "$plan_lsp is not an executable plan-lsp" >&2; exit 1; }
[ -f ../plan.vsix ] || { echo "editors/vscode/plan.vsix is missing: run editors/vscode/scripts/ci.sh first" >&2; exit 1; }
[ -f node_modules/.plan-e2e-installed ] \
  || { echo "code-server is not installed: run editors/vscode/e2e/install.sh first" >&2; exit 1; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "no Chromium at ${CHROMIUM:-/usr/bin/chromium}: run install.sh" >&2; exit 1; }

# run.js stops itself after 4 minutes and ends code-server and Chromium. The outer limit guards
# against a Node process that no longer runs its timers; if Node dies before its cleanup, the
# process group of code-server (its extension hosts, plan-lsp) that it left in the pid file is
# ended here. Chromium exits by itself when its driver's pipe closes.
pidfile="$(mktemp)"
cleanup() {
  local group
  group="$(cat "$pidfile" 2> /dev/null || true)"
  if [ -n "$group" ]; then
    kill -KILL -- "-$group" 2> /dev/null || true
  fi
  rm -f "$pidfile"
}
trap cleanup EXIT
PLAN_E2E_PIDFILE="$pidfile" timeout --kill-after=15 300 node run.js "$plan_lsp"
