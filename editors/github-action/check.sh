#!/usr/bin/env bash
# Step "check": annotations, a SARIF file and the counts of errors and warnings.
# planc's exit code is recorded (output exit-code), not returned, so that the SARIF upload and the
# cost comment still run on a failing plan; result.sh fails the job at the end.
# Env: PLANC_DIR (workspace, relative to the repository root), PLANC_FAIL_ON (error|warning),
#      PLANC_SARIF_FILE, GITHUB_OUTPUT.
set -euo pipefail
dir="${PLANC_DIR:-.}"
sarif="${PLANC_SARIF_FILE:-planc.sarif}"
out="${GITHUB_OUTPUT:-/dev/null}"
case "${PLANC_FAIL_ON:-error}" in
  error) deny="" ;;
  warning) deny="--deny-warnings" ;;
  *) echo "::error::fail-on must be 'error' or 'warning', not '$PLANC_FAIL_ON'"; exit 1 ;;
esac

# Paths in annotations and SARIF are relative to where planc runs: run it from the repository
# root (the step's directory) with the workspace as an argument, never from inside the workspace.
status=0
planc check "$dir" --format github ${deny:+"$deny"} || status=$?
echo "exit-code=$status" >> "$out"
# 1 means "found problems"; anything else (a missing directory, a crash) leaves no report to read.
if [ "$status" -gt 1 ]; then
  echo "::error::planc check could not check '$dir' (exit code $status)"
  exit 0
fi

planc check "$dir" --format sarif > "$sarif" || [ "$?" -eq 1 ]
echo "sarif-file=$sarif" >> "$out"
# Code scanning keeps one report per category: one per workspace, plain `planc` for the root.
name="${dir#./}"
case "${name%/}" in
  . | "") echo "category=planc" >> "$out" ;;
  *) echo "category=planc/${name%/}" >> "$out" ;;
esac
json="$(planc check "$dir" --format json)" || [ "$?" -eq 1 ]
printf '%s' "$json" | jq -r '.summary | "errors=\(.errors)", "warnings=\(.warnings)"' >> "$out"
printf '%s' "$json" | jq -r '.summary | "planc check: \(.errors) error(s), \(.warnings) warning(s)"'
