#!/usr/bin/env bash
# Sets up, builds and runs Vaarta on its embedded default: SQLite in ./data, demo data,
# the telephony simulator, listening on http://127.0.0.1:8080/. Extra arguments go to
# `vaarta serve` (for example --port 9000).
#
# The simulator is `vaarta telephony-sim`, a second process that speaks Twilio's REST API
# and calls our webhooks as Twilio would, with scripted callees; the server talks to it
# exactly as it would talk to Twilio (TELEPHONY_SIM_PORT moves it from port 8091).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
./scripts/web_build.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vaarta
vaarta=./build/release/src/vaarta

sim_port=${TELEPHONY_SIM_PORT:-8091}
account=ACde000000000000000000000000000000
token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
"$vaarta" telephony-sim --host 127.0.0.1 --port "$sim_port" --account-sid "$account" \
  --auth-token "$token" --log-level warn &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT INT TERM

VAARTA_TELEPHONY=twilio \
VAARTA_TWILIO_API_BASE_URL="http://127.0.0.1:$sim_port" \
VAARTA_TWILIO_ACCOUNT_SID="$account" \
VAARTA_TWILIO_AUTH_TOKEN="$token" \
  "$vaarta" serve --demo "$@"
