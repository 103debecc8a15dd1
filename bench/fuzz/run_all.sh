#!/usr/bin/env bash
# Run every reader's atheris harness for RUNS inputs (default 100000), one after another.
#
#   nice -n 19 bench/fuzz/run_all.sh            # all readers, 100k inputs each
#   RUNS=20000 bench/fuzz/run_all.sh json yaml  # some readers, fewer inputs
#
# Seeds come from the reader fixtures in tests/data; the growing corpus, crash inputs and one log
# per reader go to $FUZZ_WORK (default: a new folder under /tmp), so the repository stays clean.
# Ends with one summary line per reader ("json: 100000 runs, ok") and exits 1 if any crashed.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
runs="${RUNS:-100000}"
work="${FUZZ_WORK:-$(mktemp -d /tmp/lg-fuzz-XXXXXX)}"
python="${PYTHON:-python}"

declare -A seeds=(
  [alexa]="tests/data/readers_b/alexa"
  [android]="tests/data/readers/android examples/android"
  [arb]="tests/data/readers/arb"
  [csv]="tests/data/readers_b/tabular"
  [json]="examples/assistant"
  [massive]="tests/data/readers_b/massive examples/nlu"
  [ovos]="tests/data/readers_b/ovos examples/skill"
  [ovos_skill_json]="tests/data/readers_b/ovos"
  [po]="tests/data/readers/po examples/po"
  [xliff]="tests/data/readers/xliff"
  [yaml]="tests/data/readers/yaml"
)
all=(alexa android arb csv json massive ovos ovos_skill_json po xliff yaml)
chosen=("$@")
[ ${#chosen[@]} -eq 0 ] && chosen=("${all[@]}")

status=0
summary=()
for name in "${chosen[@]}"; do
  corpus="$work/corpus/$name"; crashes="$work/crashes/$name"; log="$work/$name.log"
  mkdir -p "$corpus" "$crashes"
  for dir in ${seeds[$name]:-}; do
    [ -d "$repo/$dir" ] && find "$repo/$dir" -type f -size -64k -exec cp -t "$corpus" {} + 2>/dev/null
  done
  scratch="$(mktemp -d /dev/shm/lg-fuzz-XXXXXX 2>/dev/null || mktemp -d)"
  start=$(date +%s)
  (cd "$repo" && LG_FUZZ_SCRATCH="$scratch" "$python" "$here/fuzz_$name.py" "$corpus" -runs="$runs" -timeout=20 \
      -rss_limit_mb=3072 -max_len=65536 -artifact_prefix="$crashes/" -print_final_stats=1) >"$log" 2>&1
  rc=$?
  rm -rf "$scratch"
  n=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" | tail -1)
  if [ $rc -eq 0 ]; then verdict=ok; else verdict="CRASH (exit $rc, see $log and $crashes)"; status=1; fi
  summary+=("$name: ${n:-0} runs in $(( $(date +%s) - start ))s, $verdict")
  echo "${summary[-1]}"
done
echo "--- fuzz summary (work folder $work)"
printf '%s\n' "${summary[@]}"
exit $status
