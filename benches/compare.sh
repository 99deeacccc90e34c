#!/usr/bin/env bash
# Compares two builds of planc on the workloads of docs/benchmarks.md, interleaved by hyperfine
# so that both see the same machine load. Prints hyperfine's table per workload and the peak
# memory of each build.
#
#   benches/compare.sh BEFORE_DIR AFTER_DIR [RUNS]
#
# BEFORE_DIR and AFTER_DIR each hold a release `planc` (e.g. target/release of two checkouts);
# the workloads come from AFTER_DIR's `plan-gen`. Needs hyperfine (Debian package).
set -euo pipefail
before=$(cd "$1" && pwd)
after=$(cd "$2" && pwd)
runs=${3:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$after/plan-gen" "$work/ws" > /dev/null
"$after/plan-gen" "$work/k8s-10" k8s 10 > /dev/null
"$after/plan-gen" "$work/k8s-1000" k8s 1000 > /dev/null
"$after/plan-gen" "$work/k8s-5000" k8s 5000 > /dev/null
"$after/plan-gen" "$work/platform" platform > /dev/null
"$after/plan-gen" "$work/buckets-10000" buckets 10000 > /dev/null
"$after/plan-gen" "$work/buckets-100000" buckets 100000 > /dev/null

compare() {
  local name=$1 dir=$2
  shift 2
  echo "## $name"
  (cd "$dir" && hyperfine -N -i --warmup 2 --runs "$runs" --style basic \
    -n before "$before/planc $*" -n after "$after/planc $*" 2>&1 | grep -v '^ *$')
  for build in before after; do
    local bin=$before
    [ "$build" = after ] && bin=$after
    local rss
    rss=$(cd "$dir" && { /usr/bin/time -f %M "$bin/planc" "$@" > /dev/null 2> "$work/time"; } ; tail -1 "$work/time")
    echo "$build peak RSS: $((rss / 1024)) MB"
  done
  echo
}

compare "check, 10,000 blocks in 100 files" "$work/ws" check
compare "check, 10,000 buckets in one file" "$work/buckets-10000" check
compare "check, 100,000 buckets in one file" "$work/buckets-100000" check
compare "build --target k8s, N = 10" "$work/k8s-10" build --target k8s --out "$work/out"
compare "build --target k8s, N = 1,000" "$work/k8s-1000" build --target k8s --out "$work/out"
compare "build --target k8s, N = 5,000" "$work/k8s-5000" build --target k8s --out "$work/out"
compare "platform, all targets, 3 envs" "$work/platform" build --out "$work/out"
