#!/usr/bin/env bash
# For teams that commit the generated files: fails when the committed output directory is not
# what `planc build` writes from the .plan files, listing each file that differs.
# Env: PLANC_DIR (the workspace), PLANC_OUTPUTS (the committed output directory).
set -euo pipefail
dir="${PLANC_DIR:-.}"
outputs="${PLANC_OUTPUTS:?PLANC_OUTPUTS is not set}"
if ! report="$(planc build "$dir" --check --out "$outputs" 2>&1)"; then
  while IFS= read -r line; do
    case "$line" in
      differs:* | missing:* | "left over:"*) echo "::error file=$outputs/${line#*: }::$line: run \`planc build $dir --out $outputs\` and commit the result" ;;
      *) echo "$line" ;;
    esac
  done <<< "$report"
  exit 1
fi
echo "$report"
