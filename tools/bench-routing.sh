#!/usr/bin/env bash
# Benchmark of ingest with routing rules in force (issue #12): `parley append` of the same input into a
# fresh log (a) without rules, (b) with the seed rules set first (routing on), side by side in every round,
# on a release build. The target: (b) at 70% or more of (a)'s rate, counting input events only.
#
#   tools/bench-routing.sh [--events N] [--batch-size B] [--runs R] [--keep DIR] [--account-managers]
#
# The input is `generate_workload.py --seed 42`, without its hand-made assignments (routing assigns), with
# what routing needs added at the times it happens:
# agents coming online at the start of each working day and going offline (some away) at its end, in the
# seed rules' teams, and customer profiles (a tier, a lifetime value) for one customer in five, at their
# first message; with --account-managers, key customers get an account manager of the accounts team (in
# December 2026 the router then loops forever on the first key complaint the `stale` timer moves: the
# routed append is stopped after 30 minutes). Cut to exactly N lines. --keep DIR keeps the input and the
# logs there (for profiling). Prints a table and the ratio; the figures in BENCHMARKS.md come from it.
set -euo pipefail
cd "$(dirname "$0")/.."

events=1000000
batch=10000
runs=3
keep=""
managers=no
while [ $# -gt 0 ]; do
    case "$1" in
        --events) events=$2; shift 2 ;;
        --batch-size) batch=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        --account-managers) managers=yes; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 64 ;;
    esac
done

# PARLEY_SCRATCH: the build folder (default .build), e.g. to build beside a debug build in progress.
scratch=${PARLEY_SCRATCH:-.build}
swift build -c release --product parley --scratch-path "$scratch" >/dev/null
parley=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/parley
if [ -n "$keep" ]; then
    mkdir -p "$keep"
    work=$keep
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/parley-bench-routing-XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi
rules=Fixtures/rules/seed-rules.json

input="$work/events.jsonl"
# 10% more than N: its assignments are dropped.
python3 tools/generate_workload.py --events "$((events * 11 / 10))" --seed 42 --out "$work/workload.jsonl"
python3 - "$work/workload.jsonl" "$input" "$events" "$managers" <<'PY'
"""Adds agent shifts and customer profiles to a workload, in time order, and cuts it to N lines."""
import datetime as dt
import json
import random
import sys

source, target, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
with_managers = sys.argv[4] == "yes"
rng = random.Random(42)
teams = ["support", "sales", "finance", "operations", "accounts", "escalations"]
names = ["ana", "bruno", "chloe", "david", "elena", "farid", "giulia", "hugo", "ines", "jonas", "karim",
         "lea", "marco", "nora", "omar", "paula", "quentin", "rosa", "samir", "tomas", "yuki"]
agents = []
for index, name in enumerate(names):
    mine = sorted({teams[index % len(teams)], teams[rng.randrange(len(teams))]})
    agents.append({"agent": "agent:" + name, "teams": mine, "capacity": rng.choice([6, 8, 10, 12]),
                   "skills": ["fr"] if index % 3 == 0 else []})
managers = [agent for agent in agents if "accounts" in agent["teams"]]


def instant(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def stamp(moment):
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def status(agent, state, moment):
    event = {"type": "agent_status", "at": stamp(moment), "agent": agent["agent"], "status": state,
             "teams": agent["teams"], "capacity": agent["capacity"]}
    if agent["skills"]:
        event["skills"] = agent["skills"]
    return json.dumps(event, separators=(",", ":"))


def shifts(day):
    """The agent events of one day (UTC): online from 07:00 or 08:00, offline (or away) from 16:00 or 17:00."""
    out = []
    if day.weekday() >= 5:
        return out
    for agent in agents:
        if rng.random() < 0.1:
            continue  # a day off
        start = dt.datetime.combine(day, dt.time(7 + rng.randrange(2), rng.randrange(60)), dt.timezone.utc)
        end = dt.datetime.combine(day, dt.time(16 + rng.randrange(2), rng.randrange(60)), dt.timezone.utc)
        out.append((start, status(agent, "online", start)))
        if rng.random() < 0.2:
            pause = start + dt.timedelta(hours=3 + rng.randrange(3))
            out.append((pause, status(agent, "away", pause)))
            back = pause + dt.timedelta(minutes=30 + rng.randrange(30))
            out.append((back, status(agent, "online", back)))
        out.append((end, status(agent, "offline", end)))
    return sorted(out)


profiled = set()
pending = []  # agent events of the current day not yet written
day = None
written = 0
with open(source) as lines, open(target, "w") as out:
    for line in lines:
        if written >= limit:
            break
        at = line.index('"at":"') + 6
        moment = instant(line[at:line.index('"', at)])
        if day is None or moment.date() > day:
            # A new day (late emails never go back a day past the shifts already written).
            while day is None or day < moment.date():
                day = moment.date() if day is None else day + dt.timedelta(days=1)
                pending.extend(shifts(day))
        while pending and pending[0][0] <= moment and written < limit:
            out.write(pending.pop(0)[1] + "\n")
            written += 1
        if '"type":"message_received"' in line and written < limit - 1:
            customer = json.loads(line)["customer"]
            if customer not in profiled:
                profiled.add(customer)
                if rng.random() < 0.2:
                    key = rng.random() < 0.3
                    profile = {"type": "customer_profile", "at": stamp(moment), "customer": customer,
                               "tier": "key" if key else "standard",
                               "lifetime_value": rng.randrange(1000, 5_000_000), "currency": "EUR"}
                    if key and with_managers:
                        # Account managers work in the accounts team.
                        profile["account_manager"] = rng.choice(managers)["agent"]
                    out.write(json.dumps(profile, separators=(",", ":")) + "\n")
                    written += 1
        if '"type":"assigned"' in line:
            continue  # with rules in force, assigning is routing's job
        if written < limit:
            out.write(line)
            written += 1
PY
rm -f "$work/workload.jsonl"
lines=$(wc -l < "$input")
first=$(head -c 300 "$input" | sed -n 's/.*"at":"\([^"]*\)".*/\1/p' | head -n 1)
# The rules are set a day before the first event.
rules_at=$(python3 -c "
import datetime as d, sys
first = d.datetime.fromisoformat(sys.argv[1].replace('Z', '+00:00'))
print((first - d.timedelta(days=1)).astimezone(d.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))" "$first")

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"${2:-%.6f}\", $1 }"; }
best() { sort -g | head -n 1; }
cat "$input" > /dev/null

plain_times=() routed_times=()
for run in $(seq "$runs"); do
    plain="$work/plain$run.log" routed="$work/routed$run.log"
    "$parley" init --log "$plain" > /dev/null
    t0=$(now); "$parley" append --log "$plain" --batch-size "$batch" < "$input" > /dev/null 2>&1; t1=$(now)
    plain_times+=("$(calc "$t1 - $t0")")
    "$parley" init --log "$routed" > /dev/null
    "$parley" rules set "$rules" --log "$routed" --at "$rules_at" > /dev/null
    # A bound, so that a router that loops forever fails the run instead of hanging it.
    t0=$(now)
    timeout 1800 "$parley" append --log "$routed" --batch-size "$batch" < "$input" > "$work/routed.out" 2>&1
    t1=$(now)
    routed_times+=("$(calc "$t1 - $t0")")
    [ -n "$keep" ] || rm -f "$plain" "$routed" "$plain.checkpoint" "$routed.checkpoint"
done

plain_best=$(printf '%s\n' "${plain_times[@]}" | best)
routed_best=$(printf '%s\n' "${routed_times[@]}" | best)
rate() { calc "$lines / $1" "%.0f"; }
echo "machine: $(nproc) cores, $(uname -sr); input events: $lines; batch size: $batch; best of $runs rounds"
echo "routed append: $(head -n 1 "$work/routed.out")"
printf '%-34s %10s %14s   %s\n' "measurement" "seconds" "rate" "all rounds (s)"
row() { printf '%-34s %10.3f %14s   %s\n' "$1" "$2" "$(rate "$2") ev/s" "$3"; }
row "(a) append, no rules" "$plain_best" "${plain_times[*]}"
row "(b) append, seed rules in force" "$routed_best" "${routed_times[*]}"
echo "ratio (b)/(a) in input events per second: $(calc "$plain_best / $routed_best" "%.3f") (target >= 0.70)"
