#!/usr/bin/env python3
"""Scores `parley questions --format json --members` against a reference of conversation -> label.

Usage:
    parley questions --format json --members [...] | python3 tools/questions_purity.py REFERENCE.tsv

REFERENCE.tsv: a header line, then `conversation<TAB>label` (Fixtures/questions/intents.tsv). For each
cluster: its size and the members that carry the cluster's most common label ("agree"). Prints one line
per cluster, then the micro precision (agreeing members / members) and how many episodes are clustered.
This is the automatic check beside the judgement by hand (Fixtures/questions/JUDGED.md).
"""

import collections
import json
import sys


def main() -> None:
    reference = {}
    with open(sys.argv[1], encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            conversation, label = line.rstrip("\n").split("\t")
            reference[conversation] = label
    answer = json.load(sys.stdin)
    total = agree = 0
    for rank, cluster in enumerate(answer["clusters"], start=1):
        labels = collections.Counter(reference.get(member, "?") for member in cluster["members"])
        top, count = labels.most_common(1)[0]
        total += len(cluster["members"])
        agree += count
        print(f"{rank:3d} {len(cluster['members']):4d} {count:4d} {top:28s} {cluster['label']}")
    precision = agree / total if total else 0
    print(f"precision {agree}/{total} = {precision:.3f}; clustered {total} of {answer['episodes']} episodes;"
          f" {len(answer['clusters'])} clusters")


if __name__ == "__main__":
    main()
