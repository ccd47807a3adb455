#!/usr/bin/env bash
# Two builds of parley side by side in one run (issue #11: "replay and append speed before/after"):
# the same input appended, verified and replayed by each, alternating A and B in every round so that a
# busy moment on the shared machine hits both. Prints the best of R runs for each and the ratio B / A.
#
#   tools/bench-builds.sh --a PATH_TO_OLD_PARLEY [--b PATH_TO_NEW_PARLEY] [--events N] [--runs R]
#
# --b defaults to this checkout's release build (built here). Make the baseline with, for example:
#   git worktree add --detach /tmp/parley-base <commit> && (cd /tmp/parley-base && swift build -c release)
set -euo pipefail
cd "$(dirname "$0")/.."

a="" b="" events=1000000 runs=3
while [ $# -gt 0 ]; do
    case "$1" in
        --a) a=$2; shift 2 ;;
        --b) b=$2; shift 2 ;;
        --events) events=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 64 ;;
    esac
done
[ -n "$a" ] || { echo "--a PATH (the baseline parley binary) is required" >&2; exit 64; }
if [ -z "$b" ]; then
    swift build -c release --product parley >/dev/null
    b=$(swift build -c release --show-bin-path)/parley
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/parley-builds-XXXXXX")
trap 'rm -rf "$work"' EXIT
input="$work/events.jsonl"
python3 tools/generate_workload.py --events "$events" --seed 42 --out "$input"
cat "$input" > /dev/null

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"${2:-%.6f}\", $1 }"; }
# time NAME BUILD COMMAND...: runs the command, appends the seconds to $work/NAME.BUILD
time_it() {
    local name=$1 build=$2; shift 2
    local t0 t1
    t0=$(now); "$@" > /dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; exit 1; }; t1=$(now)
    calc "$t1 - $t0" >> "$work/$name.$build"; echo >> "$work/$name.$build"
}
steps=(append verify kpi-replay rebuild kpi-checkpoint queue)
for run in $(seq "$runs"); do
    for build in A B; do
        bin=$a; [ "$build" = B ] && bin=$b
        log="$work/$build.log"
        rm -rf "$log" "$log".*
        "$bin" init --log "$log" > /dev/null
        time_it append "$build" "$bin" append --log "$log" --batch-size 10000 < "$input"
        time_it verify "$build" "$bin" verify --log "$log"
        time_it kpi-replay "$build" "$bin" kpi --by week --no-checkpoint --log "$log"
        time_it rebuild "$build" "$bin" rebuild --log "$log"
        time_it kpi-checkpoint "$build" "$bin" kpi --by week --log "$log"
        time_it queue "$build" "$bin" queue --log "$log" --as-of 2100-01-01T00:00:00Z
    done
done
best() { grep -v '^$' "$1" | sort -g | head -n 1; }
echo "machine: $(nproc) cores, $(uname -sr); events: $events; best of $runs alternating runs"
echo "A: $a"
echo "B: $b"
printf '%-16s %10s %10s %10s\n' "step" "A (s)" "B (s)" "B / A"
for step in "${steps[@]}"; do
    ta=$(best "$work/$step.A"); tb=$(best "$work/$step.B")
    printf '%-16s %10.3f %10.3f %10s\n' "$step" "$ta" "$tb" "$(calc "$tb / $ta" "%.3f")"
done
