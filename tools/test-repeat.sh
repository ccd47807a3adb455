#!/usr/bin/env bash
# Runs the whole test suite again and again, then again with a CPU-bound process beside it, to show that
# it passes every time (issue #10 item 7). Builds once, then runs `swift test --skip-build`.
#
#   tools/test-repeat.sh [--runs N] [--busy-runs M] [--logs DIR]
#
# Prints one line per run and, at the end, exactly:
#   test-repeat: N passed, 0 failed
#   test-repeat (busy): M passed, 0 failed
# Exit status: 0 when every run passed, 1 when any failed, 2 on a usage or build error.
set -uo pipefail

usage() {
    cat <<'EOF'
Usage: tools/test-repeat.sh [--runs N] [--busy-runs M] [--logs DIR]

Builds the package and its tests once (swift build --build-tests), then runs
`swift test --skip-build` N times, then M times more with a CPU-bound process
(`yes > /dev/null`) running beside it. Each run's output goes to a file in the
log directory; one line per run and a summary per phase are printed:

  test-repeat: 10 passed, 0 failed
  test-repeat (busy): 5 passed, 0 failed

Options:
  --runs N       runs on an otherwise idle machine (default 10; 0 skips them)
  --busy-runs M  runs beside `yes > /dev/null` (default 5; 0 skips them)
  --logs DIR     where the logs go (default: a new directory under /tmp)
  -h, --help     this text

Exit status: 0 if every run passed, 1 if any failed, 2 on a usage or build error.
EOF
}

runs=10
busy_runs=5
logs=""

count() {
    [[ "$2" =~ ^[0-9]+$ ]] || { echo "test-repeat: $1 needs a whole number, not '$2'" >&2; usage >&2; exit 2; }
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; count "$1" "$2"; runs=$2; shift 2 ;;
        --busy-runs) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; count "$1" "$2"; busy_runs=$2; shift 2 ;;
        --logs) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; logs=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "test-repeat: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

cd "$(dirname "$0")/.." || exit 2
if [[ -z "$logs" ]]; then
    logs=$(mktemp -d /tmp/parley-test-repeat.XXXXXX) || exit 2
else
    mkdir -p "$logs" || exit 2
fi

# The CPU-bound neighbour of the busy runs; killed on any exit, Ctrl-C included.
busy_pid=""
stop_busy() {
    if [[ -n "$busy_pid" ]]; then
        kill "$busy_pid" 2>/dev/null
        wait "$busy_pid" 2>/dev/null
        busy_pid=""
    fi
}
trap stop_busy EXIT
trap 'stop_busy; exit 130' INT
trap 'stop_busy; exit 143' TERM

echo "test-repeat: logs in $logs"
if ! swift build --build-tests >"$logs/build.log" 2>&1; then
    echo "test-repeat: the build failed; see $logs/build.log" >&2
    tail -n 20 "$logs/build.log" >&2
    exit 2
fi

# run_phase NAME COUNT: runs the suite COUNT times, logs to $logs/NAME-K.log; sets passed and failed.
run_phase() {
    local name=$1 total=$2 k start end status
    passed=0
    failed=0
    for ((k = 1; k <= total; k++)); do
        start=$(date +%s)
        swift test --skip-build >"$logs/$name-$k.log" 2>&1
        status=$?
        end=$(date +%s)
        if [[ $status -eq 0 ]]; then
            passed=$((passed + 1))
            echo "test-repeat: $name run $k/$total passed in $((end - start)) s ($logs/$name-$k.log)"
        else
            failed=$((failed + 1))
            echo "test-repeat: $name run $k/$total FAILED (exit $status) in $((end - start)) s ($logs/$name-$k.log)"
            grep -E "^✘|failed|error:" "$logs/$name-$k.log" | grep -v "^✔" | head -n 10 | sed 's/^/    /'
        fi
    done
}

any_failed=0
run_phase idle "$runs"
idle_passed=$passed
idle_failed=$failed
[[ $idle_failed -eq 0 ]] || any_failed=1

if [[ $busy_runs -gt 0 ]]; then
    yes >/dev/null &
    busy_pid=$!
fi
run_phase busy "$busy_runs"
busy_passed=$passed
busy_failed=$failed
[[ $busy_failed -eq 0 ]] || any_failed=1
stop_busy

echo "test-repeat: $idle_passed passed, $idle_failed failed"
echo "test-repeat (busy): $busy_passed passed, $busy_failed failed"
exit $any_failed
