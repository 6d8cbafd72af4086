#!/usr/bin/env bash
# Everything `make test` runs: the gcc build and the clang ASan+UBSan build, each
# with its whole ctest suite (unit, Mustache conformance, storage tests on SQLite
# and PostgreSQL, HTTP tests against the real server, fuzz corpora replayed).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

build() { # dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
}

echo "== gcc build (-Wall -Wextra -Werror)"
CC=gcc build build
echo "== clang build with AddressSanitizer + UndefinedBehaviorSanitizer"
CC=clang build build-asan -DTDKT_SANITIZE=ON

run_suite() {
  local status=0
  echo "== tests: gcc build"
  ctest --test-dir build --output-on-failure -j"$jobs" || status=1
  echo "== tests: clang ASan+UBSan build"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" || status=1
  return $status
}
export -f run_suite
export jobs
scripts/with-pg.sh bash -c run_suite
