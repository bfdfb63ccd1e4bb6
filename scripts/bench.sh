#!/usr/bin/env bash
# Runs every benchmark in benchmarks/ and writes its results to benchmarks/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
found=0
for bench in benchmarks/bench_*.py; do
  found=1
  echo "== $bench"
  DAKS_TESTING=true .venv/bin/python "$bench"
done
[ $found -eq 1 ] || echo "No benchmarks yet: the demography engine (issue 3) adds the first ones."
