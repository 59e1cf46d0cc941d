#!/usr/bin/env bash
# Sets up, builds and runs every test: the unit suite under AddressSanitizer and
# UndefinedBehaviorSanitizer, then the whole suite (unit, API and integration, on SQLite
# and on a real PostgreSQL server started here on loopback) in the optimised build.
# The last line is CTest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh --with-browser
# The dashboard, which the browser tests drive in Chromium.
./scripts/web_build.sh
# The official twilio npm package, used only by the signature and TwiML agreement test.
./scripts/npm_test_deps.sh
source ./scripts/pg_test_server.sh

echo "test: building (sanitizers)"
cmake --preset asan >/dev/null
# Only what the unit tests need: the API, integration and browser suites run in the
# optimised build below.
cmake --build --preset asan --target unit_tests
echo "test: unit tests under ASan+UBSan"
# tests/lsan.supp names the one library whose process-long caches LeakSanitizer reports.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$(pwd)/tests/lsan.supp" ctest --preset asan

echo "test: building (release)"
cmake --preset release >/dev/null
cmake --build --preset release
echo "test: all tests"
ctest --preset release
