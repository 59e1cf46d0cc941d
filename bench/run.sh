#!/usr/bin/env bash
# Runs every benchmark and records the figures in docs/benchmarks.md.
#   HTTP: wrk against `vaarta serve` /healthz with one I/O thread pinned to one core,
#   and against a minimal Beast server (the baseline) in the same run, same settings.
# Usage: bench/run.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}

./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target vaarta minimal_beast_server >/dev/null

work=$(mktemp -d /tmp/vaarta-bench-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() {  # port
  for _ in $(seq 1 200); do
    curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "bench: server on port $1 did not start" >&2
  exit 1
}

# Server on core 0, load generator on core 1 (the machine has two).
run_wrk() {  # port -> requests/s and p99 latency
  taskset -c 1 wrk -t1 -c32 -d2s "http://127.0.0.1:$1/healthz" >/dev/null  # warm-up
  taskset -c 1 wrk -t1 -c32 -d"${duration}s" --latency "http://127.0.0.1:$1/healthz" >"$work/wrk-$1.txt"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-$1.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk-$1.txt")
  echo "$rps $p99"
}

vaarta_port=18080
baseline_port=18081
taskset -c 0 ./build/release/src/vaarta serve --db "sqlite:$work/bench.db" --data-dir "$work/data" \
  --port "$vaarta_port" --io-threads 1 --log-level warn >"$work/vaarta.out" 2>"$work/vaarta.err" &
pids+=($!)
taskset -c 0 ./build/release/bench/minimal_beast_server "$baseline_port" >"$work/baseline.out" 2>&1 &
pids+=($!)
wait_for "$vaarta_port"
wait_for "$baseline_port"

read -r vaarta_rps vaarta_p99 < <(run_wrk "$vaarta_port")
read -r baseline_rps baseline_p99 < <(run_wrk "$baseline_port")
ratio=$(awk -v a="$vaarta_rps" -v b="$baseline_rps" 'BEGIN {printf "%.2f", a / b}')

cpu=$(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
cat > docs/benchmarks.md <<MD
# Benchmarks

Produced by \`bench/run.sh ${duration}\` (one command runs them all); numbers below are
from the last run. Timing never goes in unit tests.

- Machine: ${cpu:-unknown CPU}, $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB memory, $(uname -sr)
- Date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit ${commit}
- Build: CMake preset \`release\` (RelWithDebInfo, g++ $(g++ -dumpfullversion))

## HTTP: /healthz on one core

The server runs pinned to core 0 with one I/O thread (\`--io-threads 1\`, log level warn);
wrk runs pinned to core 1: \`wrk -t1 -c32 -d${duration}s --latency http://127.0.0.1:PORT/healthz\`,
after a 2 s warm-up. The baseline is \`bench/minimal_beast_server.cc\`: Beast with
coroutines and nothing else (no router, metrics, request ids or logging), measured in the
same run with the same settings.

| server | requests/s | p99 latency |
| --- | ---: | ---: |
| vaarta serve | ${vaarta_rps} | ${vaarta_p99} |
| minimal Beast server (baseline) | ${baseline_rps} | ${baseline_p99} |

vaarta / baseline throughput ratio: **${ratio}** (target: vaarta ≥ 10,000 requests/s).
MD
echo "vaarta: ${vaarta_rps} req/s (p99 ${vaarta_p99}); baseline: ${baseline_rps} req/s (p99 ${baseline_p99}); ratio ${ratio}"
