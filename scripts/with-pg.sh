#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: initdb into a temp dir,
# listen on 127.0.0.1 only at a free port, export TDKT_TEST_PG, and remove
# everything afterwards, whatever the command's outcome.
# Usage: scripts/with-pg.sh COMMAND [ARGS...]
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "with-pg: PostgreSQL server binaries not found (run scripts/deps.sh test)" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/tdkt-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
chmod 700 "$dir"

cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
  --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export TDKT_TEST_PG="postgresql://postgres@127.0.0.1:$port/postgres"
echo "with-pg: PostgreSQL at 127.0.0.1:$port (temp cluster $dir)" >&2
set +e
"$@"
rc=$?
set -e
exit $rc
