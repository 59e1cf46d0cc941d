#!/usr/bin/env bash
# Telephony benchmarks: status callbacks verified and recorded per second on SQLite
# (beside /healthz from the same clients), and ConversationRelay reply latency with 500
# concurrent sessions. Records the figures in the "Telephony" section of
# docs/benchmarks.md (between its markers); bench/run.sh runs it too.
# Usage: bench/telephony.sh [calls, default 5000] [relay sessions, default 500] [seconds, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-5000}
sessions=${2:-500}
seconds=${3:-30}

./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target telephony_bench >/dev/null
bench=./build/release/bench/telephony_bench
ulimit -n 65536 2>/dev/null || ulimit -n 8192 2>/dev/null || true

field() { sed -n "s/.*RESULT.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

callbacks=$("$bench" callbacks "$calls" 32)
echo "$callbacks"
# Three relay runs: with the clients' threads on the same 2 cores as the server, the tail
# moves from run to run, and one run would hide that.
relay_rows=""
for run in 1 2 3; do
  relay=$("$bench" relay "$sessions" "$seconds")
  echo "$relay"
  relay_rows+="| ${run} | $(field held "$relay") of ${sessions} | $(field replies "$relay") | $(field p50_ms "$relay") ms | $(field p99_ms "$relay") ms |"$'\n'
done

cb_rate=$(field callbacks_per_s "$callbacks")
hz_rate=$(field healthz_per_s "$callbacks")
cb_ratio=$(field ratio "$callbacks")
cb_ok=$(field ok "$callbacks")
cpu=$(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

section=$(cat <<MD
<!-- telephony -->
## Telephony: webhooks and ConversationRelay

Produced by \`bench/telephony.sh ${calls} ${sessions} ${seconds}\` ($(date -u +%Y-%m-%dT%H:%M:%SZ), commit ${commit},
${cpu}, $(nproc) cores). The server is the product's Application (as \`vaarta serve\` builds
it, telephony = twilio, SQLite with synchronous=FULL) in the benchmark's process; the
clients run on the same 2 cores.

**Status callbacks.** ${calls} calls × 4 callbacks (initiated, ringing, in-progress,
completed), each a form POST signed with X-Twilio-Signature, from 32 keep-alive clients (Twilio posts the callbacks of hundreds of live calls over many connections at once).
Each is verified, recorded once in call_events and applied to the call's state (concurrent
callbacks share one commit: storage/group_commit.h) before
the 200 is sent. The baseline is GET /healthz, the same number of requests from the same
clients in the same run.

| | requests/s |
| --- | ---: |
| status callbacks verified and recorded | ${cb_rate} |
| /healthz (baseline) | ${hz_rate} |

callbacks / baseline: **${cb_ratio}**; all recorded and every call completed: ${cb_ok}
(1 = yes). Goal: over 5,000 callbacks/s.

**ConversationRelay.** ${sessions} WebSocket sessions opened with signed upgrades and a
setup message; each then sends a prompt every 0.5-1.5 s ("can you repeat that", answered
in place) for ${seconds} s. Latency is from the prompt sent to the first text token
received, measured at the client: it includes the loopback round trip and the wait of
${sessions} client threads for the same 2 cores as the server, so it overstates the
server's own latency.

| run | sessions held | replies | p50 | p99 |
| ---: | ---: | ---: | ---: | ---: |
${relay_rows}
Goal: p99 under 20 ms with 500 sessions.
<!-- /telephony -->
MD
)
doc=docs/benchmarks.md
if grep -q '<!-- telephony -->' "$doc"; then
  awk -v section="$section" '
    /<!-- telephony -->/ {print section; skip = 1; next}
    /<!-- \/telephony -->/ {skip = 0; next}
    !skip {print}' "$doc" >"$doc.tmp"
  mv "$doc.tmp" "$doc"
else
  printf '\n%s\n' "$section" >>"$doc"
fi
echo "bench: telephony figures written to $doc"
