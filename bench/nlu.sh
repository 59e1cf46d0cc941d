#!/usr/bin/env bash
# The conversation engine's figures, written to docs/benchmarks.md:
#   - accuracy of the shipped intent model (`vaarta nlu eval`) on the shared development
#     set and on the repository's held-out test set, beside the rule layer alone;
#   - one dialogue step on one core (bench/nlu_bench), fastText + rules beside rules alone.
# Usage: bench/nlu.sh [iterations, default 50000]
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-50000}
./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target vaarta vaarta_intent_model nlu_bench >/dev/null
vaarta=build/release/src/vaarta
model=build/release/src/vaarta-intents.bin
dev=../shared/data/nlu_dev.tsv
work=$(mktemp -d /tmp/vaarta-nlu-XXXXXX)
trap 'rm -rf "$work"' EXIT

# The held-out test set as one file (the three scripts' files share the header).
{ echo -e "intent\ttext"; for f in corpus/nlu/test/*.tsv; do tail -n +2 "$f"; done; } >"$work/test.tsv"

eval_json() { "$vaarta" nlu eval "$1" --model "$model" --json "${@:2}"; }
eval_json "$dev" >"$work/dev.json"
eval_json "$work/test.tsv" >"$work/test.json"
eval_json "$dev" --rules-only >"$work/dev_rules.json"
eval_json "$work/test.tsv" --rules-only >"$work/test_rules.json"
"$vaarta" nlu eval "$dev" --model "$model" --max-misses 0 >"$work/dev_report.txt"

row() {  # file label
  jq -r --arg name "$2" '[$name, (.utterances|tostring),
      ((.accuracy*1000|round)/10|tostring) + "%",
      ((.per_script.english.accuracy*1000|round)/10|tostring) + "%",
      ((.per_script.devanagari.accuracy*1000|round)/10|tostring) + "%",
      ((.per_script.hinglish.accuracy*1000|round)/10|tostring) + "%",
      ((.opt_out_recall*1000|round)/10|tostring) + "%",
      ((.worst_false_opt_out.rate*1000|round)/10|tostring) + "%"] | "| " + join(" | ") + " |"' "$1"
}

taskset -c 1 build/release/bench/nlu_bench "$model" corpus/nlu/test "$iterations" >"$work/speed.json"
fig() { jq -r "$1 | (.*100|round)/100" "$work/speed.json"; }
step_p99=$(fig .step_model.p99_us)
rules_p99=$(fig .step_rules.p99_us)
ratio=$(awk -v a="$step_p99" -v b="$rules_p99" 'BEGIN {printf "%.2f", a / b}')

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
section=$(cat <<MD
<!-- nlu -->
## Conversation engine: intent accuracy and dialogue step time

Measured $(date -u +%Y-%m-%d) on ${machine}. Command: \`bench/nlu.sh\`.

**Accuracy.** The shipped model (\`build/release/src/vaarta-intents.bin\`, trained by the
build from \`corpus/nlu/train\`: $(cat corpus/nlu/train/*.tsv | grep -vc '^intent	text$') utterances in English, Devanagari
and Hinglish) with the rule layer over it, on data it was not trained on: the shared
development set (\`vaarta nlu eval ../shared/data/nlu_dev.tsv\`) and the repository's
held-out test set (\`corpus/nlu/test\`, written separately from the training corpus). The
baseline is the rule layer alone (\`--rules-only\`) on the same files.

| set | utterances | overall | English | Devanagari | Hinglish | opt_out recall | worst false opt_out |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(row "$work/dev.json" "nlu_dev.tsv, model + rules")
$(row "$work/dev_rules.json" "nlu_dev.tsv, rules alone")
$(row "$work/test.json" "corpus/nlu/test, model + rules")
$(row "$work/test_rules.json" "corpus/nlu/test, rules alone")

Goal: at least 90% overall and 85% in each script, opt_out recall 100%, no other intent
taken for opt_out more than 2% of the time. Per-intent recall, precision and the
confusion matrix on the development set:

\`\`\`
$(sed -n '/^intent /,$p' "$work/dev_report.txt")
\`\`\`

**Speed.** One dialogue step (\`ConversationSession::Hear\`: normalise, classify, sentiment,
move the script, fill the line) on one core (\`taskset -c 1\`), ${iterations} utterances of
the test set in all three scripts, over many short calls. Baseline: the same steps with the
rule classifier alone, in the same run.

| | p50 | p99 | max |
| --- | ---: | ---: | ---: |
| dialogue step, model + rules | $(fig .step_model.p50_us) µs | ${step_p99} µs | $(fig .step_model.max_us) µs |
| dialogue step, rules alone (baseline) | $(fig .step_rules.p50_us) µs | ${rules_p99} µs | $(fig .step_rules.max_us) µs |
| classification alone, model + rules | $(fig .classify_model.p50_us) µs | $(fig .classify_model.p99_us) µs | $(fig .classify_model.max_us) µs |
| classification alone, rules | $(fig .classify_rules.p50_us) µs | $(fig .classify_rules.p99_us) µs | $(fig .classify_rules.max_us) µs |

p99 step, model + rules / rules alone: **${ratio}**. Goal: under 1 ms (1000 µs) at p99.
<!-- /nlu -->
MD
)
doc=docs/benchmarks.md
if grep -q '<!-- nlu -->' "$doc"; then
  awk -v section="$section" '
    /<!-- nlu -->/ {print section; skip = 1; next}
    /<!-- \/nlu -->/ {skip = 0; next}
    !skip {print}' "$doc" >"$doc.tmp"
  mv "$doc.tmp" "$doc"
else
  printf '\n%s\n' "$section" >>"$doc"
fi
echo "bench: conversation engine figures written to $doc"
