#!/usr/bin/env python3
"""Kill loop: proves that `parley append` survives SIGKILL at any moment (issue #5).

Usage:
  python3 tools/kill-loop.py [--kills N | --quick] [--seed S] [--duration SECONDS] [options]

What it does:
  1. Builds `parley` in release mode (`swift build -c release --product parley`) and, for kills
     in the middle of a frame, in debug mode (debug builds honour PARLEY_DEBUG_PAUSE_MID_FRAME_MS).
  2. Creates a log in a temporary directory, then loops until N child processes were killed:
     a child `parley append --log L --batch-size B --print-commits` (B from 1 to 500) reads
     events from a pipe. The event with sequence number s always has the same content,
     event_line(s), so every byte in the log can be checked against what was sent. The parent
     records every "committed A-B" line the child prints and sends SIGKILL at a random moment:
       - release:      after a random delay of up to 10, 50 or 200 ms (some children reach the
                       end of their input first; some of those get end of input and exit normally);
       - startup:      within the first milliseconds: process start, opening, recovery;
       - recovery:     the same, when the previous kill left a torn tail for the child to cut;
       - after-commit: right after the child's k-th "committed" line, while it parses, writes or
                       syncs the next batch;
       - mid-frame:    debug build with PARLEY_DEBUG_PAUSE_MID_FRAME_MS=2..10, killed after k commits
                       while a frame is written half by half (this is what leaves torn tails);
       - repair:       `parley repair` on a copy of the log that has a torn tail or a flipped bit,
                       after which a second repair must finish the job exactly.
  3. After each kill: `parley verify --json` must pass or report only a torn tail (which the next
     append cuts); the log's last seq must be at least the last acknowledged one; every event
     that the child's run added (acknowledged or not) and a random sample of older ones are
     compared byte for byte with `parley dump` output; sequence numbers must be dense.
  4. At the end (and whenever the log is rotated, see --max-log-mib) every event of the log is
     compared, so every acknowledged event is checked.

Prints a summary; exits 0 only when no check failed (1 on a failure, 2 on a build or set-up
error). On a failure the work directory is kept and its path printed.

SIGKILL kills the process, not the machine: it proves that acknowledgement follows the write and
sync, and that recovery and repair are correct whenever a process dies, but it cannot prove that
fdatasync reaches the disk (that needs power-loss testing).

Python 3 standard library only.
"""

import argparse
import datetime
import hashlib
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HEADER_BYTES = 64
FRAME_HEADER_BYTES = 36

# ---------------------------------------------------------------------------------------------
# Deterministic events: the content of the event with sequence number `seq` is a function of
# `seq` alone, written in the exact form `parley dump` prints it back (docs/EVENTS.md, "Output of
# dump"), so a dump line minus "seq" and "recorded_at" must equal the line sent.

_BASE_TIME = datetime.datetime(2026, 3, 2, 0, 0, 0)
_OFFSETS = [("Z", 0), ("+01:00", 60), ("-05:30", -330), ("+09:00", 540)]
_CHANNELS = ["email", "chat", "form", "marketplace", "social", "review", "sms", "whatsapp", "messenger", "other"]
_STATUSES = ["open", "pending", "resolved"]
_PRIORITIES = ["low", "normal", "high", "urgent"]


def _timestamp(seq, h):
    """An RFC 3339 time in canonical dump form: no trailing zeros in the fraction, zero offset as Z."""
    text = (_BASE_TIME + datetime.timedelta(seconds=seq)).strftime("%Y-%m-%dT%H:%M:%S")
    fraction = h % 4
    if fraction == 1:
        text += ".5"
    elif fraction == 2:
        text += ".25"
    elif fraction == 3:
        text += ".%09d" % ((h >> 3) % 999_999_999 | 1)  # odd: the last digit is never 0
    return text + _OFFSETS[(h >> 2) % 4][0]


def event_line(seq):
    """The JSON line (without its newline) of the event that gets sequence number `seq`."""
    digest = hashlib.sha256(b"parley kill loop %d" % seq).hexdigest()
    h = int(digest[:12], 16)
    conversation = "c%d" % (seq % 97)
    head = '{"type":"%s","at":"' + _timestamp(seq, h) + '"'
    body = "event %d %s" % (seq, digest[:16])
    if h % 97 == 0:
        body += " " + "x" * ((h >> 16) % 32768)  # now and then a big one: frames of a few MiB
    elif (h >> 7) % 3 == 0:
        body += " " + digest[16:] * ((h >> 20) % 5)
    kind = seq % 10
    if kind <= 4:
        return (head % "note_added") + ',"conversation":"%s","author":"agent:%s","body":"%s"}' % (
            conversation, digest[16:20], body)
    if kind == 5:
        line = (head % "message_received") + ',"conversation":"%s","customer":"cust-%s@example.com","channel":"%s"' % (
            conversation, digest[20:26], _CHANNELS[h % 10])
        if (h >> 5) % 2:
            line += ',"message_id":"<m%d@mail.example.com>"' % seq
        if (h >> 6) % 2:
            line += ',"subject":"Où est ma commande ? 注文 %d"' % seq
        line += ',"body":"%s"' % body
        if (h >> 9) % 2:
            line += ',"crm":{"id":%d,"tags":["vip",null,true,-1.50e3]},"n":%d' % (seq, seq)
        return line + "}"
    if kind == 6:
        return (head % "reply_sent") + ',"conversation":"%s","author":"bot:faq","auto":%s,"body":"%s"}' % (
            conversation, "true" if h % 2 else "false", body)
    if kind == 7:
        # Every escape the encoder writes, and raw multi-byte UTF-8.
        return (head % "note_added") + (
            ',"conversation":"%s","author":"agent:esc","body":"%s\\nline 2\\t\\"quoted\\" back\\\\slash '
            '\\u0001\\u001f é 🙏 /"}') % (conversation, body)
    if kind == 8:
        choice = h % 3
        if choice == 0:
            assignee = "null" if (h >> 4) % 3 == 0 else '"agent:%s"' % digest[30:34]
            team = ',"team":"tier-%d"' % (seq % 3) if (h >> 6) % 2 else ""
            return (head % "assigned") + ',"conversation":"%s","assignee":%s%s}' % (conversation, assignee, team)
        if choice == 1:
            return (head % "status_changed") + ',"conversation":"%s","status":"%s"}' % (
                conversation, _STATUSES[(h >> 4) % 3])
        priority = ',"priority":"%s"' % _PRIORITIES[(h >> 4) % 4] if (h >> 6) % 2 else ""
        return (head % "categorized") + ',"conversation":"%s","category":"cat-%d"%s}' % (
            conversation, seq % 13, priority)
    if h % 2:
        return (head % "customer_linked") + ',"customer":"cust-%d","same_as":"+33-6-%08d"}' % (seq, seq)
    return (head % "policy_set") + (
        ',"policy":{"name":"p%d","targets":{"urgent":{"first_response":30,"resolution":2.50e2}},"hours":[]},'
        '"conversation":"%s"}') % (seq, conversation)


# ---------------------------------------------------------------------------------------------
# Small helpers.


class Failure(Exception):
    """A check failed: the log lost, changed or misnumbered something, or a command misbehaved."""


def log_uniform(rng, low, high):
    """An integer in low...high, spread evenly over orders of magnitude."""
    return min(high, int(math.exp(rng.uniform(math.log(low), math.log(high + 1)))))


def run(args, **kwargs):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def build(configuration):
    """Builds `parley` with SwiftPM and returns the binary's path."""
    flags = ["-c", "release"] if configuration == "release" else []
    print("building parley (%s): swift build %s --product parley" % (configuration, " ".join(flags)), flush=True)
    started = time.monotonic()
    done = subprocess.run(["swift", "build"] + flags + ["--product", "parley"], cwd=REPO,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout)
        raise SystemExit("kill-loop: swift build (%s) failed" % configuration)
    path = subprocess.run(["swift", "build"] + flags + ["--show-bin-path"], cwd=REPO, check=True,
                          stdout=subprocess.PIPE, text=True).stdout.strip()
    binary = os.path.join(path, "parley")
    if not os.access(binary, os.X_OK):
        raise SystemExit("kill-loop: no binary at %s" % binary)
    print("  %s (%.1f s)" % (binary, time.monotonic() - started), flush=True)
    return binary


def frames_of(data):
    """(offset, length, first seq, count) of every whole frame header chain in `data` (no CRC check)."""
    frames = []
    offset = HEADER_BYTES
    while offset + FRAME_HEADER_BYTES <= len(data):
        length = int.from_bytes(data[offset + 4:offset + 8], "little")
        if length < FRAME_HEADER_BYTES + 4 or offset + length > len(data):
            break
        first = int.from_bytes(data[offset + 16:offset + 24], "little")
        count = int.from_bytes(data[offset + 24:offset + 28], "little")
        frames.append((offset, length, first, count))
        offset += length
    return frames


# ---------------------------------------------------------------------------------------------
# The loop.


class KillLoop:
    def __init__(self, options, release, debug):
        self.options = options
        self.release = release
        self.debug = debug
        self.rng = random.Random(options.seed)
        self.work = options.workdir or tempfile.mkdtemp(prefix="parley-kill-loop-")
        os.makedirs(self.work, exist_ok=True)
        self.generation = 0
        self.log = None
        # Figures for the summary.
        self.kills = 0
        self.kills_by_mode = {}
        self.normal_exits = 0
        self.acknowledged = 0
        self.checked = 0
        self.torn_seen = 0
        self.torn_by_mode = {}
        self.torn_recovered = 0
        self.repairs = 0
        self.repair_kills = 0
        self.unacked_survivors = 0
        self.iterations = 0
        self.failures = []
        # State of the current log.
        self.last_acked = 0
        self.last_seq = 0
        self.torn_pending = False
        self.torn_offset = None

    # -- log lifecycle ---------------------------------------------------------------------------

    def new_log(self):
        self.generation += 1
        self.log = os.path.join(self.work, "kill-%d.log" % self.generation)
        done = run([self.release, "init", "--log", self.log])
        if done.returncode != 0:
            raise Failure("parley init failed: %s" % done.stderr.decode(errors="replace"))
        self.last_acked = 0
        self.last_seq = 0
        self.torn_pending = False
        self.torn_offset = None

    def retire_log(self):
        """Checks every event of the current log, then deletes it (and the files beside it)."""
        last = self.verify(self.log, context="final check")["last_seq"] or 0
        if last < self.last_acked:
            raise Failure("final check: last seq %d < last acknowledged %d" % (last, self.last_acked))
        if last:
            self.check_range(self.log, 1, last, context="final check of %s" % os.path.basename(self.log))
        for name in os.listdir(self.work):
            if name.startswith(os.path.basename(self.log)):
                path = os.path.join(self.work, name)
                shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)

    # -- checks ----------------------------------------------------------------------------------

    def verify(self, log, context, allow_torn=True):
        """Runs `parley verify --json`; returns its report. A torn tail is accepted when allowed."""
        done = run([self.release, "verify", "--log", log, "--json"])
        try:
            report = json.loads(done.stdout)
        except ValueError:
            raise Failure("%s: verify printed no JSON (exit %d): %r %r" % (
                context, done.returncode, done.stdout[:500], done.stderr[:500]))
        problem = report.get("problem")
        if done.returncode == 0 and report.get("ok") is True and problem is None:
            return report
        if done.returncode == 1 and problem and problem.get("kind") == "torn_tail" and allow_torn:
            return report
        raise Failure("%s: verify exit %d: %s" % (context, done.returncode, json.dumps(problem)))

    def check_range(self, log, first, last, context):
        """Dumps seq first...last and compares every line with event_line; counts what it checked."""
        if first > last:
            return
        process = subprocess.Popen([self.release, "dump", "--log", log, "--from-seq", str(first), "--to-seq",
                                    str(last)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        expected = first
        pattern = re.compile(rb'^\{"seq":(\d+),"recorded_at":"[^"]*",(.*)\n$', re.S)
        problem = None
        for raw in process.stdout:
            match = pattern.match(raw)
            if not match:
                problem = problem or "seq %d: unexpected dump line %r" % (expected, raw[:200])
                break
            seq = int(match.group(1))
            if seq != expected:
                problem = problem or "sequence numbers not dense: got %d, expected %d" % (seq, expected)
                break
            got = b"{" + match.group(2)
            want = event_line(seq).encode()
            if got != want:
                problem = problem or "seq %d differs from what was sent:\n  sent %r\n  log  %r" % (
                    seq, want[:300], got[:300])
                break
            expected += 1
            self.checked += 1
        process.stdout.close()
        stderr = process.stderr.read()
        code = process.wait()
        if problem is None and code != 0:
            problem = "dump exit %d: %s" % (code, stderr.decode(errors="replace").strip())
        if problem is None and expected != last + 1:
            problem = "dump stopped at seq %d, expected up to %d" % (expected - 1, last)
        if problem:
            raise Failure("%s (seq %d-%d): %s" % (context, first, last, problem))

    # -- one append child ------------------------------------------------------------------------

    def choose_mode(self):
        if self.torn_pending and self.rng.random() < 0.4:
            return "recovery"
        roll = self.rng.random()
        if self.debug and roll < 0.3:
            return "mid-frame"
        if roll < 0.42:
            return "startup"
        if roll < 0.7:
            return "after-commit"
        return "release"

    def append_round(self):
        """Starts one append child, feeds it, kills it, and checks the log. Returns True if it was killed."""
        start = self.last_seq + 1  # as the last verify saw it: the child numbers its events from here
        mode = self.choose_mode()
        batch = log_uniform(self.rng, 1, 500)
        binary, env = self.release, dict(os.environ)
        env.pop("PARLEY_DEBUG_PAUSE_MID_FRAME_MS", None)
        pause = 0
        if mode == "after-commit":
            commits_first = self.rng.randint(1, max(1, min(20, 3000 // batch)))
            events = commits_first * batch + self.rng.randint(0, batch)
        if mode == "mid-frame":
            binary = self.debug
            pause = self.rng.randint(2, 10)
            env["PARLEY_DEBUG_PAUSE_MID_FRAME_MS"] = str(pause)
            commits_first = self.rng.randint(1, 3)
            events = (commits_first + 2) * batch + self.rng.randint(0, batch)
        elif mode != "after-commit":
            events = log_uniform(self.rng, 1, 3000)
        close_input = mode == "release" and self.rng.random() < 0.15
        # Generated before the child starts, so that the child never waits for the generator.
        payload = ("\n".join(event_line(seq) for seq in range(start, start + events)) + "\n").encode()

        stderr_path = os.path.join(self.work, "append.stderr")
        with open(stderr_path, "wb") as stderr_file:
            child = subprocess.Popen(
                [binary, "append", "--log", self.log, "--batch-size", str(batch), "--print-commits"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr_file, env=env)
        commits = []  # (first, last) in the order printed
        commit_event = threading.Condition()

        def read_commits():
            for raw in child.stdout:
                with commit_event:
                    commits.append(raw)
                    commit_event.notify_all()

        def feed():
            try:
                child.stdin.write(payload)
                child.stdin.flush()
                if close_input:
                    child.stdin.close()
            except (BrokenPipeError, ValueError, OSError):
                pass  # the child was killed while we were writing

        reader = threading.Thread(target=read_commits, daemon=True)
        feeder = threading.Thread(target=feed, daemon=True)
        reader.start()
        feeder.start()

        if mode in ("mid-frame", "after-commit"):
            # Wait for some commits, then kill while the next batch is parsed, written (half by half in
            # a debug build with the pause) or synced.
            deadline = time.monotonic() + 10
            with commit_event:
                while len(commits) < commits_first and child.poll() is None and time.monotonic() < deadline:
                    commit_event.wait(0.05)
            # The next frame's first half is written right after the commit is printed, then the writer
            # pauses: most kills within 1.5 pauses land between the halves.
            time.sleep(self.rng.uniform(0, 1.5 * pause if pause else 0.5) / 1000)
        elif mode in ("startup", "recovery"):
            # Within process start, runtime set-up, opening and recovering the log.
            size = os.path.getsize(self.log)
            time.sleep(self.rng.uniform(0, 3 + size / 400_000) / 1000)
        else:
            time.sleep(self.rng.choice([0.01, 0.05, 0.2]) * self.rng.random())

        killed = False
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
        code = child.wait()
        if code == -signal.SIGKILL:
            killed = True
            self.kills += 1
            self.kills_by_mode[mode] = self.kills_by_mode.get(mode, 0) + 1
        reader.join(5)
        feeder.join(5)
        try:
            child.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        with open(stderr_path, "rb") as f:
            stderr = f.read().decode(errors="replace")
        if not killed:
            if code != 0:
                raise Failure("append (%s, batch %d) exited %d before the kill: %s" % (mode, batch, code, stderr))
            self.normal_exits += 1
        if "recovered from an interrupted append" in stderr:
            self.torn_recovered += 1

        # What the child acknowledged: contiguous ranges from `start`, each at most one batch.
        expected_first = start
        for raw in commits:
            match = re.match(rb"^committed (\d+)-(\d+)\n$", raw)
            if not match:
                if raw.endswith(b"\n"):
                    if raw.strip().isdigit():
                        continue  # the last seq, printed by a child that reached the end of its input
                    raise Failure("append printed an unexpected line %r" % raw)
                continue  # cut off by the kill (cannot happen: one write of < PIPE_BUF bytes)
            first, last = int(match.group(1)), int(match.group(2))
            if first != expected_first or last < first or last - first + 1 > batch:
                raise Failure("append acknowledged %d-%d, expected a range of at most %d from %d" % (
                    first, last, batch, expected_first))
            self.acknowledged += last - first + 1
            self.last_acked = last
            expected_first = last + 1

        if self.options.inject_fault:
            self.inject_fault()
        # After the kill: sound or a torn tail; nothing acknowledged lost; every new event intact.
        report = self.verify(self.log, context="after kill (%s, batch %d)" % (mode, batch))
        last = report["last_seq"] or 0
        if last < self.last_acked:
            raise Failure("after kill (%s): last seq %d < last acknowledged %d: acknowledged events lost" % (
                mode, last, self.last_acked))
        self.unacked_survivors += max(0, last - max(self.last_acked, start - 1))
        torn = (report.get("problem") or {}).get("kind") == "torn_tail"
        if torn:
            self.torn_seen += 1
            self.torn_by_mode[mode] = self.torn_by_mode.get(mode, 0) + 1
        self.torn_pending = torn
        self.torn_offset = report["problem"]["offset"] if torn else None
        self.last_seq = last
        self.check_range(self.log, start, last, context="after kill (%s): events of this run" % mode)
        if last > 1:
            first = self.rng.randint(1, last)
            self.check_range(self.log, first, min(last, first + 200), context="sample after kill")
        return killed

    def inject_fault(self):
        """Damages the log on purpose (--inject-fault), to show that the checks catch it."""
        with open(self.log, "r+b") as f:
            data = f.read()
            frames = frames_of(data)
            if not frames:
                return
            if self.options.inject_fault == "drop-last-frame":
                f.truncate(frames[-1][0])  # a clean log that lacks the last frame's events
            else:
                offset, length, _, _ = self.rng.choice(frames)
                f.seek(offset + self.rng.randrange(length))
                f.write(b"\xa5")

    # -- repair on a copy -------------------------------------------------------------------------

    def repair_round(self):
        """Kills `parley repair` on a copy of the log that has a torn tail or a flipped byte."""
        copy = os.path.join(self.work, "repair.log")
        for name in os.listdir(self.work):
            if name.startswith("repair.log"):
                os.unlink(os.path.join(self.work, name))
        shutil.copyfile(self.log, copy)
        with open(copy, "rb") as f:
            data = bytearray(f.read())
        # Expected outcome: the cut offset and the last seq left.
        report = self.verify(copy, context="repair copy")
        last_before = report["last_seq"] or 0
        frames = [frame for frame in frames_of(data) if frame[2] + frame[3] - 1 <= last_before]
        valid_end = self.torn_offset if self.torn_pending else len(data)
        if frames and self.rng.random() < 0.5:
            offset, length, first_seq, _ = self.rng.choice(frames)
            at = offset + self.rng.randrange(length)
            data[at] ^= 1 << self.rng.randrange(8)
            cut, last_after, what = offset, first_seq - 1, "flipped bit at %d" % at
        else:
            if not self.torn_pending:
                data += bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 300)))
            cut, last_after, what = valid_end, last_before, "torn tail"
        with open(copy, "wb") as f:
            f.write(data)
        if cut == len(data):
            return
        self.repairs += 1
        process = subprocess.Popen([self.release, "repair", "--log", copy], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        if self.rng.random() < 0.8:
            time.sleep(self.rng.uniform(0, 3 + len(data) / 300_000) / 1000)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
        out, err = process.communicate()
        if process.returncode == -signal.SIGKILL:
            self.repair_kills += 1
            self.kills += 1
            self.kills_by_mode["repair"] = self.kills_by_mode.get("repair", 0) + 1
        elif process.returncode != 0:
            raise Failure("repair (%s) exited %d: %s" % (what, process.returncode, err.decode(errors="replace")))
        # Killed or not, the copy is the original or cut at the damage: finish with a second repair.
        with open(copy, "rb") as f:
            now = f.read()
        if now != bytes(data) and now != bytes(data[:cut]):
            raise Failure("repair (%s) killed: the copy is neither unchanged nor cut at %d (size %d)" % (
                what, cut, len(now)))
        done = run([self.release, "repair", "--log", copy])
        if done.returncode != 0:
            raise Failure("second repair (%s) exited %d: %s" % (what, done.returncode, done.stderr.decode()))
        with open(copy, "rb") as f:
            now = f.read()
        if now != bytes(data[:cut]):
            raise Failure("repair (%s): expected the copy cut at %d, size is %d" % (what, cut, len(now)))
        saved = [n for n in os.listdir(self.work) if n.startswith("repair.log.cut-%d" % cut)]
        # A saved copy is the log's 64-byte header, then the bytes cut.
        if not any(open(os.path.join(self.work, n), "rb").read() == bytes(data[:64] + data[cut:]) for n in saved):
            raise Failure("repair (%s): no saved copy holds the %d bytes cut at %d" % (what, len(data) - cut, cut))
        report = self.verify(copy, context="after repair (%s)" % what, allow_torn=False)
        if (report["last_seq"] or 0) != last_after:
            raise Failure("after repair (%s): last seq %s, expected %d" % (what, report["last_seq"], last_after))
        if last_after:
            first = self.rng.randint(1, last_after)
            self.check_range(copy, first, min(last_after, first + 200), context="after repair (%s)" % what)

    # -- driver ---------------------------------------------------------------------------------

    def run(self):
        options = self.options
        started = time.monotonic()
        self.new_log()
        while self.kills < options.kills:
            if options.duration and time.monotonic() - started > options.duration:
                break
            self.iterations += 1
            self.append_round()
            if self.rng.random() < 0.08:
                self.repair_round()
            if os.path.getsize(self.log) > options.max_log_mib << 20:
                self.retire_log()
                self.new_log()
            if options.verbose or self.iterations % 50 == 0:
                print("  %d kills, %d iterations, %d events acknowledged, %d checked, %.0f s" % (
                    self.kills, self.iterations, self.acknowledged, self.checked, time.monotonic() - started),
                    flush=True)
        self.retire_log()
        return time.monotonic() - started

    def summary(self, seconds):
        modes = ", ".join("%s %d" % item for item in sorted(self.kills_by_mode.items()))
        lines = [
            "kill loop summary (seed %d, %.0f s)" % (self.options.seed, seconds),
            "  kills done              %d (%s)" % (self.kills, modes or "none"),
            "  append runs             %d (%d ended normally before the kill)" % (self.iterations, self.normal_exits),
            "  acknowledged events     %d" % self.acknowledged,
            "  unacknowledged kept     %d (written whole before the kill; allowed)" % self.unacked_survivors,
            "  events checked          %d (byte for byte against what was sent)" % self.checked,
            "  torn tails seen         %d (%s)" % (self.torn_seen, ", ".join(
                "after %s %d" % item for item in sorted(self.torn_by_mode.items())) or "none"),
            "  torn tails recovered    %d (cut by the next append)" % self.torn_recovered,
            "  repairs on copies       %d (%d killed)" % (self.repairs, self.repair_kills),
            "  logs                    %d" % self.generation,
            "  failures                %d" % len(self.failures),
        ]
        return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(
        description="Kill `parley append` (and `parley repair`) with SIGKILL at random moments and check that "
                    "every acknowledged event survives byte for byte.",
        epilog="Exit status: 0 no failure; 1 a check failed (work directory kept); 2 build or set-up error.")
    parser.add_argument("--kills", type=int, default=1000, help="number of SIGKILLs to deliver (default 1000)")
    parser.add_argument("--quick", action="store_true", help="50 kills (for CI)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random, printed)")
    parser.add_argument("--duration", type=float, default=None,
                        help="stop after this many seconds even if fewer kills were done")
    parser.add_argument("--max-log-mib", type=int, default=64,
                        help="check a log fully and start a new one when it passes this size (default 64)")
    parser.add_argument("--no-build", action="store_true", help="use the binaries already built")
    parser.add_argument("--no-mid-frame", action="store_true",
                        help="no debug build, so no kills between the two halves of a frame write")
    parser.add_argument("--workdir", help="directory for the logs (default: a new temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--inject-fault", choices=["drop-last-frame", "overwrite-byte"],
                        help="damage the log after every kill, to check that the checks fail (they must)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print progress after every append run")
    options = parser.parse_args()
    if options.quick:
        options.kills = 50
    if options.seed is None:
        options.seed = random.SystemRandom().randrange(1 << 31)

    def binary(configuration):
        if not options.no_build:
            return build(configuration)
        flags = ["-c", "release"] if configuration == "release" else []
        return os.path.join(subprocess.run(["swift", "build"] + flags + ["--show-bin-path"], cwd=REPO, check=True,
                                           stdout=subprocess.PIPE, text=True).stdout.strip(), "parley")

    try:
        release = binary("release")
        debug = None if options.no_mid_frame else binary("debug")
    except (OSError, subprocess.CalledProcessError) as error:
        print("kill-loop: %s" % error, file=sys.stderr)
        return 2
    loop = KillLoop(options, release, debug)
    print("kill loop: %d kills, seed %d, work directory %s" % (options.kills, options.seed, loop.work), flush=True)
    started = time.monotonic()
    try:
        seconds = loop.run()
    except Failure as failure:
        loop.failures.append(str(failure))
        seconds = time.monotonic() - started
    print(loop.summary(seconds))
    if loop.failures:
        for failure in loop.failures:
            print("FAILURE: " + failure, file=sys.stderr)
        print("work directory kept: %s" % loop.work, file=sys.stderr)
        return 1
    if options.keep or options.workdir:
        print("work directory kept: %s" % loop.work)
    else:
        shutil.rmtree(loop.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
