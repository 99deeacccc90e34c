#!/usr/bin/env bash
# Step "cost diff": what the change costs. Checks out the base revision next to the workspace
# (git worktree), runs `planc cost HEAD_DIR --diff BASE_DIR` and writes the Markdown to the job
# summary and to PLANC_COST_FILE (output cost-file), which comment.sh posts.
# Env: PLANC_DIR (workspace), PLANC_BASE_REF (a commit; empty: nothing to compare, skip),
#      PLANC_COST_FILE, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT.
set -euo pipefail
dir="${PLANC_DIR:-.}"
base="${PLANC_BASE_REF:-}"
file="${PLANC_COST_FILE:-${RUNNER_TEMP:-/tmp}/planc-cost.md}"
if [ -z "$base" ]; then
  echo "no base revision to compare with (not a pull request?): no cost diff"
  exit 0
fi

# A shallow clone (the actions/checkout default) lacks the base commit: fetch only that one.
if ! git -C "$dir" cat-file -e "$base^{commit}" 2> /dev/null; then
  git -C "$dir" fetch --quiet --no-tags --depth=1 origin "$base"
fi
tmp="$(mktemp -d)"
cleanup() {
  git -C "$dir" worktree remove --force "$tmp/base" > /dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
git -C "$dir" worktree add --quiet --detach "$tmp/base" "$base"
# The same workspace in the base checkout: the path of the workspace inside the repository.
base_dir="$tmp/base/$(git -C "$dir" rev-parse --show-prefix)"

# Exit 1 means the workspace has errors: the estimate is still written (and says it is
# incomplete); the check step is the one that fails the job for errors.
if [ -n "$(find "$base_dir" -name '*.plan' -print -quit 2> /dev/null)" ]; then
  planc cost "$dir" --diff "$base_dir" > "$file" || [ $? -eq 1 ]
else
  # The pull request adds the workspace: there is nothing to diff against, show the full estimate.
  # shellcheck disable=SC2016 # the backticks are Markdown
  { printf 'The base revision has no Plan workspace at `%s`.\n\n' "$dir"
    planc cost "$dir" --format markdown || [ $? -eq 1 ]; } > "$file"
fi
cat "$file" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
echo "cost-file=$file" >> "${GITHUB_OUTPUT:-/dev/null}"
cat "$file"
