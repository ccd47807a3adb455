#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ into .build-fuzz/ and runs each one (issue #5).
#
#   tools/fuzz.sh [--seconds N] [--target NAME]... [--build-only] [--update-corpus]
#
#   --seconds N       run each target for N seconds (default 60)
#   --target NAME     only this target (repeatable): frame-reader, event-codec, jsonl-decoder, lines-reader,
#                     checkpoint, cursor, commit-hint
#   --build-only      build, do not run
#   --update-corpus   after the run, merge the inputs that add coverage into Fixtures/fuzz/<target>/
#
# Each target is one Swift file compiled with `swiftc -sanitize=fuzzer,address -parse-as-library -O`
# TOGETHER WITH the module sources it needs, as one module named ParleyLog (see Fuzz/README.md).
# New inputs go to .build-fuzz/corpus/<target>/ (Fixtures/fuzz/<target>/ holds the seeds and is only
# read, unless --update-corpus). A crash, leak, timeout or out-of-memory input is copied to
# Fixtures/fuzz/crashes/<target>-<kind>-<hash> and makes the script exit 1. Logs: .build-fuzz/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
targets=()
build_only=0
update_corpus=0
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --target) targets+=("$2"); shift 2 ;;
        --build-only) build_only=1; shift ;;
        --update-corpus) update_corpus=1; shift ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "fuzz.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
    esac
done
all_targets=(frame-reader event-codec jsonl-decoder lines-reader checkpoint cursor commit-hint)
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# name -> source file, module sources, and limits. Memory limits: the largest legitimate allocation
# of the frame layer is one 64 MiB frame buffer (LogReader grows its buffer to the length a frame
# header claims, up to 64 MiB), so frame-reader gets 160 MiB per malloc; the event layer never needs
# more than the 8 MiB line buffer plus a 256 KiB read chunk, so the others get 64 MiB. The checkpoint
# loader's allocations are bounded by its input: every list count it reads is checked against the bytes of
# its section (StateReader.count), and the file it reads is the checkpoint itself, not a frame. So with
# inputs of at most 64 KiB the largest list it reserves is 64 Ki conversations of 272 bytes (17 MiB), and
# the KPI report made from the state has at most one bucket per ISO week of the Int64 nanosecond range
# (about 30,500 of 256 bytes: 8 MiB); checkpoint also gets 64 MiB. RSS: 2 GiB (ASan's shadow and
# quarantine included). Inputs up to 64 KiB; a run over 10 s is a hang.
# Every Swift file of a module, its subfolders included, in a stable order.
module_sources() { find "Sources/$1" -name '*.swift' | LC_ALL=C sort; }
mapfile -t log_sources < <(module_sources ParleyLog)
mapfile -t event_sources < <(module_sources ParleyEvents)
event_sources=("${log_sources[@]}" "${event_sources[@]}")
mapfile -t projection_sources < <(module_sources ParleyProjections)
projection_sources=("${event_sources[@]}" "${projection_sources[@]}")
declare -A file=(
    [frame-reader]=Fuzz/FrameReaderFuzz.swift [event-codec]=Fuzz/EventCodecFuzz.swift
    [jsonl-decoder]=Fuzz/JSONLineDecoderFuzz.swift [lines-reader]=Fuzz/JSONLinesReaderFuzz.swift
    [checkpoint]=Fuzz/CheckpointFuzz.swift [cursor]=Fuzz/CursorFuzz.swift [commit-hint]=Fuzz/CommitHintFuzz.swift
)
# cursor and commit-hint read files of a few dozen bytes; commit-hint follows a 6-event log with a
# 256 KiB read buffer. 64 MiB is far above either.
declare -A malloc_limit=(
    [frame-reader]=160 [event-codec]=64 [jsonl-decoder]=64 [lines-reader]=64 [checkpoint]=64 [cursor]=64
    [commit-hint]=64
)
rss_limit=2048
# checkpoint gets a dictionary (written below): varints at the extremes of their range, runs of
# continuation bytes (which, inserted before a varint, make it huge), the magic and time zones. The
# first two runs of 240 s, without it, never widened a one-byte varint enough to reach an overflow that a
# crafted input shows at once (Fixtures/fuzz/crashes/README.md).
# cursor gets one too: the line's fixed words and the seqs at the edges of the range.
declare -A dict=([checkpoint]=.build-fuzz/checkpoint.dict [cursor]=.build-fuzz/cursor.dict)
max_len=65536
timeout=10

sources_of() {
    case "$1" in
        frame-reader | cursor | commit-hint) echo "${log_sources[@]}" ;;
        checkpoint) echo "${projection_sources[@]}" ;;
        *) echo "${event_sources[@]}" ;;
    esac
}

mkdir -p .build-fuzz/logs
# libFuzzer prints the stack of a crash itself; Swift's own backtracer, started on the same signal inside
# a sanitized process, was seen to stall for minutes before the artifact was written.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
cat > .build-fuzz/checkpoint.dict <<'DICT'
"PARLEYCP"
"\x01\x00\x00\x00"
"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"
"\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01"
"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01"
"\xff\xff\xff\xff\xff\xff\xff\xff\x7f"
"\xff\xff\xff\xff"
"\x80\x80\x80\x80"
"\xff\xff\xff\xff\xff\xff\xff"
"\x80\x80\x80\x80\x80\x80\x80\x80"
"\x82\xda\xc4\x09"
"\x80\xa3\x05"
"\x03UTC"
"\x0cEurope/Paris"
"\x10America/New_York"
DICT
cat > .build-fuzz/cursor.dict <<'DICT'
"parley-cursor 1 "
"parley-cursor"
"9223372036854775807"
"9223372036854775808"
"18446744073709551615"
"18446744073709551616"
"00"
"+"
"-"
"\x0a"
DICT
# The sources are compiled from a snapshot taken now, so that edits made while the (slow, sanitized)
# build runs cannot fail it with "input file was modified during the build".
snapshot=.build-fuzz/snapshot
rm -rf "$snapshot"
mkdir -p "$snapshot"
cp -R Sources Fuzz "$snapshot/"
# checkpoint compiles ParleyProjections into the same one module: its `import ParleyLog` would only warn,
# but `import ParleyEvents` names no module there and fails. Those two lines are removed from the
# snapshot's copies (only there; Sources/ is never touched), and only when that target is built.
if [[ " ${targets[*]} " == *" checkpoint "* ]]; then
    find "$snapshot"/Sources/ParleyProjections -name '*.swift' -exec sed -i -E '/^import (ParleyEvents|ParleyLog)$/d' {} +
fi
build() {
    local target=$1 out=.build-fuzz/$1
    local sources
    read -r -a sources <<< "$(sources_of "$target")"
    # Up to date when the binary is newer than its fuzz file and every module source.
    if [ -x "$out" ] && [ -z "$(find "${file[$target]}" "${sources[@]}" -newer "$out" 2>/dev/null | head -1)" ]; then
        echo "fuzz: $target is up to date"
        return 0
    fi
    echo "fuzz: building $target"
    # -module-name ParleyLog: the ParleyEvents files' `import ParleyLog` then names this module and is
    # ignored with a warning; internal declarations (FrameValidator) are reachable from the fuzz file.
    if ! (cd "$snapshot" && swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ParleyLog \
        "${file[$target]}" "${sources[@]}" -o "../$target.tmp") > ".build-fuzz/logs/build-$target.log" 2>&1; then
        grep -E "error:" ".build-fuzz/logs/build-$target.log" >&2 || cat ".build-fuzz/logs/build-$target.log" >&2
        echo "fuzz: building $target failed (log: .build-fuzz/logs/build-$target.log)" >&2
        rm -f ".build-fuzz/$target.tmp"
        return 1
    fi
    mv ".build-fuzz/$target.tmp" "$out"
}

# Two cores: build two targets at a time.
pids=()
for target in "${targets[@]}"; do
    [ -n "${file[$target]:-}" ] || { echo "fuzz.sh: unknown target $target" >&2; exit 64; }
    build "$target" &
    pids+=($!)
    if [ ${#pids[@]} -ge 2 ]; then wait "${pids[0]}" || exit 1; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid" || exit 1; done
[ $build_only = 1 ] && exit 0

failed=0
summary=()
for target in "${targets[@]}"; do
    corpus=.build-fuzz/corpus/$target
    artifacts=.build-fuzz/artifacts/$target
    seeds=Fixtures/fuzz/$target
    mkdir -p "$corpus" "$artifacts" "$seeds"
    rm -f "$artifacts"/*
    log=.build-fuzz/logs/run-$target.log
    echo "fuzz: running $target for $seconds s (log: $log)"
    set +e
    ".build-fuzz/$target" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=$timeout \
        -rss_limit_mb=$rss_limit -malloc_limit_mb="${malloc_limit[$target]}" -max_len=$max_len \
        ${dict[$target]:+-dict="${dict[$target]}"} \
        -artifact_prefix="$artifacts/" -print_final_stats=1 > "$log" 2>&1
    status=$?
    set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1)
    line="$target: ${runs:-?} runs (${speed:-?}/s), ${cov:-cov ?}, ${corp:-corp ?}"
    if [ $status -ne 0 ]; then
        failed=1
        mkdir -p Fixtures/fuzz/crashes
        for artifact in "$artifacts"/*; do
            [ -e "$artifact" ] || continue
            cp "$artifact" "Fixtures/fuzz/crashes/$target-$(basename "$artifact")"
            line="$line; FOUND $(basename "$artifact") -> Fixtures/fuzz/crashes/$target-$(basename "$artifact")"
        done
        grep -m1 -E "ERROR: libFuzzer|ERROR: AddressSanitizer|invariant violated|Fatal error|deadly signal" "$log" >&2 || true
        line="$line; exit $status (see $log)"
    fi
    summary+=("$line")
    if [ $update_corpus = 1 ]; then
        ".build-fuzz/$target" -merge=1 "$seeds" "$corpus" -max_len=$max_len -timeout=$timeout \
            -rss_limit_mb=$rss_limit -malloc_limit_mb="${malloc_limit[$target]}" > ".build-fuzz/logs/merge-$target.log" 2>&1
        echo "fuzz: merged new coverage into $seeds ($(ls "$seeds" | wc -l) inputs)"
    fi
done
echo
echo "fuzz summary ($seconds s each):"
printf '  %s\n' "${summary[@]}"
exit $failed
