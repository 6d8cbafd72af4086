#!/usr/bin/env bash
# Load benchmark of the registry pages, on SQLite and on PostgreSQL.
# Prints figures; asserts nothing (targets are in bench/README.md).
#   bench/run.sh [sqlite|postgres|both]   (default both)
# Data: 2 000 units and 200 000 persons from `tdkt init --demo`, made once per
# driver. Load: wrk, 2 threads, 32 connections, 10 s per URL, from this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-both}
out=bench/out
mkdir -p "$out"
bin=build/tdkt
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-32}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run_driver() { # name db-url
  local name=$1 db=$2
  echo "== $name"
  if [ "$name" = sqlite ] && [ -f "$out/bench.db" ]; then
    echo "data: reusing $out/bench.db"
  else
    local t0=$SECONDS
    $bin init --demo --demo-units 2000 --demo-persons 200000 --db "$db" >/dev/null
    echo "data: 2000+ units, 200000 persons generated in $((SECONDS - t0)) s"
  fi
  $bin migrate --db "$db" >/dev/null 2>&1
  echo "bench-password-2026" | $bin user add bench --role office --db "$db" >/dev/null 2>&1 || true
  local port=$(free_port)
  $bin serve --quiet --listen 127.0.0.1:$port --db "$db" > "$out/serve-$name.out" 2>"$out/serve-$name.err" &
  local pid=$!
  for _ in $(seq 50); do grep -q "http://" "$out/serve-$name.out" 2>/dev/null && break; sleep 0.1; done
  local base=http://127.0.0.1:$port
  # every page needs a session: sign in once as an office user made for the bench
  local token=BenchCsrfTokenBenchCsrfTokenBenchCsrfToken1
  local cookie=$(curl -s -o /dev/null -c - -b "tdkt_csrf=$token" \
    --data "_csrf=$token&login=bench&password=bench-password-2026" "$base/login" |
    awk '$6 == "tdkt_session" {print $7}')
  local auth="Cookie: tdkt_session=$cookie"
  local unit_id=$(curl -s -H "$auth" "$base/api/units?q=so+noi+vu" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  for target in "/units" "/units/$unit_id"; do
    echo "-- GET $target"
    wrk -t2 -c"$conns" -d"$duration" --latency -H "$auth" "$base$target" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
  done
  echo "-- person search (rotating names, bench/search.lua)"
  wrk -t2 -c"$conns" -d"$duration" --latency -H "$auth" -s bench/search.lua "$base" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
  echo "-- person search, rarely repeated (bench/search_cold.lua)"
  wrk -t2 -c"$conns" -d"$duration" --latency -H "$auth" -s bench/search_cold.lua "$base" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
  echo "-- server peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MB"}')"
  kill $pid
  wait $pid 2>/dev/null || true
}

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  run_driver sqlite "$out/bench.db"
fi
if [ "$which" = postgres ] || [ "$which" = both ]; then
  scripts/with-pg.sh bash -c "$(declare -f free_port run_driver); bin=$bin out=$out duration=$duration conns=$conns; run_driver postgres \"\$TDKT_TEST_PG\""
fi
