#!/usr/bin/env bash
# Accounts benchmark (SQLite): sign-in throughput and memory under 50 parallel
# sign-ins, and the cost of sessions on a page.
#   bench/auth.sh [BASELINE_BIN]
# BASELINE_BIN: a tdkt built before sessions existed (e.g. commit cd28f97),
# whose /units/{id} is served with no session lookup at all; when given, the
# same page is loaded on it and on this build (with a session cookie), on the
# same data, one after the other. Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
bin=build/tdkt
baseline=${1:-}
duration=${BENCH_DURATION:-10s}
db="$out/auth.db"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() { # binary → sets pid, base
  local port=$(free_port)
  rm -f "$out/auth-serve.out"  # else the last server's line is read before this one starts
  "$1" serve --quiet --listen 127.0.0.1:$port --db "$db" > "$out/auth-serve.out" 2>"$out/auth-serve.err" &
  pid=$!
  for _ in $(seq 50); do grep -q "http://" "$out/auth-serve.out" 2>/dev/null && break; sleep 0.1; done
  base=http://127.0.0.1:$port
}
stop() { kill $pid; wait $pid 2>/dev/null || true; }

rm -f "$db" "$db"-*
if [ -n "$baseline" ]; then
  "$baseline" init --demo --db "$db" >/dev/null   # the old schema; this build migrates it
fi
$bin init --demo --db "$db" >/dev/null 2>&1 || $bin migrate --db "$db" >/dev/null
echo "bench-password-2026" | $bin user add bench --role admin --name "Bench" --db "$db" >/dev/null

start $bin
echo "== 50 parallel sign-ins for $duration (bench/login.lua)"
wrk -t2 -c50 -d"$duration" --latency -s bench/login.lua "$base/login" | grep -E "logins:|Latency|50%|99%|Non-2xx"
echo "-- server peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MB"}')"
echo "-- sessions created: $(sqlite3 "$db" 'SELECT count(*) FROM sessions')"

cookie=$(curl -s -o /dev/null -c - -b "tdkt_csrf=$(printf 'B%.0s' $(seq 43))" \
  --data "_csrf=$(printf 'B%.0s' $(seq 43))&login=bench&password=bench-password-2026" \
  "$base/login" | awk '$6 == "tdkt_session" {print $7}')
unit=$(curl -s -H "Cookie: tdkt_session=$cookie" "$base/api/units?q=so+noi+vu" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
echo "== GET /units/$unit with a session cookie, 32 connections"
wrk -t2 -c32 -d"$duration" --latency -H "Cookie: tdkt_session=$cookie" "$base/units/$unit" |
  grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
echo "== GET /healthz (no session), 32 connections"
wrk -t2 -c32 -d"$duration" --latency "$base/healthz" | grep -E "Requests/sec|Latency|99%|Non-2xx"
echo "== GET /healthz with the session cookie (the lookup alone), 32 connections"
wrk -t2 -c32 -d"$duration" --latency -H "Cookie: tdkt_session=$cookie" "$base/healthz" |
  grep -E "Requests/sec|Latency|99%|Non-2xx"
stop

if [ -n "$baseline" ]; then
  start "$baseline"
  echo "== baseline build (no sessions): GET /units/$unit, 32 connections"
  wrk -t2 -c32 -d"$duration" --latency "$base/units/$unit" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
  stop
fi
