#!/usr/bin/env python3
"""Builds Fixtures/questions/events.jsonl from Bitext's customer-support dataset (CDLA-Sharing-1.0).

Usage:
    python3 tools/questions_fixture.py BITEXT_CSV [--count 2000] [--seed 13] [--out Fixtures/questions]

BITEXT_CSV is data/train/Bitext_Sample_Customer_Support_Training_Dataset.csv of
https://github.com/bitext/customer-support-llm-chatbot-training-dataset (commit a6d3265, 6,480 rows:
instruction, intent, category, response). The script draws --count rows at random (seeded), and makes
of each one conversation over 56 days from 2026-01-05: the customer's message (the `instruction`, as
written), the category (Bitext's category, lower case) and the agent's reply (the `response`). Channel,
customer and times are drawn from the seed. It also writes intents.tsv: conversation id -> Bitext
intent, the reference used to judge the clusters (JUDGED.md). Same input and seed, same bytes.
"""

import argparse
import csv
import json
import os
import random

CHANNELS = ["email", "chat", "form", "whatsapp", "social"]
AGENTS = ["agent:ana", "agent:bo", "agent:chen", "agent:dee"]
START = 1_767_571_200  # 2026-01-05T00:00:00Z
SPAN = 56 * 86_400


def stamp(seconds: int) -> str:
    import datetime
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", default="Fixtures/questions")
    args = parser.parse_args()
    with open(args.csv, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rng = random.Random(args.seed)
    chosen = rng.sample(rows, args.count)
    starts = sorted(rng.randrange(SPAN) for _ in chosen)
    events = []
    intents = []
    for number, (row, offset) in enumerate(zip(chosen, starts), start=1):
        conversation = f"b{number:05d}"
        at = START + offset
        intents.append((conversation, row["intent"]))
        events.append((at, 0, {"type": "message_received", "at": stamp(at), "conversation": conversation,
                               "customer": f"cust{rng.randrange(1500):04d}", "channel": rng.choice(CHANNELS),
                               "body": row["instruction"]}))
        categorized = at + 60 + rng.randrange(600)
        events.append((categorized, 1, {"type": "categorized", "at": stamp(categorized),
                                        "conversation": conversation, "category": row["category"].lower()}))
        replied = categorized + 60 + rng.randrange(7200)
        events.append((replied, 2, {"type": "reply_sent", "at": stamp(replied), "conversation": conversation,
                                    "author": rng.choice(AGENTS), "body": row["response"]}))
    events.sort(key=lambda e: (e[0], e[1], e[2]["conversation"]))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "events.jsonl"), "w", encoding="utf-8", newline="\n") as out:
        for _, _, event in events:
            out.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(os.path.join(args.out, "intents.tsv"), "w", encoding="utf-8", newline="\n") as out:
        out.write("conversation\tintent\n")
        for conversation, intent in intents:
            out.write(f"{conversation}\t{intent}\n")


if __name__ == "__main__":
    main()
