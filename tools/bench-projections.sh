#!/usr/bin/env bash
# Projections benchmark (issue #3): full rebuild, kpi from a cold log, kpi with an up-to-date checkpoint,
# and kpi after 1,000 more events (checkpoint + tail), with `cat` of the same log as the same-run baseline.
#
#   tools/bench-projections.sh [--events N] [--runs R] [--work DIR] [--baseline PARLEY]
#
# Builds parley in release mode, generates N events (default 10,000,000) with tools/generate_workload.py
# (seed 42) and appends them with --batch-size 10000, unless DIR already holds that log. Prints one line
# per measurement: best wall time of R runs (default 3), CPU time (user+sys) of that run, peak RSS, and the
# ratio to `cat`'s time. Needs GNU time (installed with apt-get if missing).
#
# --baseline PARLEY compares instead: the other build's binary and this one, each on its own copy of the
# log (a checkpoint sits beside its log), runs alternating between the two, best wall and CPU time of R
# runs each, for kpi cold, rebuild, kpi with the checkpoint and queue; ratios are this / baseline.
set -euo pipefail
cd "$(dirname "$0")/.."

events=10000000
runs=3
work=""
baseline=""
while [ $# -gt 0 ]; do
    case "$1" in
        --events) events="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --baseline) baseline="$2"; shift 2 ;;
        -h|--help) sed -n 2,15p "$0"; exit 0 ;;
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

if [ -n "$baseline" ]; then
    cp "$log" "$work/baseline.log"
    cp "$log" "$work/this.log"
    rm -f "$work/baseline.log".* "$work/this.log".*
    # once BIN LOG NAME: one run; prints "wall cpu".
    once() {
        local bin="$1" which="$2" name="$3"
        case "$name" in
            cold) set -- "$bin" kpi --by week --no-checkpoint --log "$which" ;;
            rebuild) set -- "$bin" rebuild --log "$which" ;;
            kpi) set -- "$bin" kpi --by week --log "$which" ;;
            queue) set -- "$bin" queue --log "$which" ;;
        esac
        # bash's own timer: milliseconds (GNU time prints hundredths).
        local TIMEFORMAT="%3R %3U %3S"
        { time "$@" >/dev/null 2>&1; } 2>"$work/time.txt"
        awk '{printf "%s %.3f", $1, $2 + $3}' "$work/time.txt"
    }
    echo "log: $log, $events events; runs: $runs each, alternating (best kept); ratio = this / baseline"
    echo
    echo "| measurement | baseline wall s | this wall s | ratio | baseline CPU s | this CPU s | ratio |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for name in cold rebuild kpi queue; do
        bw=""; bc=""; tw=""; tc=""
        for _ in $(seq "$runs"); do
            read -r w c <<<"$(once "$baseline" "$work/baseline.log" "$name")"
            if [ -z "$bw" ] || awk -v a="$w" -v b="$bw" 'BEGIN{exit !(a < b)}'; then bw=$w; fi
            if [ -z "$bc" ] || awk -v a="$c" -v b="$bc" 'BEGIN{exit !(a < b)}'; then bc=$c; fi
            read -r w c <<<"$(once "$parley" "$work/this.log" "$name")"
            if [ -z "$tw" ] || awk -v a="$w" -v b="$tw" 'BEGIN{exit !(a < b)}'; then tw=$w; fi
            if [ -z "$tc" ] || awk -v a="$c" -v b="$tc" 'BEGIN{exit !(a < b)}'; then tc=$c; fi
        done
        awk -v n="$name" -v bw="$bw" -v tw="$tw" -v bc="$bc" -v tc="$tc" \
            'BEGIN{printf "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", n, bw, tw, tw/bw, bc, tc, (bc > 0 ? tc/bc : 0)}'
    done
    rm -f "$work/baseline.log" "$work/baseline.log".* "$work/this.log" "$work/this.log".*
    exit 0
fi

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
report "kpi --by day --tz Europe/Paris with the checkpoint" \
    "$(measure "$parley" kpi --by day --tz Europe/Paris --format json --log "$log")" "$cat_wall"
report "kpi --by month --group-by team with the checkpoint" \
    "$(measure "$parley" kpi --by month --group-by team --format json --log "$log")" "$cat_wall"
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
