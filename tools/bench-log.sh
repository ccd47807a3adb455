#!/usr/bin/env bash
# Benchmark of the durable log (issue #2): append throughput and verify scan speed, each beside
# `cat FILE > /dev/null` measured in the same run, on a release build.
#
#   tools/bench-log.sh [--events N] [--batch-size B] [--runs R]
#
# Prints a table and the ratios; the figures in BENCHMARKS.md come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."

events=1000000
batch=10000
runs=3
while [ $# -gt 0 ]; do
    case "$1" in
        --events) events=$2; shift 2 ;;
        --batch-size) batch=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 64 ;;
    esac
done

# Tools this script needs, installed if missing (fresh machines): GNU time for peak memory.
if [ ! -x /usr/bin/time ]; then
    (apt-get install -y time || (apt-get update && apt-get install -y time)) >/dev/null
fi

swift build -c release --product parley >/dev/null
parley=$(swift build -c release --show-bin-path)/parley
work=$(mktemp -d "${TMPDIR:-/tmp}/parley-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

input="$work/events.jsonl"
python3 tools/generate_workload.py --events "$events" --seed 42 --out "$input"
input_bytes=$(stat -c %s "$input")

now() { date +%s.%N; }
# Arithmetic with awk (always present), not bc (not always installed).
calc() { awk "BEGIN { printf \"${2:-%.6f}\", $1 }"; }
best() { sort -g | head -n 1; }
# Reads the file once so every measurement starts from the page cache.
cat "$input" > /dev/null

append_times=() cat_input_times=() verify_times=() cat_log_times=()
for run in $(seq "$runs"); do
    log="$work/run$run.log"
    "$parley" init --log "$log" > /dev/null
    t0=$(now); /usr/bin/time -f "%M" -o "$work/append.mem" "$parley" append --log "$log" --batch-size "$batch" < "$input" > /dev/null 2>"$work/append.err"; t1=$(now)
    append_times+=("$(calc "$t1 - $t0")")
    t0=$(now); cat "$input" > /dev/null; t1=$(now)
    cat_input_times+=("$(calc "$t1 - $t0")")
    t0=$(now); /usr/bin/time -f "%M" -o "$work/verify.mem" "$parley" verify --log "$log" > /dev/null; t1=$(now)
    verify_times+=("$(calc "$t1 - $t0")")
    t0=$(now); cat "$log" > /dev/null; t1=$(now)
    cat_log_times+=("$(calc "$t1 - $t0")")
done
log_bytes=$(stat -c %s "$work/run1.log")

append=$(printf '%s\n' "${append_times[@]}" | best)
cat_input=$(printf '%s\n' "${cat_input_times[@]}" | best)
verify=$(printf '%s\n' "${verify_times[@]}" | best)
cat_log=$(printf '%s\n' "${cat_log_times[@]}" | best)

rate() { calc "$1 / $2" "%.0f"; }
mb() { calc "$1 / 1000000 / $2" "%.1f"; }
echo "machine: $(nproc) cores, $(uname -sr); events: $events; batch size: $batch; best of $runs runs"
echo "input JSONL: $input_bytes bytes; log: $log_bytes bytes"
printf '%-28s %10s %14s %10s\n' "measurement" "seconds" "rate" "MB/s"
printf '%-28s %10.3f %14s %10s\n' "parley append (fdatasync)" "$append" "$(rate "$events" "$append") ev/s" "$(mb "$input_bytes" "$append")"
printf '%-28s %10.3f %14s %10s\n' "cat input.jsonl" "$cat_input" "" "$(mb "$input_bytes" "$cat_input")"
printf '%-28s %10.3f %14s %10s\n' "parley verify" "$verify" "$(rate "$events" "$verify") ev/s" "$(mb "$log_bytes" "$verify")"
printf '%-28s %10.3f %14s %10s\n' "cat log" "$cat_log" "" "$(mb "$log_bytes" "$cat_log")"
echo "peak memory (last run): append $(tail -n 1 "$work/append.mem") KB, verify $(tail -n 1 "$work/verify.mem") KB"
echo "ratios: append takes $(calc "$append / $cat_input" "%.1f")x the time of cat on the input; verify takes $(calc "$verify / $cat_log" "%.1f")x the time of cat on the log"
