#!/usr/bin/env bash
# The full test run: installs what is missing, builds, starts a throwaway
# PostgreSQL on a free port, runs every test (SQLite and PostgreSQL), and
# tears the server down again, even on failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${JUMPSYNC_BUILD_DIR:-$root/build}

JUMPSYNC_WITH_CHROMIUM=1 "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2

# shellcheck source=scripts/pg-test-server.sh
source "$root/scripts/pg-test-server.sh"
pg_test_start
trap pg_test_stop EXIT

export JUMPSYNC_TEST_PG_URL="postgresql://postgres@127.0.0.1:${PG_TEST_PORT}/postgres"
export JUMPSYNC_TEST_PG_ADMIN_URL="$JUMPSYNC_TEST_PG_URL"
export JUMPSYNC_BIN="$build/jobs/jumpsync"
cd "$build"
ctest --output-on-failure -j2 --timeout 600 "$@"
