#!/usr/bin/env python3
"""Benchmark of tailing (cross-process followers): follower latency, idle CPU, writer slowdown.

    tools/bench-tail.py [--quick] [--events N] [--append-events M] [--followers F] [--runs R]
                        [--idle-seconds S] [--gap-ms G] [--batch-size B]

On a release build (built here), in a fresh temporary directory:

1. Follower latency. `parley tail --follow --from-end` (the follower) and
   `parley append --batch-size 1 --print-commits` fed through a pipe kept open (the writer). Each of N
   events (default 2000) is written to the writer alone; the moment a pipe becomes readable is taken
   with time.perf_counter_ns: t_ack when the writer prints "committed A-B", t_follow when the event's
   line (matched by seq) comes out of the follower. Latency = t_follow - t_ack; baseline in the same
   run: the fsync/ack round trip t_ack - t_write. Events are paced: the next one is written only once
   both sides have reported the previous one and --gap-ms has passed.
2. Idle CPU of that follower over --idle-seconds with nothing appended (utime+stime, /proc/PID/stat).
3. Writer slowdown: `parley append --batch-size 100` of M events (tools/generate_workload.py,
   seed 7) into a fresh log with 0 followers, then with F followers (`parley tail --follow
   --from-seq 1`) running, alternated R times each (best of each). Every follower must have written
   all M events before it is stopped with SIGTERM (exit code 0). Their output goes to /dev/shm when
   there is one (tmpfs: no disk writeback competing with the writer's fdatasync).

--quick: 300 events, 2 s idle, 50,000 appended events. Needs only python3, the Swift toolchain and
Linux's /proc. Exit codes: 0 whether or not the targets are met; 1 something failed (a command's
error, a follower missing or duplicating events, a timeout); 64 usage error.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLK_TCK = os.sysconf("SC_CLK_TCK")
SEQ_PREFIX = re.compile(rb'^\{"seq":(\d+),')
COMMITTED = re.compile(rb"^committed (\d+)-(\d+)$")

# Targets of the issue.
TARGET_P50_MS = 5.0
TARGET_P99_MS = 20.0
TARGET_IDLE_CPU = 0.01  # "~0": less than 1% of one core
TARGET_SLOWDOWN = 1.10


class Failure(Exception):
    """Something went wrong (not a missed target): the script exits 1."""


class UsageParser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(64)


def parse_args(argv):
    ap = UsageParser(
        prog="tools/bench-tail.py",
        description=__doc__.split("\n\n", 2)[2].strip(),  # the docstring less its title and usage
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--quick", action="store_true", help="short run: 300 events, 2 s idle, 50,000 appended events")
    ap.add_argument("--events", type=int, metavar="N", help="latency: events sent one by one (default 2000; quick 300)")
    ap.add_argument("--append-events", type=int, metavar="M",
                    help="writer slowdown: events appended per run (default 200000; quick 50000)")
    ap.add_argument("--followers", type=int, default=16, metavar="F", help="followers during the append (default 16)")
    ap.add_argument("--runs", type=int, default=3, metavar="R", help="runs of each writer case, alternated (default 3)")
    ap.add_argument("--idle-seconds", type=float, metavar="S", help="idle CPU window (default 5; quick 2)")
    ap.add_argument("--gap-ms", type=float, default=2.0, metavar="G",
                    help="pause after both sides reported an event, before the next (default 2)")
    ap.add_argument("--batch-size", type=int, default=100, metavar="B", help="writer slowdown: --batch-size (default 100)")
    args = ap.parse_args(argv)
    if args.events is None:
        args.events = 300 if args.quick else 2000
    if args.append_events is None:
        args.append_events = 50_000 if args.quick else 200_000
    if args.idle_seconds is None:
        args.idle_seconds = 2.0 if args.quick else 5.0
    for name in ("events", "append_events", "followers", "runs", "batch_size"):
        if getattr(args, name) < 1:
            ap.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.idle_seconds <= 0 or args.gap_ms < 0:
        ap.error("--idle-seconds must be positive and --gap-ms not negative")
    return args


# ---------------------------------------------------------------------------------------------------
# Helpers


def now_ns() -> int:
    return time.perf_counter_ns()


def ms(ns: float) -> float:
    return ns / 1e6


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def cpu_ticks(pid: int) -> int:
    """utime + stime of the whole process (all threads), in clock ticks."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        stat = f.read()
    fields = stat[stat.rindex(b")") + 2:].split()  # after "pid (comm) ": field 3 (state) is index 0
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)


def context_switches(pid: int) -> int:
    """Voluntary + involuntary context switches summed over the process's threads (≈ wake-ups)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def thread_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def run_checked(cmd, **kwargs):
    result = subprocess.run(cmd, **kwargs)
    if result.returncode != 0:
        raise Failure(f"{' '.join(cmd)} exited {result.returncode}")
    return result


def stop(proc: subprocess.Popen, what: str, timeout: float = 10.0) -> int:
    """SIGTERM, then wait; a follower must exit 0."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise Failure(f"{what} did not exit within {timeout:.0f} s of SIGTERM (killed)")


def read_text(path: str, limit: int = 2000) -> str:
    try:
        with open(path, "r", errors="replace") as f:
            return f.read(limit).strip()
    except FileNotFoundError:
        return ""


def note_line(i: int) -> bytes:
    body = f"note {i}"
    return (
        '{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c1",'
        f'"author":"agent:ana","body":"{body}"}}\n'
    ).encode()


# ---------------------------------------------------------------------------------------------------
# 1 + 2. Latency of one follower, then its idle CPU


class LineReader:
    """Non-blocking line splitting of one pipe; every line gets the time its chunk became readable."""

    def __init__(self, fd: int):
        self.fd = fd
        self.pending = b""
        self.eof = False

    def read(self, t: int):
        data = os.read(self.fd, 1 << 16)
        if not data:
            self.eof = True
            return []
        self.pending += data
        *lines, self.pending = self.pending.split(b"\n")
        return [(line, t) for line in lines]


class LatencyRun:
    def __init__(self, parley: str, work: str, args):
        self.parley = parley
        self.work = work
        self.args = args
        self.log = os.path.join(work, "latency.log")
        self.t_write: dict[int, int] = {}
        self.t_ack: dict[int, int] = {}
        self.t_follow: dict[int, int] = {}
        self.follow_order: list[int] = []
        self.follower_extra: list[bytes] = []
        self.writer_other: list[bytes] = []
        self.next_seq = 1  # the log is fresh: the k-th line written gets seq k

    def pump(self, timeout_ms: float) -> bool:
        """Polls both pipes once (up to timeout_ms) and records what arrived. False on timeout."""
        ready = self.poller.poll(max(0, timeout_ms))
        t = now_ns()  # the moment the pipe(s) became readable (one clock read for all ready pipes)
        for fd, _ in ready:
            if fd == self.follower_reader.fd:
                for line, ts in self.follower_reader.read(t):
                    m = SEQ_PREFIX.match(line)
                    seq = int(m.group(1)) if m else json_seq(line)
                    if seq is None:
                        self.follower_extra.append(line)
                        continue
                    if seq in self.t_follow:
                        self.follower_extra.append(b"duplicate: " + line[:80])
                    self.t_follow.setdefault(seq, ts)
                    self.follow_order.append(seq)
                if self.follower_reader.eof:
                    self.poller.unregister(fd)
            else:
                for line, ts in self.writer_reader.read(t):
                    m = COMMITTED.match(line)
                    if m:
                        for seq in range(int(m.group(1)), int(m.group(2)) + 1):
                            self.t_ack.setdefault(seq, ts)
                    else:
                        self.writer_other.append(line)
                if self.writer_reader.eof:
                    self.poller.unregister(fd)
        return bool(ready)

    def send(self) -> int:
        seq = self.next_seq
        self.next_seq += 1
        line = note_line(seq)
        self.t_write[seq] = now_ns()
        os.write(self.writer_stdin, line)
        return seq

    def wait_for(self, seq: int, need_follow: bool, timeout_s: float) -> bool:
        deadline = now_ns() + int(timeout_s * 1e9)
        while seq not in self.t_ack or (need_follow and seq not in self.t_follow):
            left = deadline - now_ns()
            if left <= 0:
                return False
            if self.writer.poll() is not None and seq not in self.t_ack:
                raise Failure(f"the writer exited {self.writer.returncode}: {read_text(self.writer_err)}")
            if self.follower.poll() is not None:
                raise Failure(f"the follower exited {self.follower.returncode}: {read_text(self.follower_err)}")
            self.pump(min(ms(left), 100))
        return True

    def idle_pump(self, seconds: float):
        end = now_ns() + int(seconds * 1e9)
        while (left := end - now_ns()) > 0:
            self.pump(ms(left))

    def run(self):
        a = self.args
        run_checked([self.parley, "init", "--log", self.log], stdout=subprocess.DEVNULL)
        self.follower_err = os.path.join(self.work, "follower.err")
        self.writer_err = os.path.join(self.work, "writer.err")
        t_spawn_follower = now_ns()
        self.follower = subprocess.Popen(
            [self.parley, "tail", "--follow", "--from-end", "--log", self.log],
            stdout=subprocess.PIPE, stderr=open(self.follower_err, "wb"), bufsize=0)
        t_spawn_writer = now_ns()
        self.writer = subprocess.Popen(
            [self.parley, "append", "--log", self.log, "--batch-size", "1", "--print-commits"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(self.writer_err, "wb"), bufsize=0)
        self.writer_stdin = self.writer.stdin.fileno()
        self.follower_reader = LineReader(self.follower.stdout.fileno())
        self.writer_reader = LineReader(self.writer.stdout.fileno())
        self.poller = select.poll()
        self.poller.register(self.follower_reader.fd, select.POLLIN)
        self.poller.register(self.writer_reader.fd, select.POLLIN)
        try:
            return self._measure(t_spawn_follower, t_spawn_writer)
        finally:
            for proc in (self.writer, self.follower):
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()

    def _measure(self, t_spawn_follower, t_spawn_writer):
        a = self.args
        r = {}
        # Warm-up: the follower starts after the last event committed when it looked (--from-end);
        # events are sent one at a time until it prints one. Their latencies are not counted.
        warmup_deadline = now_ns() + 30 * 10**9
        first_ack = None
        while not self.t_follow:
            seq = self.send()
            if not self.wait_for(seq, need_follow=False, timeout_s=10):
                raise Failure(f"no acknowledgement for warm-up seq {seq} within 10 s")
            first_ack = first_ack or self.t_ack[seq]
            end = now_ns() + 20 * 10**6
            while not self.t_follow and now_ns() < end:
                self.pump(ms(end - now_ns()))
            if now_ns() > warmup_deadline:
                raise Failure("the follower printed nothing within 30 s of warm-up events")
        first_seen = min(self.t_follow)
        r["writer_first_ack_ms"] = ms(first_ack - t_spawn_writer)
        r["follower_ready_ms"] = ms(self.t_follow[first_seen] - t_spawn_follower)
        r["warmup_skipped"] = first_seen - 1  # committed before the follower looked: not its to print
        extra_warmup = 10
        for _ in range(extra_warmup):
            seq = self.send()
            if not self.wait_for(seq, need_follow=True, timeout_s=10):
                raise Failure(f"warm-up seq {seq} not delivered within 10 s")
        r["warmup_events"] = self.next_seq - 1

        # Measured events.
        cpu0, wall0 = cpu_ticks(self.follower.pid), now_ns()
        measured = []
        late = []
        for _ in range(a.events):
            seq = self.send()
            measured.append(seq)
            if not self.wait_for(seq, need_follow=True, timeout_s=5):
                late.append(seq)
            if a.gap_ms > 0:
                self.idle_pump(a.gap_ms / 1000)
        cpu1, wall1 = cpu_ticks(self.follower.pid), now_ns()
        r["active_cpu_per_s"] = (cpu1 - cpu0) / CLK_TCK / ((wall1 - wall0) / 1e9)
        r["active_seconds"] = (wall1 - wall0) / 1e9

        # The writer ends cleanly when its stdin closes.
        self.writer.stdin.close()
        end = now_ns() + 10 * 10**9
        while self.writer.poll() is None and now_ns() < end:
            self.pump(50)
        if self.writer.poll() is None:
            raise Failure("the writer did not exit within 10 s of its stdin closing")
        while not self.writer_reader.eof:
            if not self.pump(1000):
                break
        if self.writer.returncode != 0:
            raise Failure(f"the writer exited {self.writer.returncode}: {read_text(self.writer_err)}")
        last_sent = self.next_seq - 1
        # Late events get one more chance (the follower's fallback timer wakes it every second).
        self.idle_pump(1.5 if late else 0.5)

        # Every event from the first it printed on, once each, in order.
        expected = list(range(first_seen, last_sent + 1))
        if self.follow_order != expected:
            missing = sorted(set(expected) - set(self.follow_order))
            raise Failure(
                f"follower output is not seq {first_seen}..{last_sent} once each in order: "
                f"{len(missing)} missing (first {missing[:5]}), {len(self.follow_order)} lines; "
                f"extra lines: {self.follower_extra[:3]}")
        if self.follower_extra:
            raise Failure(f"unexpected follower output: {self.follower_extra[:3]}")
        missing_acks = [s for s in range(1, last_sent + 1) if s not in self.t_ack]
        if missing_acks:
            raise Failure(f"no 'committed' line for seq {missing_acks[:5]} ({len(missing_acks)} in all)")
        r["late_over_5s"] = len(late)

        lat = [self.t_follow[s] - self.t_ack[s] for s in measured]
        ack = [self.t_ack[s] - self.t_write[s] for s in measured]
        e2e = [self.t_follow[s] - self.t_write[s] for s in measured]
        r["n"] = len(measured)
        r["nonpositive"] = sum(1 for v in lat if v <= 0)
        r["same_wakeup"] = sum(1 for v in lat if v == 0)
        r["min_raw_ms"] = ms(min(lat))
        r["latency"] = sorted(ms(max(0, v)) for v in lat)
        r["ack"] = sorted(ms(v) for v in ack)
        r["e2e"] = sorted(ms(v) for v in e2e)
        r["over_1s"] = sum(1 for v in lat if v > 10**9)
        r["writer_summary"] = read_text(self.writer_err, 300)

        # 2. Idle CPU: nothing is appended (the writer is gone); the follower waits.
        pid = self.follower.pid
        self.idle_pump(0.5)  # settle
        lines_before = len(self.follow_order)
        t0, c0, s0 = now_ns(), cpu_ticks(pid), context_switches(pid)
        self.idle_pump(self.args.idle_seconds)
        t1, c1, s1 = now_ns(), cpu_ticks(pid), context_switches(pid)
        idle_s = (t1 - t0) / 1e9
        r["idle_seconds"] = idle_s
        r["idle_ticks"] = c1 - c0
        r["idle_cpu_per_s"] = (c1 - c0) / CLK_TCK / idle_s
        r["idle_resolution"] = 1 / CLK_TCK / idle_s
        r["idle_wakeups_per_s"] = (s1 - s0) / idle_s
        r["idle_output_lines"] = len(self.follow_order) - lines_before
        r["follower_threads"] = thread_count(pid)
        r["follower_rss_kb"] = rss_kb(pid)

        rc = stop(self.follower, "the follower")
        if rc != 0:
            raise Failure(f"the follower exited {rc} on SIGTERM: {read_text(self.follower_err)}")
        err = read_text(self.follower_err)
        if err:
            r["follower_stderr"] = err
        return r


def json_seq(line: bytes):
    """The "seq" of a JSON line whose first key is not seq; None if it has none or is not JSON."""
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value.get("seq") if isinstance(value, dict) and isinstance(value.get("seq"), int) else None


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# ---------------------------------------------------------------------------------------------------
# 3. Writer slowdown with followers


def last_seq_of(path: str) -> int:
    """Seq of the last complete line of a follower's output file (0 if none)."""
    try:
        with open(path, "rb") as f:
            size = f.seek(0, os.SEEK_END)
            if size == 0:
                return 0
            f.seek(max(0, size - (1 << 17)))
            tail = f.read()
    except FileNotFoundError:
        return 0
    end = tail.rfind(b"\n")
    if end < 0:
        return 0
    start = tail.rfind(b"\n", 0, end) + 1
    m = SEQ_PREFIX.match(tail[start:end])
    return int(m.group(1)) if m else -1


def count_and_ends(path: str):
    """(newline count, first seq, last seq) of a follower's output file."""
    lines = 0
    first = None
    with open(path, "rb") as f:
        head = f.read(200)
        m = SEQ_PREFIX.match(head)
        first = int(m.group(1)) if m else None
        f.seek(0)
        while chunk := f.read(1 << 22):
            lines += chunk.count(b"\n")
    return lines, first, last_seq_of(path)


def writer_run(parley, work, outdir, inp, m, followers, batch, index):
    log = os.path.join(work, f"slowdown{index}.log")
    run_checked([parley, "init", "--log", log], stdout=subprocess.DEVNULL)
    procs = []
    outs = []
    try:
        for i in range(followers):
            out = os.path.join(outdir, f"run{index}-follower{i}.jsonl")
            outs.append(out)
            procs.append(subprocess.Popen(
                [parley, "tail", "--follow", "--from-seq", "1", "--log", log],
                stdout=open(out, "wb"), stderr=open(out + ".err", "wb")))
        time.sleep(1.0)  # same settle time with or without followers: they start and go idle
        for i, p in enumerate(procs):
            if p.poll() is not None:
                raise Failure(f"follower {i} exited {p.returncode} before the append: {read_text(outs[i] + '.err')}")
        cpu_before = sum(cpu_ticks(p.pid) for p in procs)
        switches_before = sum(context_switches(p.pid) for p in procs)
        err = os.path.join(work, f"slowdown{index}.err")
        with open(inp, "rb") as stdin:
            children0 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the followers are not reaped yet
            t0 = now_ns()
            rc = subprocess.run([parley, "append", "--log", log, "--batch-size", str(batch)],
                                stdin=stdin, stdout=subprocess.DEVNULL, stderr=open(err, "wb")).returncode
            t1 = now_ns()
            children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if rc != 0:
            raise Failure(f"parley append exited {rc}: {read_text(err)}")
        writer_cpu = (children1.ru_utime + children1.ru_stime) - (children0.ru_utime + children0.ru_stime)
        res = {"seconds": (t1 - t0) / 1e9, "followers": followers, "writer_cpu": writer_cpu}
        if not procs:
            return res
        cpu_during = sum(cpu_ticks(p.pid) for p in procs)  # followers' CPU while the writer ran
        switches_during = sum(context_switches(p.pid) for p in procs) - switches_before
        behind_at_end = [m - max(0, last_seq_of(o)) for o in outs]
        # Every follower must reach seq M before it is stopped.
        deadline = time.monotonic() + 120
        pending = set(range(followers))
        while pending and time.monotonic() < deadline:
            for i in list(pending):
                if last_seq_of(outs[i]) >= m:
                    pending.discard(i)
                elif procs[i].poll() is not None:
                    raise Failure(f"follower {i} exited {procs[i].returncode} mid-run: {read_text(outs[i] + '.err')}")
            if pending:
                time.sleep(0.01)
        t2 = now_ns()
        if pending:
            raise Failure(f"{len(pending)} followers had not written seq {m} within 120 s of the append's end "
                          f"(last seqs: {[last_seq_of(outs[i]) for i in sorted(pending)][:5]})")
        cpu_after = sum(cpu_ticks(p.pid) for p in procs)
        for i, p in enumerate(procs):
            rc = stop(p, f"follower {i}")
            if rc != 0:
                raise Failure(f"follower {i} exited {rc} on SIGTERM: {read_text(outs[i] + '.err')}")
        for i, out in enumerate(outs):
            lines, first, last = count_and_ends(out)
            if (lines, first, last) != (m, 1, m):
                raise Failure(f"follower {i} wrote {lines} lines, seq {first}..{last}; expected {m} lines, 1..{m}")
            err_text = read_text(out + ".err")
            if err_text:
                raise Failure(f"follower {i} wrote to stderr: {err_text}")
        res.update(
            catch_up_s=(t2 - t1) / 1e9,
            behind_max=max(behind_at_end),
            behind_mean=sum(behind_at_end) / len(behind_at_end),
            followers_cpu_during=(cpu_during - cpu_before) / CLK_TCK,
            followers_cpu_total=(cpu_after - cpu_before) / CLK_TCK,
            wakeups_per_commit=switches_during / followers / math.ceil(m / batch),
        )
        return res
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        for out in outs:
            for path in (out, out + ".err"):
                if os.path.exists(path):
                    os.remove(path)
        for path in (log, log + ".commit"):
            if os.path.exists(path):
                os.remove(path)


def machine_cpu_busy():
    """(busy, steal, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]
    steal = parts[7] if len(parts) > 7 else 0
    total = sum(parts[:8])
    return total - idle, steal, total


# ---------------------------------------------------------------------------------------------------


def fmt_pcts(values):
    return [f"{percentile(values, p):.3f}" for p in (50, 90, 99)] + [f"{values[-1]:.3f}"]


def main(argv=None) -> int:
    args = parse_args(argv)
    os.chdir(REPO)
    if not os.path.isdir("/proc/self"):
        raise Failure("needs Linux's /proc")
    if shutil.which("swift") is None:
        raise Failure("swift is not on PATH")

    print("building parley (release)...", flush=True)
    run_checked(["swift", "build", "-c", "release", "--product", "parley"], stdout=subprocess.DEVNULL)
    bin_path = run_checked(["swift", "build", "-c", "release", "--show-bin-path"],
                           capture_output=True, text=True).stdout.strip()
    parley = os.path.join(bin_path, "parley")
    swift_version = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    swift_version = next((l for l in swift_version if "Swift version" in l), "?")

    work = tempfile.mkdtemp(prefix="parley-bench-tail-", dir=os.environ.get("TMPDIR"))
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    outdir = tempfile.mkdtemp(prefix="parley-bench-tail-out-", dir=shm or work)
    # Noise: what the rest of the machine does while this script is idle for a second.
    load_start = os.getloadavg()
    q0 = machine_cpu_busy()
    time.sleep(1.0)
    q1 = machine_cpu_busy()
    quiet_busy = 100 * (q1[0] - q0[0]) / max(1, q1[2] - q0[2])
    busy0, steal0, total0 = q1
    t_start = time.monotonic()
    try:
        print(f"latency: {args.events} events, one at a time...", flush=True)
        lat = LatencyRun(parley, work, args).run()

        print(f"writer slowdown: generating {args.append_events} events (seed 7)...", flush=True)
        inp = os.path.join(work, "events.jsonl")
        run_checked([sys.executable, "tools/generate_workload.py", "--events", str(args.append_events),
                     "--seed", "7", "--out", inp])
        input_bytes = os.path.getsize(inp)
        with open(inp, "rb") as f:  # into the page cache before any timed run
            while f.read(1 << 22):
                pass
        runs = {0: [], args.followers: []}
        index = 0
        for r in range(args.runs):
            for n in (0, args.followers):
                index += 1
                print(f"  run {index}/{2 * args.runs}: {n} followers...", flush=True)
                runs[n].append(writer_run(parley, work, outdir, inp, args.append_events, n, args.batch_size, index))
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - t_start
    busy1, steal1, total1 = machine_cpu_busy()
    load_end = os.getloadavg()

    # ---- Report
    ncpu = len(os.sched_getaffinity(0))
    print()
    print(f"machine: nproc {ncpu}, {os.uname().sysname} {os.uname().release}, {swift_version.strip()}")
    print(f"noise: before the run (1 s, this script idle) the machine's CPUs were {quiet_busy:.0f}% busy, load "
          f"average {load_start[0]:.2f}; over the {elapsed:.0f} s run {100 * (busy1 - busy0) / max(1, total1 - total0):.0f}% "
          f"busy (ours included), steal {100 * (steal1 - steal0) / max(1, total1 - total0):.1f}%, "
          f"load average {load_end[0]:.2f} at the end")
    print()
    n = lat["n"]
    print(f"1. follower latency, {n} events (batch size 1, {args.gap_ms:g} ms pause between events; "
          f"{lat['warmup_events']} warm-up events not counted)")
    print(f"   {'ms':<44} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}")
    rows = [
        ("follower latency t_follow - t_ack (>= 0)", lat["latency"]),
        ("baseline: fsync/ack round trip t_ack - t_write", lat["ack"]),
        ("end to end t_follow - t_write", lat["e2e"]),
    ]
    for label, values in rows:
        print(f"   {label:<44} " + " ".join(f"{v:>8}" for v in fmt_pcts(values)))
    p50, p99 = percentile(lat["latency"], 50), percentile(lat["latency"], 99)
    ack50 = percentile(lat["ack"], 50)
    print(f"   ratio: follower latency p50 = {p50 / ack50 if ack50 else float('nan'):.2f}x the ack round trip's p50; "
          f"{lat['nonpositive']} of {n} events ({100 * lat['nonpositive'] / n:.1f}%) reached the follower no later "
          f"than the ack ({lat['same_wakeup']} in the same poll wake-up as the ack, raw minimum {lat['min_raw_ms']:.3f} ms); {lat['over_1s']} over 1 s, "
          f"{lat['late_over_5s']} not there within 5 s")
    print(f"   start-up: writer's first ack {lat['writer_first_ack_ms']:.1f} ms after spawn; follower's first line "
          f"{lat['follower_ready_ms']:.1f} ms after spawn ({lat['warmup_skipped']} events committed before it looked)")
    print()
    print(f"2. idle follower, {lat['idle_seconds']:.2f} s with nothing appended")
    idle = lat["idle_cpu_per_s"]
    idle_text = f"{idle:.4f}" if lat["idle_ticks"] else f"0 (< {lat['idle_resolution']:.4f}, one clock tick)"
    print(f"   CPU-seconds per idle second: {idle_text} ({lat['idle_ticks']} ticks of 1/{CLK_TCK} s); "
          f"wake-ups (context switches) {lat['idle_wakeups_per_s']:.1f}/s; lines printed while idle "
          f"{lat['idle_output_lines']}; {lat['follower_threads']} threads, RSS {lat['follower_rss_kb'] / 1024:.1f} MB")
    print(f"   baseline: the same follower while delivering ({lat['active_seconds']:.1f} s of phase 1): "
          f"{lat['active_cpu_per_s']:.4f} CPU-s/s")
    print()
    f = args.followers
    base = min(r["seconds"] for r in runs[0])
    loaded = min(r["seconds"] for r in runs[f])
    ratio = loaded / base
    print(f"3. writer: parley append --batch-size {args.batch_size}, {args.append_events} events "
          f"({input_bytes / 1e6:.1f} MB JSONL), runs alternated, best of {args.runs}")
    print(f"   {'followers':<10} {'best s':>8} {'events/s':>10} {'writer CPU s':>13}  {'all runs (s)'}")
    for k in (0, f):
        best_run = min(runs[k], key=lambda r: r["seconds"])
        best = best_run["seconds"]
        times = " ".join(f"{r['seconds']:.3f}" for r in runs[k])
        print(f"   {k:<10} {best:>8.3f} {args.append_events / best:>10,.0f} {best_run['writer_cpu']:>13.3f}  {times}")
    print(f"   ratio: with {f} followers the writer takes {ratio:.3f}x its time alone "
          f"(median of runs: {median([r['seconds'] for r in runs[f]]) / median([r['seconds'] for r in runs[0]]):.3f}x)")
    lr = runs[f]
    print(f"   followers: all {f} wrote all {args.append_events} events (seq 1..{args.append_events}) and exited 0 "
          f"on SIGTERM, every run; behind when the writer exited: mean {median([r['behind_mean'] for r in lr]):,.0f}, "
          f"max {max(r['behind_max'] for r in lr):,} events; caught up "
          f"{median([r['catch_up_s'] for r in lr]):.2f} s later (median); their CPU "
          f"{median([r['followers_cpu_during'] for r in lr]):.2f} s during the append, "
          f"{median([r['followers_cpu_total'] for r in lr]):.2f} s in all (median, summed over {f}); "
          f"{median([r['wakeups_per_commit'] for r in lr]):.1f} context switches per follower per commit")
    print()
    print("targets:")
    verdict = lambda ok: "met" if ok else "NOT MET"
    print(f"   follower latency p50 < {TARGET_P50_MS:g} ms: {verdict(p50 < TARGET_P50_MS)} ({p50:.3f} ms)")
    print(f"   follower latency p99 < {TARGET_P99_MS:g} ms: {verdict(p99 < TARGET_P99_MS)} ({p99:.3f} ms)")
    print(f"   idle follower CPU ~0 (< {TARGET_IDLE_CPU:g} CPU-s/s): {verdict(idle < TARGET_IDLE_CPU)} ({idle:.4f})")
    print(f"   writer slowed by <= {100 * (TARGET_SLOWDOWN - 1):.0f}% with {f} followers: "
          f"{verdict(ratio <= TARGET_SLOWDOWN)} ({100 * (ratio - 1):+.1f}%)")
    if lat.get("follower_stderr"):
        print(f"note: the latency follower wrote to stderr: {lat['follower_stderr']}")
    return 0


def median(values):
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as failure:
        print(f"bench-tail: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
