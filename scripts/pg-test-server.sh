# Sourced by test scripts: a throwaway PostgreSQL cluster on a free port.
# pg_test_start sets PG_TEST_PORT and PG_TEST_DIR; pg_test_stop removes it.
pg_test_bin() {
  local v
  v=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  echo "/usr/lib/postgresql/$v/bin"
}

pg_test_free_port() {
  python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

pg_test_start() {
  local bin run_as=()
  bin=$(pg_test_bin)
  PG_TEST_DIR=$(mktemp -d /tmp/jumpsync-pg.XXXXXX)
  PG_TEST_PORT=$(pg_test_free_port)
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_TEST_DIR"
    run_as=(runuser -u postgres --)
  fi
  "${run_as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -A trust -U postgres --no-sync >/dev/null
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -w -l "$PG_TEST_DIR/log" \
    -o "-p $PG_TEST_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  export PG_TEST_PORT PG_TEST_DIR
  echo "test PostgreSQL on 127.0.0.1:$PG_TEST_PORT" >&2
}

pg_test_stop() {
  local bin run_as=()
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  bin=$(pg_test_bin)
  [ "$(id -u)" -eq 0 ] && run_as=(runuser -u postgres --)
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=""
}
