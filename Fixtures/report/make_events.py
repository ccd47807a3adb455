#!/usr/bin/env python3
"""Writes Fixtures/report/events.jsonl: two weeks of support traffic (2026-W09 and 2026-W10) for the golden
test of `parley report` (Tests/ParleyReportTests/ReportGoldenTests.swift).

Deterministic: a fixed seed and Python's Mersenne Twister (random.Random.random is stable across versions).
The file is committed; run this only to change the scenario, then regenerate the golden page with
PARLEY_UPDATE_GOLDEN=1 (see the test).
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone

rng = random.Random(20260302)
START = datetime(2026, 2, 23, tzinfo=timezone.utc)  # Monday of 2026-W09
CHANNELS = [("email", 5), ("chat", 4), ("whatsapp", 3), ("form", 1)]
CATEGORIES = ["billing", "shipping", "returns", "account"]
AGENTS = ["agent:ana", "agent:bo", "agent:cy"]
QUESTIONS = [
    "Where is my order {n}?",
    "How do I return item {n}?",
    "I was charged twice for order {n}",
    "Can I change my delivery address?",
    "My password reset link does not work",
]


def at(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def pick(weighted):
    total = sum(weight for _, weight in weighted)
    roll = rng.random() * total
    for value, weight in weighted:
        roll -= weight
        if roll < 0:
            return value
    return weighted[-1][0]


events = [
    {
        "type": "policy_set", "at": "2026-02-20T00:00:00Z",
        "policy": {
            "name": "Standard", "time_zone": "UTC",
            "business_hours": {d: ["08:00-18:00"] for d in ["monday", "tuesday", "wednesday", "thursday", "friday"]},
            "targets": {"normal": {"first_response": 120, "resolution": 1440},
                        "high": {"first_response": 60, "resolution": 480}},
        },
    }
]
number = 0
for day in range(14):
    date = START + timedelta(days=day)
    weekend = date.weekday() >= 5
    # The second week is busier and slower on Wednesday and Thursday.
    count = (3 if weekend else 7) + (3 if day >= 7 else 0) + (2 if day in (9, 10) else 0)
    for _ in range(count):
        number += 1
        conversation = f"c-{number:03d}"
        start = date + timedelta(minutes=int(rng.random() * 600) + 7 * 60)
        channel = pick(CHANNELS)
        text = QUESTIONS[int(rng.random() * len(QUESTIONS))].format(n=1000 + int(rng.random() * 9000))
        events.append({"type": "message_received", "at": at(start), "conversation": conversation,
                       "customer": f"u-{int(rng.random() * 40):02d}", "channel": channel, "body": text})
        events.append({"type": "categorized", "at": at(start + timedelta(seconds=30)), "conversation": conversation,
                       "category": CATEGORIES[int(rng.random() * len(CATEGORIES))]})
        agent = AGENTS[int(rng.random() * len(AGENTS))]
        if channel == "chat" and rng.random() < 0.5:
            agent = "bot:faq"
        events.append({"type": "assigned", "at": at(start + timedelta(minutes=1)), "conversation": conversation,
                       "assignee": agent, "team": "support"})
        slow = 3.0 if day in (9, 10) else 1.0
        wait = timedelta(minutes=(2 + rng.random() * (20 if channel == "chat" else 150)) * slow)
        if day == 13 and rng.random() < 0.4:
            continue  # Sunday of W10: a few never answered (backlog)
        events.append({"type": "reply_sent", "at": at(start + wait), "conversation": conversation,
                       "author": agent, "auto": False, "body": "Thanks, looking into it."})
        if rng.random() < 0.15:
            continue  # left open
        done = start + wait + timedelta(minutes=10 + rng.random() * 900 * slow)
        events.append({"type": "status_changed", "at": at(done), "conversation": conversation, "status": "resolved"})

events.sort(key=lambda event: event["at"])
out = open(sys.argv[1], "w") if len(sys.argv) > 1 else sys.stdout
for event in events:
    out.write(json.dumps(event, separators=(",", ":")) + "\n")
