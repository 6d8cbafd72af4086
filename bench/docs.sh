#!/usr/bin/env bash
# Document writers: a decision with 1 000 listed recipients as DOCX and PDF,
# and an XLSX of 100 000 rows, each in its own process so each peak RSS is
# its own. Prints figures; asserts nothing (targets in bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/tdkt-bench-docs
cmake --build build --target tdkt-bench-docs >/dev/null
$bin docx 1000 10
$bin pdf 1000 5 || echo "pdf: not built"
$bin xlsx 100000
