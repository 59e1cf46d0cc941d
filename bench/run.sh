#!/usr/bin/env bash
# Runs every benchmark and records the figures in docs/benchmarks.md.
#   1. HTTP: wrk against `vaarta serve` /healthz on one core, beside a minimal Beast server.
#   2. Lead import: a generated 1,000,000-row CSV into SQLite and into PostgreSQL, beside
#      sqlite3's own .import and PostgreSQL's COPY of the same file into a bare table.
#   3. Lead listing: p95 latency of /api/v1/leads pages and filters over those 1M leads.
#   4. DND registry store: bench/dnd_bench (296M numbers) beside std::unordered_set.
#   5. DND registry load: `vaarta dnd load` of a generated 30M-number registry file.
#   6. Pre-dial gate: bench/gate_bench (decisions per second on one core) beside the DND
#      lookup alone and ICU's per-decision UTC offset.
#   7. Telephony: bench/telephony.sh (status callbacks per second, ConversationRelay latency).
#   8. Conversation engine: bench/nlu.sh (intent accuracy; dialogue step time on one core).
#   9. Dashboard: bench/dashboard.sh (bundle size; the leads page over 1M leads in Chromium).
#  10. Report exports: bench/reports.sh (CSV, XLSX, PDF over 1M calls beside the paged read).
# Usage: bench/run.sh [seconds per HTTP run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
repo=$(pwd)

./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target vaarta minimal_beast_server generate_leads dnd_bench \
  gate_bench >/dev/null
vaarta=$repo/build/release/src/vaarta

work=$(mktemp -d /tmp/vaarta-bench-XXXXXX)
pids=()
source ./scripts/pg_test_server.sh  # sets VAARTA_TEST_PG_URL and an EXIT trap for the server
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
  stop_test_postgres
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

wait_for() {  # port
  for _ in $(seq 1 400); do
    curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "bench: server on port $1 did not start" >&2
  exit 1
}

# ---------------------------------------------------------------- 1. HTTP
run_wrk() {  # port -> requests/s and p99 latency
  taskset -c 1 wrk -t1 -c32 -d2s "http://127.0.0.1:$1/healthz" >/dev/null
  taskset -c 1 wrk -t1 -c32 -d"${duration}s" --latency "http://127.0.0.1:$1/healthz" >"$work/wrk-$1.txt"
  echo "$(awk '/Requests\/sec/ {print $2}' "$work/wrk-$1.txt") $(awk '$1 == "99%" {print $2}' "$work/wrk-$1.txt")"
}
taskset -c 0 "$vaarta" serve --db "sqlite:$work/http.db" --data-dir "$work/http-data" --port 18080 \
  --io-threads 1 --log-level warn >"$work/http.out" 2>"$work/http.err" &
pids+=($!)
taskset -c 0 ./build/release/bench/minimal_beast_server 18081 >/dev/null 2>&1 &
pids+=($!)
wait_for 18080
wait_for 18081
read -r vaarta_rps vaarta_p99 < <(run_wrk 18080)
read -r baseline_rps baseline_p99 < <(run_wrk 18081)
kill "${pids[@]}"; wait 2>/dev/null || true; pids=()
echo "http: vaarta ${vaarta_rps} req/s, baseline ${baseline_rps} req/s"

# ---------------------------------------------------------------- 2. Import
rows=1000000
./build/release/bench/generate_leads "$rows" "$work/leads.csv" "$work/dnd.txt" 42

import_into() {  # db-url label -> seconds
  local db=$1 data=$work/data-$2
  local start end
  # The registry the import checks every number against (10% of the file's numbers).
  "$vaarta" dnd load "$work/dnd.txt" --db "$db" --data-dir "$data" >"$work/dnd-load-$2.json"
  start=$(now)
  "$vaarta" leads import "$work/leads.csv" --db "$db" --data-dir "$data" >"$work/import-$2.json"
  end=$(now)
  elapsed "$start" "$end"
}

sqlite_import=$(import_into "sqlite:$work/leads.db" sqlite)
start=$(now)
printf '.mode csv\n.import %s leads_raw\n' "$work/leads.csv" | sqlite3 "$work/bare.db"
sqlite_bare=$(elapsed "$start" "$(now)")

pg_db="${VAARTA_TEST_PG_URL}"
pg_import=$(import_into "$pg_db" postgres)
psql "$pg_db" -q -c "CREATE TABLE bare_leads (name TEXT, phone TEXT, email TEXT, city TEXT, language TEXT, tags TEXT)"
start=$(now)
psql "$pg_db" -q -c "\\copy bare_leads FROM '$work/leads.csv' WITH (FORMAT csv, HEADER true)"
pg_bare=$(elapsed "$start" "$(now)")
summary=$(cat "$work/import-sqlite.json")
echo "import: sqlite ${sqlite_import}s (bare ${sqlite_bare}s), postgres ${pg_import}s (bare ${pg_bare}s)"

# ---------------------------------------------------------------- 3. Listing
"$vaarta" user add --db "sqlite:$work/leads.db" --data-dir "$work/data-sqlite" --email bench@example.in \
  --role admin --password-stdin <<<"bench password 123" >/dev/null
"$vaarta" serve --db "sqlite:$work/leads.db" --data-dir "$work/data-sqlite" --port 18082 --log-level warn \
  >"$work/list.out" 2>"$work/list.err" &
pids+=($!)
wait_for 18082
# The server fills the search index in the background after an import; wait for it.
index_start=$(now)
while [ "$(sqlite3 "$work/leads.db" 'SELECT count(*) FROM lead_search_pending' 2>/dev/null)" != "0" ]; do sleep 0.2; done
index_seconds=$(elapsed "$index_start" "$(now)")
token=$(curl -fs -H 'Content-Type: application/json' -d '{"email":"bench@example.in","password":"bench password 123"}' \
  http://127.0.0.1:18082/api/v1/auth/login | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
p95() {  # query -> p95 milliseconds over 100 requests (after 5 warm-ups)
  local url="http://127.0.0.1:18082/api/v1/leads?limit=50$1"
  for _ in 1 2 3 4 5; do curl -fs -o /dev/null -H "Authorization: Bearer $token" "$url"; done
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url"
  done | sort -n | awk '{v[NR] = $1} END {printf "%.1f", v[95] * 1000}'
}
deep_cursor=$(printf 'k:%s' 500000 | base64 | tr '+/' '-_' | tr -d '=')
list_rows=""
for q in "" "&after=$deep_cursor" "&status=new" "&tag=hot" "&dnd_state=blocked" "&language=hi" "&q=sharma" "&q=98765" "&q=zzqqx" "&q=sharma&status=new"; do
  list_rows+="| \`/api/v1/leads?limit=50${q}\` | $(p95 "$q") |"$'\n'
done
kill "${pids[@]}"; wait 2>/dev/null || true; pids=()

# ---------------------------------------------------------------- 4. DND store
rm -f "$work"/*.db "$work"/leads.csv  # room for the registry's 300M numbers
dnd_store=$(./build/release/bench/dnd_bench 300000000)
echo "$dnd_store"

# ---------------------------------------------------------------- 5. DND load
dnd_count=30000000
"$vaarta" dnd generate --count "$dnd_count" --seed 5 --partial 0.05 --out "$work/registry.txt"
dnd_file_mb=$(du -m "$work/registry.txt" | cut -f1)
start=$(now)
"$vaarta" dnd load "$work/registry.txt" --db "sqlite:$work/dnd.db" --data-dir "$work/dnd-data" >"$work/dnd-load.json"
dnd_load=$(elapsed "$start" "$(now)")
dnd_snapshot_mb=$(du -m "$work/dnd-data/dnd/registry.snap" | cut -f1)
start=$(now)
sort -u -o "$work/registry-sorted.txt" "$work/registry.txt"
dnd_sort_baseline=$(elapsed "$start" "$(now)")
echo "dnd load: ${dnd_load}s for ${dnd_count} numbers (sort -u ${dnd_sort_baseline}s)"

# ---------------------------------------------------------------- 6. Pre-dial gate
gate_decisions=20000000
gate=$(taskset -c 0 ./build/release/bench/gate_bench "$gate_decisions" 3000000 200000 \
  | grep -v '^(checksums')
echo "$gate"

# ---------------------------------------------------------------- report
cpu=$(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
cat > docs/benchmarks.md <<MD
# Benchmarks

Produced by \`bench/run.sh ${duration}\`, one command for all of them; the numbers are
from its last run. Timing never goes in unit tests.

- Machine: ${cpu:-unknown CPU}, $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB memory, $(uname -sr)
- Date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit ${commit}
- Build: CMake preset \`release\` (RelWithDebInfo, g++ $(g++ -dumpfullversion))

## HTTP: /healthz on one core

The server runs pinned to core 0 with one I/O thread (\`--io-threads 1\`, log level warn);
wrk runs pinned to core 1: \`wrk -t1 -c32 -d${duration}s --latency http://127.0.0.1:PORT/healthz\`,
after a 2 s warm-up. The baseline is \`bench/minimal_beast_server.cc\`: Beast with
coroutines and nothing else (no router, metrics, request ids or logging), same run.

| server | requests/s | p99 latency |
| --- | ---: | ---: |
| vaarta serve | ${vaarta_rps} | ${vaarta_p99} |
| minimal Beast server (baseline) | ${baseline_rps} | ${baseline_p99} |

vaarta / baseline throughput: **$(ratio "$vaarta_rps" "$baseline_rps")** (target: vaarta ≥ 10,000 requests/s).

## Lead import: 1,000,000 rows

\`bench/generate_leads ${rows}\` writes a CSV in the formats people type (+91 98xxx xxxxx,
098..., 91-..., brackets and dots, English and Devanagari names), with 5% invalid rows,
5% repeated numbers, and 10% of the numbers in a DND registry file loaded first with
\`vaarta dnd load\` (not timed here; see below). Time is wall clock for the whole \`vaarta leads import FILE\`
process (start-up, migrations check, parsing, cleaning, duplicate and DND checks,
one transaction, commit). The baselines load the same file into a bare table with no
cleaning, no indexes and no constraints.

| target | vaarta leads import | baseline | ratio | rows/s |
| --- | ---: | ---: | ---: | ---: |
| SQLite | ${sqlite_import} s | ${sqlite_bare} s (\`sqlite3\` \`.import\`) | $(ratio "$sqlite_import" "$sqlite_bare") | $(awk -v r=$rows -v t="$sqlite_import" 'BEGIN {printf "%d", r / t}') |
| PostgreSQL | ${pg_import} s | ${pg_bare} s (\`psql \\copy\`) | $(ratio "$pg_import" "$pg_bare") | $(awk -v r=$rows -v t="$pg_import" 'BEGIN {printf "%d", r / t}') |

Summary printed by the SQLite import: \`${summary}\`

Goals: 1M rows in under 10 s, at most 3× the bare \`.import\`.

## Lead listing over those 1M leads (SQLite)

p95 of 100 requests each (after 5 warm-ups), measured with curl's \`time_total\` against
\`vaarta serve\` on the database of the import above; a page is 50 leads. \`q\` is
text search (name, e-mail, phone digits) through the trigram index, which the server
built in the background in ${index_seconds} s after starting on the freshly imported
database (until then a search reads the table).

| request | p95 (ms) |
| --- | ---: |
${list_rows}
Goal: under 50 ms (p95) for the first and any later page.

## DND registry store: 300M numbers

\`build/release/bench/dnd_bench 300000000\`: distinct numbers in 6000000000..9999999999
(the registry's density: about 280 million of India's mobile numbers), built into the
Elias-Fano set, written as a snapshot, memory-mapped back and probed with 50M lookups on
one core (half members), beside \`std::unordered_set<uint64_t>\` holding the same
numbers, in the same run:

\`\`\`
${dnd_store}
\`\`\`

Goals: under 1.5 bytes per number, over 5 million lookups per second on one core.

## DND registry load: ${dnd_count} numbers

\`vaarta dnd generate --count ${dnd_count} --partial 0.05\` writes a registry file
(${dnd_file_mb} MB, 5% of the lines with a partial preference); \`vaarta dnd load\` reads
it, sorts, builds and writes the snapshot (${dnd_snapshot_mb} MB) and records the load:
**${dnd_load} s**, $(awk -v n=$dnd_count -v t="$dnd_load" 'BEGIN {printf "%.1f", n / t / 1e6}') million
numbers/s. Baseline in the same run: \`sort -u\` of the same file, ${dnd_sort_baseline} s
(ratio $(ratio "$dnd_load" "$dnd_sort_baseline")).

## Pre-dial gate: decisions per second on one core

\`taskset -c 0 build/release/bench/gate_bench ${gate_decisions} 3000000 200000\`: \`DecideDial\`
(src/campaigns/pre_dial_gate.h) over 200,000 leads: 85% Indian numbers (a quarter of them
on a 3,000,000-number DND snapshot, 5% of whose entries are partial preferences), 15% in
eight foreign zones (New York, Los Angeles, London, Berlin, Dubai, Singapore, Sydney,
Auckland), 40% with one to three earlier attempts, a few opted out or of unknown type; a
promotional campaign with the default window, caps and holidays; "now" moves through an
afternoon in India. Single thread, best of three. Baselines in the same run on the same
leads: the DND lookup alone (parse the number, \`DndSnapshot::Lookup\`), and the callee's
UTC offset asked of ICU per decision (\`icu::TimeZone::createTimeZone\` + \`getOffset\`),
which the gate's \`ZoneOffsetCache\` replaces.

\`\`\`
${gate}
\`\`\`

Goal: at least 1,000,000 decisions per second on one core; an allowed decision allocates
nothing. A refusal costs more than an allowed call only where it builds its sentence; a
DND refusal also pays for the registry's lookup of a listed number, which searches the
partial preferences.

MD
# 7. Telephony (its own script, which writes its section of the same file).
./bench/telephony.sh
./bench/nlu.sh
./bench/dashboard.sh
./bench/reports.sh
echo "benchmarks written to docs/benchmarks.md"
