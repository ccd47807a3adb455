#!/usr/bin/env bash
# Follow while other processes append a million events in many batches: the follower's output must
# equal `parley dump` of the final log, byte for byte (issue #4). Release build; `swift test` runs the
# same check with 200,000 events.
#
#   tools/follow-check.sh [--events N]
set -euo pipefail
cd "$(dirname "$0")/.."
events=1000000
while [ $# -gt 0 ]; do
    case "$1" in
        --events) events=$2; shift 2 ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 64 ;;
    esac
done
swift build -c release --product parley >/dev/null
parley=$(swift build -c release --show-bin-path)/parley
work=$(mktemp -d "${TMPDIR:-/tmp}/parley-follow-XXXXXX")
trap 'kill "$follower" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 tools/generate_workload.py --events "$events" --seed 11 --out "$work/events.jsonl"
"$parley" init --log "$work/log" >/dev/null
"$parley" tail --follow --from-seq 1 --log "$work/log" > "$work/followed.jsonl" &
follower=$!

# Several writers one after the other, each with its own batch size.
split -n l/5 "$work/events.jsonl" "$work/part-"
sizes=(1000 7 25000 313 5000)
i=0
for part in "$work"/part-*; do
    "$parley" append --log "$work/log" --batch-size "${sizes[$i]}" < "$part" >/dev/null 2>&1
    i=$((i + 1))
done
# Wait until the follower has caught up, then stop it the way a user would.
for _ in $(seq 600); do
    [ "$(wc -l < "$work/followed.jsonl")" -ge "$events" ] && break
    sleep 0.1
done
kill -TERM "$follower"
wait "$follower" && status=0 || status=$?
"$parley" dump --log "$work/log" > "$work/dumped.jsonl"
lines=$(wc -l < "$work/followed.jsonl")
if cmp -s "$work/followed.jsonl" "$work/dumped.jsonl" && [ "$status" -eq 0 ]; then
    echo "OK: the follower wrote $lines events, byte for byte the dump of the final log; exit $status on SIGTERM"
else
    echo "FAILED: follower wrote $lines lines (exit $status); differs from dump:" >&2
    cmp "$work/followed.jsonl" "$work/dumped.jsonl" >&2 || true
    exit 1
fi
