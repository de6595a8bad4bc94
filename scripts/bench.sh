#!/usr/bin/env bash
# Builds the benchmarks (Release) and runs them; the apply benchmark gets a
# throwaway PostgreSQL. Figures go to stdout; record them in docs/BENCHMARKS.md.
#   usage: scripts/bench.sh [planner|pull|apply]...   (default: all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${JUMPSYNC_BENCH_BUILD_DIR:-$root/build-bench}
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
which=("$@")
[ ${#which[@]} -gt 0 ] || which=(planner pull apply)
for b in "${which[@]}"; do cmake --build "$build" -j2 --target "bench_$b" >/dev/null; done
for b in "${which[@]}"; do
  echo "== bench_$b"
  if [ "$b" = apply ]; then
    source "$root/scripts/pg-test-server.sh"
    pg_test_start
    trap pg_test_stop EXIT
    "$build/tests/bench/bench_apply" "postgresql://postgres@127.0.0.1:$PG_TEST_PORT/postgres"
    pg_test_stop
    trap - EXIT
  else
    "$build/tests/bench/bench_$b"
  fi
done
