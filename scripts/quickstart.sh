#!/usr/bin/env bash
# Quick start on the embedded default: installs what is missing, builds,
# and runs the main job on an SQLite file with the bundled example export.
# Safe to re-run: the demo database is made anew each time.
#   usage: scripts/quickstart.sh [DEMO_DIR]   (default: ./jumpsync-demo)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${JUMPSYNC_BUILD_DIR:-$root/build}
demo=$(mkdir -p "${1:-$PWD/jumpsync-demo}" && cd "${1:-$PWD/jumpsync-demo}" && pwd)

"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target jumpsync >/dev/null

rm -f "$demo"/demo.db "$demo"/demo.db-* "$demo"/demo.db.team-*.lock
export JUMPSYNC_DB="sqlite:$demo/demo.db"
export JUMPSYNC_SECRET_KEY_FILE="$demo/secret.key"
export JUMPSYNC_LOG_FORMAT=text
js() { "$build/jobs/jumpsync" "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "database and teams"
js db migrate
js team create acme --sso --enterprise --domain-verification
js team verify-domain acme acme.example
js team enable-scim acme >/dev/null        # prints a SCIM token once; not needed for the demo
js team create globex --sso --enterprise
js team enable-scim globex >/dev/null

step "accounts that exist before SCIM"
js user add vera.stone@partner.example --verified --given Vera --family Stone
js user add una.berg@partner.example --given Una --family Berg
js user add hal.hand@acme.example --verified --team acme --given Hal --family Hand
js team set-source globex --provider file --url "$root/examples/globex-users.csv"
js apply --team globex >/dev/null

step "last week's sync of acme (5 users)"
js team set-source acme --provider file --url "$root/examples/acme-users-last-week.csv"
js apply --team acme >/dev/null
echo "synced"

step "today's IdP export: dry run (nothing changes)"
js team set-source acme --provider file --url "$root/examples/acme-users.json"
js plan --team acme

step "apply"
js apply --team acme --format json --out "$demo/applied.json"
js runs --team acme --limit 3

step "second plan: only noops (and the conflict that needs a person)"
js plan --team acme --format csv | cut -d, -f1 | tail -n +2 | sort | uniq -c

if js plan --help | grep -q html; then
  js plan --team acme --format html --out "$demo/report.html" 2>/dev/null && \
    step "HTML report: $demo/report.html"
fi
echo
echo "demo database: $demo/demo.db  (try: JUMPSYNC_DB=sqlite:$demo/demo.db $build/jobs/jumpsync user show vera.stone@partner.example)"
