#!/usr/bin/env python3
"""Parley against SQLite and DuckDB on the same events, in one run (issue #6).

    tools/bench-compare.py [--events N | --quick] [--runs R] [--batch-size B] [--seed S] [--input FILE]
                           [--markdown FILE] [--json FILE] [--workdir DIR] [--keep] [--parley BIN]
                           [--no-latency] [--duckdb-memory SIZE]
    tools/bench-compare.py --self-test [--parley BIN]

On a release build (`swift build -c release`, built here unless --parley names a binary), with the
input from tools/generate_workload.py --events N --seed S (default 1,000,000, seed 42), measures:

a. ingest: `parley init` + `parley append --batch-size B` (fdatasync per batch) against SQLite (Python's
   sqlite3 module: WAL, synchronous=FULL, so each committed transaction is fsynced; one transaction of B
   rows at a time; every field stored, bodies included; the JSON is taken apart by SQLite's own JSON
   functions, so Python only splits lines). DuckDB's bulk load (read_json, no batches) is shown apart.
b. KPI report: `parley kpi --by week --format json` from the log with no checkpoint (full replay)
   against the same weekly figures computed in SQL (tools/bench-compare-sqlite.sql by the sqlite3 CLI
   with temp_store = MEMORY, its faster setting here; tools/bench-compare-duckdb.sql by DuckDB, which
   uses both cores), query time apart from load time. The figures are compared: counts exactly, means
   and percentiles within 1e-6 relative (or within Parley's printed resolution, half a millisecond).
c. the same report with an up-to-date checkpoint (`parley rebuild`), when this build has that command.
d. `parley verify` and the KPI replay in MB/s of log, against `cat` of the same file.
e. follower latency p50/p99 (tools/bench-tail.py's latency run, its --quick settings).
f. peak memory (GNU time's maximum resident set size) and bytes on disk of each system.

Timings are the best of R runs (default 3; runs of different systems alternate). The table gives
Parley ÷ peer for speeds (above 1: Parley is faster) and for sizes (below 1: Parley is smaller).
--quick: 100,000 events. Installs what it needs when missing: sqlite3 and GNU time with apt-get,
duckdb with pip (without it, DuckDB is skipped with a message). Exit codes: 0 whether or not targets
are met or figures agree (both are printed); 1 something failed; 64 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(REPO, "tools")
SQLITE_SQL = os.path.join(TOOLS, "bench-compare-sqlite.sql")
DUCKDB_SQL = os.path.join(TOOLS, "bench-compare-duckdb.sql")

# Targets of issue #6.
TARGET_INGEST = 5.0  # Parley's events/s >= 5x SQLite's
TARGET_KPI_VS_SQLITE = 1.0  # cold replay faster than SQLite's SQL
TARGET_KPI_VS_DUCKDB = 0.5  # within 2x of DuckDB: speed ratio >= 0.5
TARGET_CHECKPOINT = 100.0  # with a checkpoint, 100x faster than either

WEEK_FIELDS = ["messages", "new_episodes", "reopens", "frt_count", "frt_mean", "frt_p50", "frt_p90",
               "res_count", "res_mean", "res_p50", "res_p90", "backlog_end"]
COUNT_FIELDS = {"messages", "new_episodes", "reopens", "frt_count", "res_count", "backlog_end"}


class Failure(Exception):
    """Something went wrong (not a missed target or a disagreement): exit 1."""


# ---------------------------------------------------------------------------------------------------
# Workers: run as child processes of this script (`--worker NAME ...`) so that GNU time measures each
# system's own peak memory. Each prints one JSON object with its own timing on stdout.

# Every field of every event type (docs/EVENTS.md), small columns first so that a scan that needs
# them does not read bodies. seq is the rowid: 1, 2, ... in insertion (log) order.
SQLITE_SCHEMA = """
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    at_ns INTEGER NOT NULL,
    conversation TEXT,
    status TEXT,
    is_auto INTEGER,
    channel TEXT,
    at TEXT NOT NULL,
    customer TEXT,
    message_id TEXT,
    author TEXT,
    assignee TEXT,
    team TEXT,
    category TEXT,
    priority TEXT,
    same_as TEXT,
    subject TEXT,
    body TEXT,
    policy TEXT
);
"""

TEXT_FIELDS = ["conversation", "status", "channel", "at", "customer", "message_id", "author", "assignee",
               "team", "category", "priority", "same_as", "subject", "body"]


def at_ns_sql(a: str) -> str:
    """SQL (SQLite and DuckDB alike) for the nanoseconds since the epoch of RFC 3339 text `a`
    (YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM), as generate_workload.py writes it)."""
    zone_len = f"(CASE WHEN substr({a}, -1) = 'Z' THEN 1 ELSE 6 END)"
    offset = (f"(CASE WHEN substr({a}, -1) = 'Z' THEN 0 ELSE "
              f"(CASE substr({a}, -6, 1) WHEN '-' THEN -1 ELSE 1 END) * "
              f"(CAST(substr({a}, -5, 2) AS INTEGER) * 3600 + CAST(substr({a}, -2, 2) AS INTEGER) * 60) END)")
    fraction = (f"(CASE WHEN substr({a}, 20, 1) = '.' THEN CAST(substr(substr({a}, 21, length({a}) - 20 - "
                f"{zone_len}) || '000000000', 1, 9) AS BIGINT) ELSE 0 END)")
    return f"(({{seconds}} - {offset}) * 1000000000 + {fraction})"


def sqlite_insert_sql() -> str:
    # One parameter: the JSON line. SQLite parses it once per row (its JSON parse cache) for all fields.
    fields = ", ".join(f"j ->> '$.{f}'" for f in TEXT_FIELDS)
    at_ns = at_ns_sql("a").format(seconds="unixepoch(substr(a, 1, 19))")
    return (f"INSERT INTO events (type, at_ns, is_auto, policy, {', '.join(TEXT_FIELDS)}) "
            f"SELECT j ->> '$.type', {at_ns}, j ->> '$.auto', j -> '$.policy', {fields} "
            f"FROM (SELECT ?1 AS j, ?1 ->> '$.at' AS a)")


def worker_sqlite_ingest(db: str, jsonl: str, batch: int) -> dict:
    import itertools
    import sqlite3
    t0 = time.perf_counter()
    con = sqlite3.connect(db, isolation_level=None)
    mode = con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise Failure(f"SQLite refused WAL mode ({mode})")
    con.execute("PRAGMA synchronous=FULL")
    con.executescript(SQLITE_SCHEMA)
    insert = sqlite_insert_sql()
    rows = transactions = 0
    max_wal = 0
    with open(jsonl, encoding="utf-8", newline="\n") as f:
        while True:
            lines = list(itertools.islice(f, batch))
            if not lines:
                break
            con.execute("BEGIN")
            con.executemany(insert, ((line,) for line in lines))
            con.execute("COMMIT")  # synchronous=FULL in WAL mode: the WAL is fsynced at each commit
            rows += len(lines)
            transactions += 1
            if transactions % 16 == 0:
                max_wal = max(max_wal, file_size(db + "-wal"))
    t1 = time.perf_counter()
    wal = file_size(db + "-wal")
    con.close()  # the last connection checkpoints the WAL into the database and removes it
    t2 = time.perf_counter()
    return {"seconds": t1 - t0, "close_seconds": t2 - t1, "rows": rows, "transactions": transactions,
            "wal_bytes_before_close": wal, "max_wal_bytes": max(max_wal, wal), "sqlite_version": sqlite3.sqlite_version}


def duckdb_columns() -> str:
    cols = {f: "VARCHAR" for f in ["type"] + TEXT_FIELDS}
    cols["auto"] = "BOOLEAN"
    cols["policy"] = "JSON"
    return "{" + ", ".join(f"'{k}': '{v}'" for k, v in cols.items()) + "}"


def worker_duckdb_load(db: str, jsonl: str, memory_limit: str) -> dict:
    import duckdb
    t0 = time.perf_counter()
    con = duckdb.connect(db)
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = true")  # rowid follows the file's (the log's) order
    at_ns = at_ns_sql('"at"').format(seconds='CAST(epoch(CAST(substr("at", 1, 19) AS TIMESTAMP)) AS BIGINT)')
    other = ", ".join(f for f in TEXT_FIELDS if f not in ("conversation", "status", "channel", "at"))
    con.execute(
        "CREATE TABLE events AS SELECT type, "
        f"{at_ns} AS at_ns, conversation, status, \"auto\" AS is_auto, channel, \"at\", {other}, policy "
        f"FROM read_json('{jsonl}', format = 'newline_delimited', columns = {duckdb_columns()}, "
        "maximum_object_size = 16777216)")
    con.execute("CHECKPOINT")
    rows = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "rows": rows, "duckdb_version": duckdb.__version__,
            "threads": os.cpu_count()}


def worker_duckdb_query(db: str, sql_path: str, memory_limit: str) -> dict:
    import duckdb
    with open(sql_path) as f:
        sql = f.read()
    t0 = time.perf_counter()
    con = duckdb.connect(db, read_only=True)
    con.execute(f"SET memory_limit = '{memory_limit}'")
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    con.close()
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "rows": rows}


def worker_main(argv) -> int:
    name = argv[0]
    if name == "sqlite-ingest":
        out = worker_sqlite_ingest(argv[1], argv[2], int(argv[3]))
    elif name == "duckdb-load":
        out = worker_duckdb_load(argv[1], argv[2], argv[3])
    elif name == "duckdb-query":
        out = worker_duckdb_query(argv[1], argv[2], argv[3])
    else:
        raise Failure(f"unknown worker {name}")
    json.dump(out, sys.stdout)
    return 0


# ---------------------------------------------------------------------------------------------------
# Helpers


def file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except FileNotFoundError:
        return 0


def say(text: str = "") -> None:
    print(text, flush=True)


def have_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def apt_install(package: str) -> None:
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    say(f"installing {package} (apt-get)...")
    if subprocess.run(sudo + ["apt-get", "install", "-y", package], stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode != 0:
        subprocess.run(sudo + ["apt-get", "update"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if subprocess.run(sudo + ["apt-get", "install", "-y", package], stdout=subprocess.DEVNULL).returncode != 0:
            raise Failure(f"apt-get install {package} failed")


def install_tools() -> dict:
    notes = {}
    if shutil.which("sqlite3") is None:
        apt_install("sqlite3")
    if not os.access("/usr/bin/time", os.X_OK):
        apt_install("time")
    if not have_module("duckdb"):
        say("installing duckdb (pip)...")
        r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "duckdb"],
                           capture_output=True, text=True)
        importlib.invalidate_caches()
        if r.returncode != 0 or not have_module("duckdb"):
            notes["duckdb"] = ("DuckDB skipped: `pip install duckdb` failed: "
                               + (r.stderr.strip().splitlines() or ["?"])[-1])
            say(notes["duckdb"])
    return notes


class Timed:
    """A command run under GNU time: wall seconds (perf_counter around it), peak RSS, output."""

    def __init__(self, cmd, stdin=None, stdout=subprocess.PIPE, cwd=None, env=None):
        fd, mem = tempfile.mkstemp(prefix="bench-compare-time-")
        os.close(fd)
        try:
            stdin_f = open(stdin, "rb") if stdin else subprocess.DEVNULL
            try:
                t0 = time.perf_counter()
                r = subprocess.run(["/usr/bin/time", "-v", "-o", mem] + cmd, stdin=stdin_f, stdout=stdout,
                                   stderr=subprocess.PIPE, cwd=cwd, env=env)
                t1 = time.perf_counter()
            finally:
                if stdin:
                    stdin_f.close()
            with open(mem) as f:
                text = f.read()
        finally:
            os.remove(mem)
        self.seconds = t1 - t0
        self.returncode = r.returncode
        self.stdout = r.stdout if stdout == subprocess.PIPE else b""
        self.stderr = r.stderr.decode(errors="replace")
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        self.rss_kb = int(m.group(1)) if m else 0
        if r.returncode != 0:
            raise Failure(f"{' '.join(cmd)} exited {r.returncode}: {self.stderr.strip()[-2000:]}")


def best(values):
    return min(values) if values else float("nan")


def cat_seconds(path: str) -> float:
    t0 = time.perf_counter()
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def week_label(index: int) -> str:
    monday = dt.date(1970, 1, 5) + dt.timedelta(days=7 * index)
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parley_weeks(report: dict) -> dict:
    out = {}
    for b in report["buckets"]:
        out[b["bucket"]] = {
            "messages": b["messages"]["total"], "new_episodes": b["new_episodes"], "reopens": b["reopens"],
            "frt_count": b["frt"]["count"], "frt_mean": b["frt"]["mean"], "frt_p50": b["frt"]["p50"],
            "frt_p90": b["frt"]["p90"], "res_count": b["resolution"]["count"],
            "res_mean": b["resolution"]["mean"], "res_p50": b["resolution"]["p50"],
            "res_p90": b["resolution"]["p90"], "backlog_end": b["backlog_end"],
        }
    return out


def sql_weeks(rows) -> dict:
    out = {}
    for r in rows:
        out[week_label(int(r["week"]))] = {k: (None if r[k] is None else (int(r[k]) if k in COUNT_FIELDS
                                                                           else float(r[k])))
                                             for k in WEEK_FIELDS}
    return out


def agree(parley: dict, peer: dict, name: str) -> dict:
    """Compares the weekly figures. Counts exactly; seconds within 1e-6 relative, or within Parley's
    printed resolution (its JSON has up to 3 decimals: half a millisecond)."""
    diffs = []
    compared = 0
    weeks = sorted(set(parley) | set(peer))
    for w in weeks:
        if w not in parley or w not in peer:
            diffs.append(f"{w}: only in {'Parley' if w in parley else name}")
            continue
        for k in WEEK_FIELDS:
            a, b = parley[w][k], peer[w][k]
            compared += 1
            if a is None or b is None:
                ok = a is None and b is None
            elif k in COUNT_FIELDS:
                ok = a == b
            else:
                ok = abs(a - b) <= max(1e-6 * abs(b), 0.0005 + 1e-9)
            if not ok:
                diffs.append(f"{w} {k}: Parley {a}, {name} {b}")
    return {"weeks": len(weeks), "values": compared, "differences": diffs, "agree": not diffs}


def fmt_rate(x, unit=""):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.0f}{unit}"


def mb(n):
    return n / 1e6


def ratio_text(x, digits=2):
    if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))):
        return "n/a"
    return f"{x:.{digits}f}×"


# ---------------------------------------------------------------------------------------------------
# The benchmark


class UsageParser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(64)


def parse_args(argv):
    ap = UsageParser(prog="tools/bench-compare.py", description=__doc__.split("\n\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, metavar="N", help="events to generate (default 1,000,000)")
    ap.add_argument("--quick", action="store_true", help="100,000 events")
    ap.add_argument("--runs", type=int, default=3, metavar="R", help="runs of each timing, best kept (default 3)")
    ap.add_argument("--batch-size", type=int, default=10_000, metavar="B",
                    help="events per fsynced batch, Parley and SQLite alike (default 10,000)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--input", metavar="FILE", help="use this JSONL (generate_workload.py's output for the "
                    "same --events and --seed, made earlier) instead of generating it; it is not deleted")
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as markdown")
    ap.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    ap.add_argument("--workdir", metavar="DIR", help="where inputs, logs and databases go (default: a new "
                    "directory under $TMPDIR or /tmp; removed at the end unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--parley", metavar="BIN", help="use this parley binary instead of building")
    ap.add_argument("--no-latency", action="store_true", help="skip the follower latency run")
    ap.add_argument("--duckdb-memory", default="8GB", metavar="SIZE", help="DuckDB memory_limit (default 8GB)")
    ap.add_argument("--self-test", action="store_true", help="only run the hand-made corner cases through "
                    "Parley, SQLite and DuckDB and compare their weekly figures (exit 1 if they differ)")
    ap.add_argument("--worker", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return args
    if args.events is None:
        args.events = 100_000 if args.quick else 1_000_000
    if args.events < 1 or args.runs < 1 or args.batch_size < 1:
        ap.error("--events, --runs and --batch-size must be at least 1")
    return args


def check_disk(work: str, events: int, have_input: bool) -> None:
    # Per event: ~410 B of JSONL, ~310 B of log, ~450 B of SQLite, ~150 B of DuckDB; keep 25% spare.
    need = int(events * (1400 - (410 if have_input else 0)) * 1.25)
    free = shutil.disk_usage(work).free
    say(f"disk: {free / 1e9:.1f} GB free at {work}; this run needs about {need / 1e9:.1f} GB")
    if free < need:
        raise Failure(f"not enough disk space at {work}: {free / 1e9:.1f} GB free, about {need / 1e9:.1f} GB needed")


def build_parley(args) -> str:
    if args.parley:
        return os.path.abspath(args.parley)
    say("building parley (release)...")
    r = subprocess.run(["swift", "build", "-c", "release", "--product", "parley"], cwd=REPO,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise Failure(f"swift build failed: {r.stderr[-2000:]}")
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(bin_path, "parley")


def has_rebuild(parley: str) -> bool:
    r = subprocess.run([parley, "rebuild", "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def remove(*paths):
    for p in paths:
        if os.path.isdir(p):
            shutil.rmtree(p, ignore_errors=True)
        elif os.path.exists(p):
            os.remove(p)


def run(args) -> dict:
    notes = install_tools()
    duckdb_ok = "duckdb" not in notes
    parley = build_parley(args)
    work = args.workdir or tempfile.mkdtemp(prefix="parley-bench-compare-", dir=os.environ.get("TMPDIR"))
    os.makedirs(work, exist_ok=True)
    res = {"events": args.events, "seed": args.seed, "runs": args.runs, "batch_size": args.batch_size,
           "parley": parley}
    try:
        check_disk(work, args.events, bool(args.input))
        res.update(measure(args, parley, work, duckdb_ok))
        notes.update(res.pop("notes", {}))
        res["notes"] = notes
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return res


def measure(args, parley: str, work: str, duckdb_ok: bool) -> dict:
    r: dict = {}
    me = [sys.executable, os.path.abspath(__file__), "--worker"]
    if args.input:
        jsonl = os.path.abspath(args.input)
        with open(jsonl, "rb") as f:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b""))
        if lines != args.events:
            raise Failure(f"{jsonl} has {lines} lines, not --events {args.events}")
    else:
        jsonl = os.path.join(work, "events.jsonl")
        say(f"generating {args.events:,} events (seed {args.seed})...")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, os.path.join(TOOLS, "generate_workload.py"), "--events",
                        str(args.events), "--seed", str(args.seed), "--out", jsonl], check=True)
        r["generate_seconds"] = time.perf_counter() - t0
    r["jsonl_bytes"] = file_size(jsonl)
    cat_seconds(jsonl)  # into the page cache before any timed run

    log = os.path.join(work, "parley.log")
    db = os.path.join(work, "sqlite.db")
    duck = os.path.join(work, "duck.db")

    # a. Ingest, runs alternated; the last run's log and databases are kept for what follows.
    t = {"parley": [], "sqlite": [], "duckdb": [], "cat": []}
    mem = {}
    for i in range(args.runs):
        say(f"ingest run {i + 1}/{args.runs}: parley append...")
        remove(log, log + ".commit")
        for p in os.listdir(work):
            if p.startswith("parley.log."):
                remove(os.path.join(work, p))
        ti = Timed([parley, "init", "--log", log])
        ta = Timed([parley, "append", "--log", log, "--batch-size", str(args.batch_size)], stdin=jsonl)
        t["parley"].append(ti.seconds + ta.seconds)
        mem["parley_append"] = ta.rss_kb
        say(f"  {ti.seconds + ta.seconds:.3f} s; sqlite...")
        remove(db, db + "-wal", db + "-shm")
        ts = Timed(me + ["sqlite-ingest", db, jsonl, str(args.batch_size)])
        out = json.loads(ts.stdout)
        if out["rows"] != args.events:
            raise Failure(f"SQLite ingested {out['rows']} rows, not {args.events}")
        t["sqlite"].append(out["seconds"])
        mem["sqlite_ingest"] = ts.rss_kb
        r["sqlite_ingest"] = out
        say(f"  {out['seconds']:.3f} s (+ {out['close_seconds']:.3f} s closing: WAL checkpoint)")
        if duckdb_ok:
            remove(duck, duck + ".wal")
            td = Timed(me + ["duckdb-load", duck, jsonl, args.duckdb_memory])
            out = json.loads(td.stdout)
            if out["rows"] != args.events:
                raise Failure(f"DuckDB loaded {out['rows']} rows, not {args.events}")
            t["duckdb"].append(out["seconds"])
            mem["duckdb_load"] = td.rss_kb
            r["duckdb_version"] = out["duckdb_version"]
            say(f"  duckdb load {out['seconds']:.3f} s")
        t["cat"].append(cat_seconds(jsonl))
    r["ingest_seconds"] = {k: best(v) for k, v in t.items()}
    r["ingest_all"] = t

    # b. KPI report, cold (no checkpoint).
    kpi_cmd = [parley, "kpi", "--by", "week", "--format", "json", "--log", log]
    k = {"parley": [], "sqlite": [], "duckdb": []}
    reports = {}
    for i in range(args.runs):
        say(f"KPI run {i + 1}/{args.runs}...")
        for p in os.listdir(work):  # never a checkpoint for the cold runs
            if p.startswith("parley.log.") and p != "parley.log.commit":
                remove(os.path.join(work, p))
        tk = Timed(kpi_cmd)
        k["parley"].append(tk.seconds)
        mem["parley_kpi"] = tk.rss_kb
        reports["parley"] = json.loads(tk.stdout)
        tq = Timed(["sqlite3", "-bail", "-json", "-cmd", "PRAGMA temp_store = MEMORY", db], stdin=SQLITE_SQL)
        k["sqlite"].append(tq.seconds)
        mem["sqlite_query"] = tq.rss_kb
        reports["sqlite"] = json.loads(tq.stdout or b"[]")
        if duckdb_ok:
            td = Timed(me + ["duckdb-query", duck, DUCKDB_SQL, args.duckdb_memory])
            out = json.loads(td.stdout)
            k["duckdb"].append(out["seconds"])
            mem["duckdb_query"] = td.rss_kb
            reports["duckdb"] = out["rows"]
        say(f"  parley {k['parley'][-1]:.3f} s, sqlite {k['sqlite'][-1]:.3f} s"
            + (f", duckdb {k['duckdb'][-1]:.3f} s" if duckdb_ok else ""))
    r["kpi_seconds"] = {name: best(v) for name, v in k.items()}
    r["kpi_all"] = k
    if reports["parley"]["events"] != args.events:
        raise Failure(f"parley kpi replayed {reports['parley']['events']} events, not {args.events}")
    pw = parley_weeks(reports["parley"])
    r["agreement"] = {"sqlite": agree(pw, sql_weeks(reports["sqlite"]), "SQLite")}
    if duckdb_ok:
        r["agreement"]["duckdb"] = agree(pw, sql_weeks(reports["duckdb"]), "DuckDB")
    r["parley_anomalies"] = reports["parley"]["anomalies"]

    # c. With a checkpoint.
    r["rebuild"] = has_rebuild(parley)
    if r["rebuild"]:
        say("checkpoint: parley rebuild, then kpi...")
        before = set(os.listdir(work))
        try:
            tr = Timed([parley, "rebuild", "--log", log])
        except Failure as first:  # perhaps it takes the log as an argument instead
            try:
                tr = Timed([parley, "rebuild", log])
            except Failure:
                raise Failure(f"parley rebuild exists but failed: {first}") from None
        r["rebuild_seconds"] = tr.seconds
        mem["parley_rebuild"] = tr.rss_kb
        r["checkpoint_files"] = sorted(set(os.listdir(work)) - before)
        r["checkpoint_bytes"] = sum(file_size(os.path.join(work, p)) for p in r["checkpoint_files"])
        kc = []
        for _ in range(args.runs):
            tk = Timed(kpi_cmd)
            kc.append(tk.seconds)
            mem["parley_kpi_checkpoint"] = tk.rss_kb
            if json.loads(tk.stdout) != reports["parley"]:
                r["checkpoint_report_differs"] = True
        r["kpi_checkpoint_seconds"] = best(kc)
        r["kpi_checkpoint_all"] = kc
        for p in r["checkpoint_files"]:
            remove(os.path.join(work, p))

    # d. verify and replay against cat of the log.
    v, c = [], []
    for _ in range(args.runs):
        tv = Timed([parley, "verify", "--log", log])
        v.append(tv.seconds)
        mem["parley_verify"] = tv.rss_kb
        c.append(cat_seconds(log))
    r["verify_seconds"] = best(v)
    r["cat_log_seconds"] = best(c)
    r["log_bytes"] = file_size(log)

    # f. bytes on disk.
    r["bytes"] = {"jsonl": r["jsonl_bytes"], "parley": file_size(log) + file_size(log + ".commit"),
                  "sqlite": file_size(db) + file_size(db + "-wal") + file_size(db + "-shm"),
                  "duckdb": (file_size(duck) + file_size(duck + ".wal")) if duckdb_ok else None}
    r["memory_kb"] = mem

    # e. follower latency.
    if not args.no_latency:
        say("follower latency (tools/bench-tail.py, quick settings)...")
        try:
            r["latency"] = follower_latency(parley, work)
        except Exception as error:  # its own Failure: reported, the other figures still printed
            r["notes"] = {"latency": f"follower latency run failed: {error}"}
            say(r["notes"]["latency"])
    return r


def follower_latency(parley: str, work: str) -> dict:
    spec = importlib.util.spec_from_file_location("bench_tail", os.path.join(TOOLS, "bench-tail.py"))
    bench_tail = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_tail)
    targs = bench_tail.parse_args(["--quick"])
    lat_dir = os.path.join(work, "latency")
    os.makedirs(lat_dir, exist_ok=True)
    try:
        lat = bench_tail.LatencyRun(parley, lat_dir, targs).run()
    finally:
        shutil.rmtree(lat_dir, ignore_errors=True)
    p = bench_tail.percentile
    return {"n": lat["n"], "p50_ms": p(lat["latency"], 50), "p99_ms": p(lat["latency"], 99),
            "ack_p50_ms": p(lat["ack"], 50), "ack_p99_ms": p(lat["ack"], 99)}


# ---------------------------------------------------------------------------------------------------
# Self-test: the rules' corner cases, which the generated workload may not reach, through all three.


def edge_case_events() -> list[dict]:
    """Hand-made events: ISO week-year boundaries (2020-W53), the last nanosecond of a week, UTC
    offsets (+05:30, -00:00), an episode started by a status change, a message joining an open
    episode, open while open, a reopen, late events (negative FRT and resolution, clamped; a resolve
    before its start, in no backlog; two episodes of one conversation open at once, counted once in the
    backlog), a reply and a resolve outside episodes, a later-in-log reply
    with an earlier time (not the first response), "auto": null, events without a conversation that
    widen the range of weeks, and ten episodes in one week for the nearest-rank percentiles."""
    def msg(c, at):
        return {"type": "message_received", "at": at, "conversation": c, "customer": "cust-" + c,
                "channel": "email", "body": "hello \"there\"\n"}

    def reply(c, at, auto=False):
        return {"type": "reply_sent", "at": at, "conversation": c, "author": "agent:a", "auto": auto,
                "body": "ok"}

    def status(c, at, value):
        return {"type": "status_changed", "at": at, "conversation": c, "status": value}

    ev = [
        {"type": "policy_set", "at": "2020-12-01T00:00:00Z", "policy": {"name": "edge"}},
        msg("A", "2020-12-27T23:59:59.999999999Z"),
        reply("A", "2020-12-28T00:00:00Z", auto=True),
        reply("A", "2020-12-28T00:00:00+00:00"),
        status("A", "2020-12-28T01:00:00-00:00", "resolved"),
        status("B", "2020-12-31T10:00:00+05:30", "pending"),
        msg("B", "2020-12-31T05:00:00Z"),
        reply("B", "2020-12-31T06:00:00Z"),
        status("B", "2020-12-31T06:30:00Z", "open"),
        status("B", "2021-01-04T00:00:00Z", "resolved"),
        msg("B", "2021-01-05T10:00:00Z"),
        status("B", "2021-01-05T09:00:00Z", "resolved"),
        reply("C", "2021-01-05T00:00:00Z"),
        status("C", "2021-01-05T00:00:01Z", "resolved"),
        msg("C", "2021-01-06T12:00:00.5Z"),
        reply("C", "2021-01-06T14:00:00Z"),
        reply("C", "2021-01-06T13:00:00Z"),
        status("C", "2021-01-06T12:00:00.25Z", "resolved"),
        msg("D", "2021-01-07T00:00:00Z"),
        reply("D", "2021-01-06T23:00:00Z", auto=None),
        status("E", "2021-01-08T00:00:00Z", "open"),
        # Two episodes of one conversation open at once by event time: a late email dated 2021-01-12 opens
        # the second after the first (from 2021-01-05) was resolved on 2021-01-27. The backlog at the end of
        # 2021-W02 and W03 counts L once.
        msg("L", "2021-01-05T08:00:00Z"),
        status("L", "2021-01-27T08:00:00Z", "resolved"),
        msg("L", "2021-01-12T08:00:00Z"),
        status("L", "2021-02-03T08:00:00Z", "resolved"),
    ]
    for k, minutes in enumerate([7, 3, 9, 1, 5, 10, 2, 8, 4, 6]):
        c = f"P{k}"
        ev.append(msg(c, f"2021-01-11T0{k}:00:00Z"))
        ev.append(reply(c, f"2021-01-11T0{k}:{minutes:02d}:00.123456Z"))
        ev.append(status(c, f"2021-01-1{2 + k % 3}T0{k}:{minutes:02d}:00Z", "resolved"))
    ev.append({"type": "customer_linked", "at": "2021-01-20T00:00:00Z", "customer": "cust-A", "same_as": "cust-B"})
    return ev


def self_test(parley: str) -> int:
    """Runs the corner cases through Parley, SQLite and DuckDB and compares the weekly figures."""
    work = tempfile.mkdtemp(prefix="parley-bench-compare-selftest-")
    me = [sys.executable, os.path.abspath(__file__), "--worker"]
    try:
        jsonl = os.path.join(work, "edge.jsonl")
        with open(jsonl, "w", encoding="utf-8") as f:
            for e in edge_case_events():
                f.write(json.dumps({k: v for k, v in e.items() if not (k == "auto" and v is False)},
                                   ensure_ascii=False, separators=(",", ":")) + "\n")
        log = os.path.join(work, "edge.log")
        Timed([parley, "init", "--log", log])
        Timed([parley, "append", "--log", log], stdin=jsonl)
        report = json.loads(Timed([parley, "kpi", "--by", "week", "--format", "json", "--log", log]).stdout)
        pw = parley_weeks(report)
        db = os.path.join(work, "edge.db")
        Timed(me + ["sqlite-ingest", db, jsonl, "1000"])
        results = {"SQLite": agree(pw, sql_weeks(json.loads(Timed(["sqlite3", "-bail", "-json", db],
                                                                   stdin=SQLITE_SQL).stdout)), "SQLite")}
        if have_module("duckdb"):
            duck = os.path.join(work, "edge.duckdb")
            Timed(me + ["duckdb-load", duck, jsonl, "1GB"])
            rows = json.loads(Timed(me + ["duckdb-query", duck, DUCKDB_SQL, "1GB"]).stdout)["rows"]
            results["DuckDB"] = agree(pw, sql_weeks(rows), "DuckDB")
        say(f"self-test: {len(edge_case_events())} hand-made events, {len(pw)} weeks; Parley's anomalies: "
            f"{report['anomalies']}")
        ok = True
        for name, a in results.items():
            ok &= a["agree"]
            say(f"  {name}: " + ("AGREE" if a["agree"] else "DISAGREE") + f" ({a['values']} values)")
            for d in a["differences"][:20]:
                say("    " + d)
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------
# Report


def table(res: dict) -> tuple[list[list[str]], list[str]]:
    n = res["events"]
    ing = res["ingest_seconds"]
    kpi = res["kpi_seconds"]
    duck = not res["notes"].get("duckdb")
    rows = []
    eps = lambda s: n / s

    def row(what, parley, sqlite, duckdb, ratio_sqlite, ratio_duckdb, baseline=""):
        rows.append([what, parley, sqlite, duckdb, ratio_sqlite, ratio_duckdb, baseline])

    row("ingest, events/s (fsync per batch)", fmt_rate(eps(ing["parley"])), fmt_rate(eps(ing["sqlite"])),
        (fmt_rate(eps(ing["duckdb"])) + " (bulk load)") if duck else "n/a",
        ratio_text(ing["sqlite"] / ing["parley"]), ratio_text(ing["duckdb"] / ing["parley"]) if duck else "n/a",
        f"cat JSONL {mb(res['jsonl_bytes']) / ing['cat']:,.0f} MB/s; Parley {ing['parley'] / ing['cat']:.1f}× cat's time")
    row("KPI report, cold (full replay), s", f"{kpi['parley']:.3f}", f"{kpi['sqlite']:.3f}",
        f"{kpi['duckdb']:.3f}" if duck else "n/a", ratio_text(kpi["sqlite"] / kpi["parley"]),
        ratio_text(kpi["duckdb"] / kpi["parley"]) if duck else "n/a",
        f"replay {mb(res['log_bytes']) / kpi['parley']:,.0f} MB/s of log; {kpi['parley'] / res['cat_log_seconds']:.1f}× cat's time")
    if res.get("rebuild"):
        kc = res["kpi_checkpoint_seconds"]
        row("KPI report with a checkpoint, s", f"{kc:.4f}", f"{kpi['sqlite']:.3f}",
            f"{kpi['duckdb']:.3f}" if duck else "n/a", ratio_text(kpi["sqlite"] / kc, 1),
            ratio_text(kpi["duckdb"] / kc, 1) if duck else "n/a",
            f"rebuild {res['rebuild_seconds']:.3f} s, checkpoint {mb(res['checkpoint_bytes']):,.1f} MB "
            f"({', '.join(res['checkpoint_files']) or 'no new file'}); {kpi['parley'] / kc:.1f}× faster than cold")
    else:
        row("KPI report with a checkpoint", "n/a (no rebuild command in this build)", "", "", "", "", "")
    row("load before the query, s", "0 (the log is the store)", f"{ing['sqlite']:.3f} (= ingest)",
        f"{ing['duckdb']:.3f}" if duck else "n/a", "", "", "")
    row("verify, MB/s of log", f"{mb(res['log_bytes']) / res['verify_seconds']:,.0f}", "", "", "", "",
        f"cat log {mb(res['log_bytes']) / res['cat_log_seconds']:,.0f} MB/s; verify {res['verify_seconds'] / res['cat_log_seconds']:.1f}× cat's time")
    lat = res.get("latency")
    if lat:
        row("follower latency p50 / p99, ms", f"{lat['p50_ms']:.3f} / {lat['p99_ms']:.3f}", "n/a (no change feed)",
            "n/a (no change feed)", "", "",
            f"ack round trip p50 {lat['ack_p50_ms']:.3f} ms: follower p50 = {lat['p50_ms'] / lat['ack_p50_ms']:.2f}× it")
    b = res["bytes"]
    row("bytes on disk, MB", f"{mb(b['parley']):,.1f}", f"{mb(b['sqlite']):,.1f}",
        f"{mb(b['duckdb']):,.1f}" if duck else "n/a", ratio_text(b["parley"] / b["sqlite"]),
        ratio_text(b["parley"] / b["duckdb"]) if duck else "n/a", f"JSONL input {mb(b['jsonl']):,.1f} MB")
    m = res["memory_kb"]
    row("peak memory, ingest, MB", f"{m['parley_append'] / 1024:,.1f}", f"{m['sqlite_ingest'] / 1024:,.1f}",
        f"{m['duckdb_load'] / 1024:,.1f}" if duck else "n/a", ratio_text(m["parley_append"] / m["sqlite_ingest"]),
        ratio_text(m["parley_append"] / m["duckdb_load"]) if duck else "n/a",
        "SQLite and DuckDB figures include the Python process (~10 MB)")
    row("peak memory, KPI report, MB", f"{m['parley_kpi'] / 1024:,.1f}", f"{m['sqlite_query'] / 1024:,.1f}",
        f"{m['duckdb_query'] / 1024:,.1f}" if duck else "n/a", ratio_text(m["parley_kpi"] / m["sqlite_query"]),
        ratio_text(m["parley_kpi"] / m["duckdb_query"]) if duck else "n/a",
        f"verify {m['parley_verify'] / 1024:,.1f} MB")
    header = ["measurement", "Parley", "SQLite", "DuckDB", "Parley ÷ SQLite", "Parley ÷ DuckDB", "baseline / note"]
    return [header] + rows, targets(res)


def targets(res: dict) -> list[str]:
    ing, kpi = res["ingest_seconds"], res["kpi_seconds"]
    duck = not res["notes"].get("duckdb")
    verdict = lambda ok: "met" if ok else "NOT MET"
    out = []
    x = ing["sqlite"] / ing["parley"]
    out.append(f"ingest ≥ {TARGET_INGEST:g}× SQLite's events/s at equal durability: {verdict(x >= TARGET_INGEST)} ({x:.2f}×)")
    x = kpi["sqlite"] / kpi["parley"]
    out.append(f"cold KPI report faster than SQLite's SQL: {verdict(x > TARGET_KPI_VS_SQLITE)} ({x:.2f}× SQLite's speed)")
    if duck:
        x = kpi["duckdb"] / kpi["parley"]
        out.append(f"cold KPI report within 2× of DuckDB's time: {verdict(x >= TARGET_KPI_VS_DUCKDB)} "
                   f"(Parley takes {1 / x:.2f}× DuckDB's time)")
    else:
        out.append("cold KPI report within 2× of DuckDB's time: n/a (DuckDB skipped)")
    if res.get("rebuild"):
        kc = res["kpi_checkpoint_seconds"]
        peers = [kpi["sqlite"]] + ([kpi["duckdb"]] if duck else [])
        x = min(peers) / kc
        out.append(f"with a checkpoint, {TARGET_CHECKPOINT:g}× faster than either: "
                   f"{verdict(x >= TARGET_CHECKPOINT)} ({x:.1f}× the faster peer)")
    else:
        out.append("with a checkpoint, 100× faster than either: n/a (no rebuild command in this build)")
    return out


def agreement_lines(res: dict) -> list[str]:
    out = []
    for name, a in res["agreement"].items():
        label = {"sqlite": "SQLite", "duckdb": "DuckDB"}[name]
        if a["agree"]:
            out.append(f"agreement with {label}: AGREE ({a['weeks']} weeks, {a['values']} values: counts exact, "
                       f"seconds within 1e-6 relative or Parley's 1 ms print resolution)")
        else:
            out.append(f"agreement with {label}: DISAGREE in {len(a['differences'])} of {a['values']} values; first ones:")
            out += [f"    {d}" for d in a["differences"][:10]]
    if res.get("checkpoint_report_differs"):
        out.append("the KPI report with a checkpoint DIFFERS from the cold replay's")
    return out


def render_text(rows) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for j, r in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[i]) if i in (0, 6) else c.rjust(widths[i]) for i, c in enumerate(r)).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(rows) -> str:
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(["---"] + ["---:"] * 5 + ["---"]) + "|"]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows[1:]]
    return "\n".join(out)


def machine_line() -> str:
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    swift = next((s.strip() for s in swift if "Swift version" in s), "?")
    u = os.uname()
    return f"{os.cpu_count()} cores, {u.sysname} {u.release}, {swift}, load average {os.getloadavg()[0]:.2f}"


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker_main(args.worker)
    os.chdir(REPO)
    if args.self_test:
        install_tools()
        return self_test(build_parley(args))
    started = time.monotonic()
    load0 = os.getloadavg()[0]
    res = run(args)
    res["elapsed_seconds"] = time.monotonic() - started
    res["machine"] = machine_line()
    res["load_average_start"] = load0
    rows, tgt = table(res)
    say()
    say(f"machine: {res['machine']} (at the start: {load0:.2f})")
    si = res.get("sqlite_ingest", {})
    say(f"events: {args.events:,} (seed {args.seed}), batch size {args.batch_size:,}, best of {args.runs} runs; "
        f"SQLite {si.get('sqlite_version', '?')} ({si.get('transactions', '?')} transactions), "
        f"DuckDB {res.get('duckdb_version', 'skipped')}; whole run {res['elapsed_seconds']:.0f} s")
    say()
    say(render_text(rows))
    say()
    for line in agreement_lines(res):
        say(line)
    say("targets:")
    for line in tgt:
        say("   " + line)
    for note in res["notes"].values():
        say("note: " + note)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(f"{args.events:,} events, best of {args.runs}; machine: {res['machine']}\n\n")
            f.write(render_markdown(rows) + "\n\n")
            f.write("\n".join(f"- {line.strip()}" for line in agreement_lines(res) + tgt) + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as failure:
        print(f"bench-compare: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
