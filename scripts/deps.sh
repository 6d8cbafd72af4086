#!/usr/bin/env bash
# Installs the Debian packages tdkt needs, and nothing when they are all present.
# Usage: scripts/deps.sh build|test|bench
# Idempotent: it asks dpkg which packages are missing and calls apt-get only for those.
set -euo pipefail

build_pkgs=(
  build-essential cmake pkg-config gettext
  libmicrohttpd-dev libjansson-dev libsodium-dev libutf8proc-dev libicu-dev
  libsqlite3-dev libpq-dev libxlsxwriter-dev libzip-dev libxml2-dev
  liboath-dev libqrencode-dev libcairo2-dev libpango1.0-dev fonts-liberation2
)
test_pkgs=(
  clang libclang-rt-14-dev libcmocka-dev python3 postgresql-15 postgresql-client-15 chromium
  libreoffice-writer-nogui poppler-utils
)
bench_pkgs=(wrk sqlite3 curl)

want=("${build_pkgs[@]}")
case "${1:-build}" in
  build) ;;
  test) want+=("${test_pkgs[@]}") ;;
  bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

# The browser tests drive Debian's chromium with playwright-core (npm), which
# needs Node.js 20 or later: the machine's own node when it has one, else
# Debian's nodejs and npm.
if [ "${1:-build}" != build ] && ! command -v node >/dev/null; then
  want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
install_e2e() {
  # playwright-core and axe-core, pinned by tests/e2e/package-lock.json (which
  # carries no download addresses); never a browser download
  [ "${1:-build}" = build ] && return 0
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/e2e"
  local stamp="$dir/node_modules/.tdkt-lock"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$dir/package-lock.json"; then
    return 0
  fi
  echo "tdkt: cài playwright-core, axe-core / installing the browser-test packages (npm ci)" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$dir/package-lock.json" "$stamp"
}

if [ ${#missing[@]} -eq 0 ]; then
  install_e2e "${1:-build}"
  exit 0
fi

echo "tdkt: cài các gói còn thiếu / installing missing packages: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_e2e "${1:-build}"
