#!/usr/bin/env bash
# Sets up, builds and runs Vaarta on its embedded default: SQLite in ./data, demo data,
# the telephony simulator, listening on http://127.0.0.1:8080/. Extra arguments go to
# `vaarta serve` (for example --port 9000).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vaarta
exec ./build/release/src/vaarta serve --demo "$@"
