#!/usr/bin/env bash
# Sourced by scripts/test.sh: starts a throw-away PostgreSQL server on loopback for the
# test suites, exports VAARTA_TEST_PG_URL, and registers its shutdown on exit.
# PostgreSQL refuses to run as root, so as root the cluster belongs to the 'postgres'
# user that Debian's package creates.

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "test: PostgreSQL server binaries not found; run scripts/setup.sh" >&2
  exit 1
fi

pg_dir=$(mktemp -d /tmp/vaarta-pg-XXXXXX)
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$pg_dir"
  run_as=(runuser -u postgres --)
fi

pg_port=""
for candidate in $(seq 55432 55531); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    pg_port=$candidate
    break
  fi
done
[ -n "$pg_port" ] || { echo "test: no free port for PostgreSQL" >&2; exit 1; }

"${run_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U vaarta -E UTF8 >"$pg_dir/initdb.log" 2>&1 ||
  { cat "$pg_dir/initdb.log" >&2; exit 1; }
# fsync off: a test cluster is thrown away, and durability of the product is tested
# on SQLite files and by killing the vaarta process, not the database server.
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/server.log" \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
  start >/dev/null || { cat "$pg_dir/server.log" >&2; exit 1; }

stop_test_postgres() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_test_postgres EXIT

export VAARTA_TEST_PG_URL="postgresql://vaarta@127.0.0.1:$pg_port/postgres"
echo "test: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
