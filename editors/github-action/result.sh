#!/usr/bin/env bash
# Last step: fails the job when the check failed, now that the reports are uploaded and posted.
# Env: PLANC_CHECK_EXIT (check.sh's exit-code output), PLANC_FAIL_ON.
set -euo pipefail
status="${PLANC_CHECK_EXIT:?PLANC_CHECK_EXIT is not set: did the check step run?}"
if [ "$status" -ne 0 ]; then
  echo "::error::planc check failed (exit code $status, fail-on: ${PLANC_FAIL_ON:-error})"
  exit "$status"
fi
echo "planc check passed (fail-on: ${PLANC_FAIL_ON:-error})"
