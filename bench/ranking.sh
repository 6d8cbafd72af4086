#!/usr/bin/env bash
# Ranking benchmark (issue 6): 50 groups × 15 units × 60 criteria with
# complete sheets, bonuses, deductions and a few vetoes; the time to
# recompute every ranking (score_results_load + its JSON, all 50 tables) and
# the ranking page's requests/s and latency at 32 connections. Prints
# figures; asserts nothing.
#   bench/ranking.sh [sqlite|postgres|both]   (default sqlite)
# Data: `tdkt init --demo --demo-units 800`, then `tdkt-bench-ranking seed`
# (bench/ranking_bench.c, built with `cmake --build build --target
# tdkt-bench-ranking`). Load: wrk, 2 threads, 32 connections, 10 s per URL.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-sqlite}
out=bench/out
mkdir -p "$out"
bin=build/tdkt
helper=build/tdkt-bench-ranking
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-32}
export TDKT_TODAY=2026-11-22
[ -x "$helper" ] || cmake --build build --target tdkt-bench-ranking >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run_driver() { # name db-url
  local name=$1 db=$2
  echo "== $name"
  [ "$name" = sqlite ] && rm -f "$db" "$db-wal" "$db-shm"
  $bin init --demo --demo-units 800 --db "$db" >/dev/null
  echo "bench-password-2026" | $bin user add bench --role office --db "$db" >/dev/null 2>&1 || true
  local table=$($helper seed "$db")
  $helper recompute "$db" 20
  local port=$(free_port)
  $bin serve --quiet --listen 127.0.0.1:$port --db "$db" > "$out/ranking-$name.out" 2>"$out/ranking-$name.err" &
  local pid=$!
  for _ in $(seq 50); do grep -q "http://" "$out/ranking-$name.out" 2>/dev/null && break; sleep 0.1; done
  local base=http://127.0.0.1:$port
  local token=BenchCsrfTokenBenchCsrfTokenBenchCsrfToken1
  local cookie=$(curl -s -o /dev/null -c - -b "tdkt_csrf=$token" \
    --data "_csrf=$token&login=bench&password=bench-password-2026" "$base/login" |
    awk '$6 == "tdkt_session" {print $7}')
  local auth="Cookie: tdkt_session=$cookie"
  echo "-- GET /criteria/$table/ranking: $(curl -s -o /dev/null -w '%{http_code} %{size_download} bytes' -H "$auth" "$base/criteria/$table/ranking")"
  # warm up: every worker thread opens its database connection first
  wrk -t2 -c"$conns" -d2s -H "$auth" "$base/criteria/$table/ranking" >/dev/null
  for target in "/criteria/$table/ranking" "/api/criteria/$table/ranking"; do
    echo "-- GET $target"
    wrk -t2 -c"$conns" -d"$duration" --latency -H "$auth" "$base$target" | grep -E "Requests/sec|Latency|99%|Non-2xx"
  done
  for target in "/criteria/$table/ranking.xlsx" "/criteria/$table/ranking.docx" "/criteria/$table/ranking.pdf"; do
    curl -s -o /dev/null -H "$auth" "$base$target"   # warm the fonts
    echo "-- GET $target: $(curl -s -o /dev/null -w '%{http_code} %{time_total}s %{size_download} bytes' -H "$auth" "$base$target")"
  done
  echo "-- server peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MB"}')"
  kill $pid
  wait $pid 2>/dev/null || true
}

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  run_driver sqlite "$out/ranking.db"
fi
if [ "$which" = postgres ] || [ "$which" = both ]; then
  scripts/with-pg.sh bash -c "$(declare -f free_port run_driver); bin=$bin helper=$helper out=$out duration=$duration conns=$conns; export TDKT_TODAY=$TDKT_TODAY; run_driver postgres \"\$TDKT_TEST_PG\""
fi
