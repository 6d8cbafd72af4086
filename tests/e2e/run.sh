#!/bin/sh
# Runs the headless-browser end-to-end tests (tests/e2e/*.test.mjs) with
# node's test runner. Environment passed through: TDKT_BIN, TDKT_TEST_DB,
# TDKT_TEST_PG, TDKT_CHROMIUM, TDKT_E2E_OUT (see README.md).
# Exit code: node's; 1 when node_modules or Chromium is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)

if [ ! -f "$here/node_modules/playwright-core/package.json" ] \
   || [ ! -f "$here/node_modules/axe-core/axe.min.js" ]; then
  echo "tests/e2e: node_modules is missing (playwright-core, axe-core)." >&2
  echo "Install them once with:  cd $here && npm ci" >&2
  echo "(no browser is downloaded; the system Chromium is used)" >&2
  exit 1
fi

chromium_bin=${TDKT_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium_bin" ]; then
  echo "tests/e2e: no Chromium at $chromium_bin." >&2
  echo "Install Debian's with:  apt-get install -y chromium   (or set TDKT_CHROMIUM)" >&2
  exit 1
fi

node --test --test-reporter=spec "$here"/*.test.mjs
exit $?
