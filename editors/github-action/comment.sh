#!/usr/bin/env bash
# Step "comment": posts the cost diff on the pull request, or updates the comment posted before,
# found by its hidden marker, so that a pull request carries one cost comment however often it
# is pushed to. A second hidden line names the workspace: two workspaces keep a comment each.
# Env: PLANC_COST_FILE, PLANC_DIR, PLANC_PR_NUMBER, GITHUB_REPOSITORY, GH_TOKEN (for gh);
#      PLANC_COMMENT_DRY_RUN=1 prints the request instead of sending it.
set -euo pipefail
pr="${PLANC_PR_NUMBER:-}"
if [ -z "$pr" ]; then
  echo "not a pull request: no comment"
  exit 0
fi
header="$(printf '%s\n%s' '<!-- planc-cost -->' "<!-- planc-workspace: ${PLANC_DIR:-.} -->")"
body="$(mktemp)"
trap 'rm -f "$body"' EXIT
{ printf '%s\n\n' "$header"; cat "$PLANC_COST_FILE"; } > "$body"
comments="repos/$GITHUB_REPOSITORY/issues/$pr/comments"

if [ "${PLANC_COMMENT_DRY_RUN:-0}" = 1 ]; then
  echo "dry run: PATCH repos/$GITHUB_REPOSITORY/issues/comments/ID (the comment starting with"
  echo "the header below) if there is one, else POST $comments, with the body:"
  cat "$body"
  exit 0
fi

# jq's string literal for the header: gh's --jq takes no --arg.
needle="$(jq -n --arg header "$header" '$header')"
id="$(gh api --paginate "$comments" --jq ".[] | select(.body | startswith($needle)) | .id")"
id="${id%%$'\n'*}"
if [ -n "$id" ]; then
  request=(--method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id")
elif grep -q 'No resource changes its cost' "$PLANC_COST_FILE"; then
  # Nothing to say and nothing said before: no new comment on pull requests that cost nothing.
  echo "no cost change and no earlier comment: nothing to post"
  exit 0
else
  request=(--method POST "$comments")
fi
# A pull request from a fork gets a read-only token: warn, the diff is in the job summary anyway.
if ! gh api "${request[@]}" -F "body=@$body" --jq .html_url; then
  echo "::warning::could not comment on pull request #$pr (read-only token?); see the job summary"
fi
