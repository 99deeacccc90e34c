#!/usr/bin/env bash
# Builds, tests and packages the VS Code extension from a clean checkout, then checks that the
# vsix holds what VS Code needs to run it. Usage: editors/vscode/scripts/ci.sh
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
npm test
npm run package

# The file names in the vsix (a zip), with whichever tool this machine has.
list_vsix() {
  if command -v unzip >/dev/null 2>&1; then
    unzip -Z1 plan.vsix
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' plan.vsix
  else
    echo "neither unzip nor python3 is available to read plan.vsix" >&2
    return 1
  fi
}

contents="$(list_vsix)"
echo "plan.vsix contains $(wc -l <<<"$contents") files:"
grep -v '^extension/node_modules/' <<<"$contents"
grep -o '^extension/node_modules/[^/]*/' <<<"$contents" | sort -u | sed 's/$/.../'

status=0
for entry in \
  extension/out/extension.js \
  extension/syntaxes/plan.tmLanguage.json \
  extension/snippets/plan.json \
  extension/language-configuration.json \
  extension/package.json \
  extension/node_modules/vscode-languageclient/package.json; do
  if ! grep -qxF "$entry" <<<"$contents"; then
    echo "error: plan.vsix lacks $entry" >&2
    status=1
  fi
done
if grep -E '^extension/(src|test|scripts)/|^extension/tsconfig\.json$' <<<"$contents" >&2; then
  echo "error: plan.vsix holds sources or tests (see above); fix .vscodeignore" >&2
  status=1
fi
if [ "$status" -eq 0 ]; then
  echo "plan.vsix: ok"
fi
exit "$status"
