#!/usr/bin/env bash
# Installs the Debian packages tdkt needs, and nothing when they are all present.
# Usage: scripts/deps.sh build|test|bench
# Idempotent: it asks dpkg which packages are missing and calls apt-get only for those.
set -euo pipefail

build_pkgs=(
  build-essential cmake pkg-config gettext
  libmicrohttpd-dev libjansson-dev libsodium-dev libutf8proc-dev libicu-dev
  libsqlite3-dev libpq-dev libxlsxwriter-dev libzip-dev libxml2-dev
  liboath-dev libqrencode-dev
)
test_pkgs=(
  clang libclang-rt-14-dev libcmocka-dev python3 postgresql-15 postgresql-client-15
)
bench_pkgs=(wrk sqlite3 curl)

want=("${build_pkgs[@]}")
case "${1:-build}" in
  build) ;;
  test) want+=("${test_pkgs[@]}") ;;
  bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "tdkt: cài các gói còn thiếu / installing missing packages: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
