#!/usr/bin/env bash
# Load benchmark of the pages of a group's year (the year page with its
# timeline, a conference, the pledge) and the time to print the minutes and
# the pledge, on SQLite and on PostgreSQL. Prints figures; asserts nothing.
#   bench/year.sh [sqlite|postgres|both]   (default both)
# Data: `tdkt init --demo --demo-year` (the MTTQ bloc's year so far, today
# pinned to 2026-11-22). Load: wrk, 2 threads, 32 connections, 10 s per URL.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-both}
out=bench/out
mkdir -p "$out"
bin=build/tdkt
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-32}
export TDKT_TODAY=2026-11-22

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run_driver() { # name db-url
  local name=$1 db=$2
  echo "== $name"
  [ "$name" = sqlite ] && rm -f "$db" "$db-wal" "$db-shm"
  $bin init --demo --demo-year --db "$db" >/dev/null
  echo "bench-password-2026" | $bin user add bench --role office --db "$db" >/dev/null 2>&1 || true
  local port=$(free_port)
  $bin serve --quiet --listen 127.0.0.1:$port --db "$db" > "$out/year-$name.out" 2>"$out/year-$name.err" &
  local pid=$!
  for _ in $(seq 50); do grep -q "http://" "$out/year-$name.out" 2>/dev/null && break; sleep 0.1; done
  local base=http://127.0.0.1:$port
  local token=BenchCsrfTokenBenchCsrfTokenBenchCsrfToken1
  local cookie=$(curl -s -o /dev/null -c - -b "tdkt_csrf=$token" \
    --data "_csrf=$token&login=bench&password=bench-password-2026" "$base/login" |
    awk '$6 == "tdkt_session" {print $7}')
  local auth="Cookie: tdkt_session=$cookie"
  local ids=$(curl -s -H "$auth" "$base/api/groups" | python3 -c '
import json, sys
g = next(i for i in json.load(sys.stdin)["items"] if i["code"] == "KHOI-MTTQ")
print(g["id"])')
  local year=$(curl -s -H "$auth" "$base/api/groups/$ids/2026" | python3 -c '
import json, sys
y = json.load(sys.stdin)
print(y["conferences"][0]["id"], y["pledge"]["id"])')
  local conf=${year% *} pledge=${year#* }
  # warm up: every worker thread opens its database connection first
  wrk -t2 -c"$conns" -d2s -H "$auth" "$base/groups/$ids/2026" >/dev/null
  for target in "/groups/$ids/2026" "/api/groups/$ids/2026" "/conferences/$conf" "/pledges/$pledge"; do
    echo "-- GET $target"
    wrk -t2 -c"$conns" -d"$duration" --latency -H "$auth" "$base$target" | grep -E "Requests/sec|Latency|99%|Non-2xx"
  done
  for target in "/conferences/$conf/minutes.pdf" "/conferences/$conf/minutes.docx" \
                "/pledges/$pledge/document.pdf" "/pledges/$pledge/document.docx"; do
    curl -s -o /dev/null -H "$auth" "$base$target"   # warm the fonts
    echo "-- GET $target: $(curl -s -o /dev/null -w '%{http_code} %{time_total}s %{size_download} bytes' -H "$auth" "$base$target")"
  done
  echo "-- server peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MB"}')"
  kill $pid
  wait $pid 2>/dev/null || true
}

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  run_driver sqlite "$out/year.db"
fi
if [ "$which" = postgres ] || [ "$which" = both ]; then
  scripts/with-pg.sh bash -c "$(declare -f free_port run_driver); bin=$bin out=$out duration=$duration conns=$conns; export TDKT_TODAY=$TDKT_TODAY; run_driver postgres \"\$TDKT_TEST_PG\""
fi
