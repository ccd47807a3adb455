#!/usr/bin/env bash
# Projections benchmark (issue #3): full rebuild, kpi from a cold log, kpi with an up-to-date checkpoint,
# and kpi after 1,000 more events (checkpoint + tail), with `cat` of the same log as the same-run baseline.
#
#   tools/bench-projections.sh [--events N] [--runs R] [--work DIR]
#
# Builds parley in release mode, generates N events (default 10,000,000) with tools/generate_workload.py
# (seed 42) and appends them with --batch-size 10000, unless DIR already holds that log. Prints one line
# per measurement: best wall time of R runs (default 3), CPU time (user+sys) of that run, peak RSS, and the
# ratio to `cat`'s time. Needs GNU time (installed with apt-get if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

events=10000000
runs=3
work=""
while [ $# -gt 0 ]; do
    case "$1" in
        --events) events="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        -h|--help) sed -n 2,11p "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done
work="${work:-/tmp/parley-bench-projections-$events}"
mkdir -p "$work"

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y time >/dev/null; else sudo apt-get install -y time >/dev/null; fi
fi

swift build -c release >&2
parley="$PWD/.build/release/parley"
log="$work/bench.log"
if [ ! -s "$log" ]; then
    echo "generating $events events and appending them" >&2
    rm -f "$log" "$log".*
    python3 tools/generate_workload.py --events "$events" --seed 42 > "$work/events.jsonl"
    "$parley" init --log "$log" >/dev/null
    "$parley" append --batch-size 10000 --log "$log" < "$work/events.jsonl" >/dev/null
    rm -f "$work/events.jsonl"
fi
python3 tools/generate_workload.py --events 1000 --seed 7 | grep -v '"policy_set"' > "$work/tail.jsonl"

# measure NAME COMMAND...: best wall time of $runs runs; prints "seconds cpu_seconds max_rss_kb".
measure() {
    local best="" line
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>&1
        line=$(tail -1 "$work/time.txt")
        local wall cpu rss
        wall=$(echo "$line" | awk '{print $1}')
        cpu=$(echo "$line" | awk '{printf "%.2f", $2 + $3}')
        rss=$(echo "$line" | awk '{print $4}')
        if [ -z "$best" ] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN{exit !(a < b)}'; then
            best="$wall $cpu $rss"
        fi
    done
    echo "$best"
}

report() {
    local name="$1" result="$2" base="$3"
    local wall cpu rss
    read -r wall cpu rss <<<"$result"
    awk -v n="$name" -v w="$wall" -v c="$cpu" -v r="$rss" -v b="$base" -v e="$events" \
        'BEGIN{printf "| %s | %.2f | %.2f | %.0f | %.1f× |\n", n, w, c, r/1024, (b > 0 ? w/b : 0)}'
}

cp "$log" "$work/tail.log"
cat_result=$(measure cat "$log")
cat_wall=${cat_result%% *}
size=$(stat -c %s "$log")
echo "log: $log, $events events, $size bytes; runs: $runs (best wall time kept)"
echo
echo "| measurement | wall s | CPU s | peak MB | × cat |"
echo "|---|---:|---:|---:|---:|"
report "cat of the log (baseline)" "$cat_result" "$cat_wall"
report "kpi --by week, cold (full replay)" \
    "$(measure "$parley" kpi --by week --format json --no-checkpoint --log "$log")" "$cat_wall"
report "rebuild (full replay + checkpoint)" "$(measure "$parley" rebuild --log "$log")" "$cat_wall"
report "kpi --by week with the checkpoint" \
    "$(measure "$parley" kpi --by week --format json --log "$log")" "$cat_wall"
"$parley" rebuild --log "$work/tail.log" >/dev/null
"$parley" append --log "$work/tail.log" < "$work/tail.jsonl" >/dev/null 2>&1
report "kpi --by week, checkpoint + 1,000 new events" \
    "$(measure "$parley" kpi --by week --format json --log "$work/tail.log")" "$cat_wall"
report "queue with the checkpoint" \
    "$(measure "$parley" queue --as-of 2100-01-01T00:00:00Z --log "$log")" "$cat_wall"
echo
ckpt=$(stat -c %s "$log.checkpoint")
echo "checkpoint: $ckpt bytes"
# Same answers with and without the checkpoint (the benchmark's own check).
if cmp -s <("$parley" kpi --by week --format json --log "$work/tail.log") \
    <("$parley" kpi --by week --format json --no-checkpoint --log "$work/tail.log"); then
    echo "check: kpi with checkpoint + tail == full replay"
else
    echo "check FAILED: kpi with checkpoint + tail differs from the full replay" >&2
    exit 1
fi
rm -f "$work/tail.log" "$work/tail.log".*
