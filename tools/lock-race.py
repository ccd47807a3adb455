#!/usr/bin/env python3
"""Lock race: two `parley append` processes try to become the writer of one log at the same instant,
round after round (issue #5).

Usage:
  python3 tools/lock-race.py [--rounds N | --quick] [--seed S] [--no-build] [--keep] [-v]

What "exactly one wins" means here. A writer takes the log's exclusive `flock` without blocking and, if
it is held, retries 24 times 10 ms apart (about 250 ms: long enough to ride out a reader's lock probe
or a child another thread is spawning, which holds copies of every descriptor until its exec; short
enough that a second writer fails "at once" in human terms), then exits 75. One `parley append`
holds the lock from opening the log to its exit. So when two start together:

  - at no moment do two processes hold the writer lock of the log;
  - each process either appends its whole batch exactly once (exit 0, "committed A-B" on stdout) or
    exits 75 ("another writer holds the log") having written nothing;
  - at least one of the two wins; both win only one after the other, when the first finished within
    the second's ~250 ms of retries;
  - the log afterwards holds exactly the winners' events, in the order of their sequence numbers,
    dense from 1, and `parley verify` passes.

Each round forks two children that block on a shared pipe (the start barrier) and `exec` parley
the moment the parent closes it. Rounds come in three kinds:

  - instant:   both read their batch (1-3 events) from a file, so each holds the lock for one short
               append; the loser exits 75 or, if the winner was quick, wins after it;
  - staggered: as instant, but the second child is released 0-60 ms after the first, inside the
               retry window;
  - hold:      both read from a pipe the parent fills only after 400 ms, so the winner holds the lock
               while it waits for input, longer than the retries last: the loser must give up (exit 75)
               unless it started more than ~150 ms late.

While the children run, the parent samples /proc/locks and counts the processes holding an exclusive
flock on the log's inode: never more than 1. (A sample is judged only when the whole listing fits one page:
a longer one is produced in parts and can show a released lock beside its successor.) After every round the winners' "committed A-B" ranges must be
disjoint and continue the log; every 10 rounds `parley verify --json` must pass with the expected last
seq; every 100 rounds and at the end, `parley dump` must give back exactly the events of the winners.

Exits 0 when no check failed, 1 on a failure (the work directory is kept), 2 on a build or set-up error.
Python 3 standard library only; Linux (fork, /proc/locks).
"""

import argparse
import collections
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCKED_EXIT = 75
HOLD_MS = 400
STAGGER_MAX_MS = 60


class Failure(Exception):
    """A check failed."""


def build():
    """Builds `parley` in release mode with SwiftPM and returns the binary's path."""
    print("building parley (release): swift build -c release --product parley", flush=True)
    started = time.monotonic()
    done = subprocess.run(["swift", "build", "-c", "release", "--product", "parley"], cwd=REPO,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout)
        raise SystemExit(2)
    print("  built in %.1f s" % (time.monotonic() - started), flush=True)
    return release_binary()


def release_binary():
    path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=REPO, check=True,
                          stdout=subprocess.PIPE, text=True).stdout.strip()
    return os.path.join(path, "parley")


def event_line(round_number, who, index):
    """The JSON line (no newline) of event `index` of process `who` in round `round_number`."""
    return ('{"type":"note_added","at":"2026-03-02T10:00:00Z","conversation":"race-%d",'
            '"author":"agent:%s","body":"round %d process %s event %d"}') % (
                round_number, who, round_number, who, index)


class Child:
    """One `parley append` of a round."""

    def __init__(self, who, lines):
        self.who = who
        self.lines = lines
        self.pid = None
        self.status = None
        self.exited_at = None
        self.stdin_write = None  # hold rounds: the parent's end of the child's stdin pipe


class LockRace:
    def __init__(self, options, binary):
        self.options = options
        self.binary = binary
        self.rng = random.Random(options.seed)
        self.work = tempfile.mkdtemp(prefix="parley-lock-race.")
        self.log = os.path.join(self.work, "race.log")
        self.model = []  # the expected events, in seq order: (round, who, index)
        self.outcomes = collections.Counter()  # (kind, outcome)
        self.lock_samples = 0
        self.samples_held = 0
        self.max_holders = 0
        self.holder_pids_seen = 0
        self.samples_too_long = 0
        self.loser_exit_ms = []
        self.verifies = 0
        self.dumps = 0

    # -- one round --------------------------------------------------------------------------------

    def spawn(self, child, go_read, go_write_ends, stdin_fd):
        out = os.open(self.out_path(child), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        err = os.open(self.err_path(child), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        pid = os.fork()
        if pid == 0:  # the child: wait at the barrier, then become parley
            try:
                for fd in go_write_ends:
                    os.close(fd)
                os.read(go_read, 1)  # returns b"" once every write end is closed
                os.dup2(stdin_fd, 0)
                os.dup2(out, 1)
                os.dup2(err, 2)
                os.execv(self.binary, [self.binary, "append", "--log", self.log, "--print-commits"])
            finally:
                os._exit(127)
        os.close(out)
        os.close(err)
        child.pid = pid

    def out_path(self, child):
        return os.path.join(self.work, "out-%s" % child.who)

    def err_path(self, child):
        return os.path.join(self.work, "err-%s" % child.who)

    def sample_locks(self, lock_id, children):
        """Counts the processes holding an exclusive flock on the log (`lock_id` is /proc/locks' dev:inode).

        The kernel lists the locks under its lock one page of output per read(2): a listing that takes more
        than one read is made in parts and can show a lock twice, or a released one beside its successor,
        so such samples are counted, not judged.
        """
        try:
            fd = os.open("/proc/locks", os.O_RDONLY)
            try:
                first = os.read(fd, 1 << 20)
                more = os.read(fd, 1 << 20)
            finally:
                os.close(fd)
        except OSError:
            return
        if more or len(first) > 4096 - 200:  # not listed in one go (a line is well under 200 bytes)
            self.samples_too_long += 1
            return
        text = first.decode(errors="replace")
        holders = set()
        for line in text.splitlines():
            fields = line.split()
            if len(fields) < 6 or "->" in fields or fields[1] != "FLOCK" or fields[3] != "WRITE":
                continue
            if fields[5] == lock_id:
                holders.add(int(fields[4]))
        self.lock_samples += 1
        if holders:
            self.samples_held += 1
            if holders & {c.pid for c in children}:
                self.holder_pids_seen += 1
        self.max_holders = max(self.max_holders, len(holders))
        if len(holders) > 1:
            raise Failure("%d processes hold the writer lock at once: %s\n%s" % (len(holders), sorted(holders), text))

    def run_round(self, number):
        kind = self.rng.choices(["instant", "staggered", "hold"], weights=[2, 1, 1])[0]
        children = [Child(who, [event_line(number, who, i) for i in range(self.rng.randint(1, 3))])
                    for who in ("a", "b")]
        self.rng.shuffle(children)  # which one is forked (and, staggered, released) first
        gates = [os.pipe() for _ in range(2 if kind == "staggered" else 1)]
        write_ends = [w for _, w in gates]
        stdin_fds = []
        for index, child in enumerate(children):
            data = ("\n".join(child.lines) + "\n").encode()
            if kind == "hold":
                read_end, child.stdin_write = os.pipe()
                stdin_fds.append(read_end)
            else:
                path = os.path.join(self.work, "in-%s" % child.who)
                with open(path, "wb") as f:
                    f.write(data)
                stdin_fds.append(os.open(path, os.O_RDONLY))
            go_read = gates[min(index, len(gates) - 1)][0]
            self.spawn(child, go_read, write_ends + [c.stdin_write for c in children if c.stdin_write], stdin_fds[-1])
        for read_end, _ in gates:
            os.close(read_end)
        for fd in stdin_fds:
            os.close(fd)

        info = os.stat(self.log)
        lock_id = "%02x:%02x:%d" % (os.major(info.st_dev), os.minor(info.st_dev), info.st_ino)
        released = time.monotonic()
        os.close(gates[0][1])
        if kind == "staggered":
            time.sleep(self.rng.uniform(0, STAGGER_MAX_MS) / 1000)
            os.close(gates[1][1])
        fed = kind != "hold"
        deadline = released + 30
        while any(c.status is None for c in children):
            now = time.monotonic()
            if now > deadline:
                for c in children:
                    if c.status is None:
                        os.kill(c.pid, 9)
                raise Failure("round %d (%s): a writer did not finish within 30 s" % (number, kind))
            if not fed and now - released >= HOLD_MS / 1000:
                for c in children:
                    try:
                        os.write(c.stdin_write, ("\n".join(c.lines) + "\n").encode())
                    except BrokenPipeError:
                        pass  # it gave up already
                    os.close(c.stdin_write)
                fed = True
            self.sample_locks(lock_id, children)
            for c in children:
                if c.status is None:
                    pid, status = os.waitpid(c.pid, os.WNOHANG)
                    if pid:
                        c.status = status
                        c.exited_at = time.monotonic()
            time.sleep(0.0005)
        self.check_round(number, kind, children, released)

    def check_round(self, number, kind, children, released):
        winners = []
        for c in children:
            code = os.waitstatus_to_exitcode(c.status)
            with open(self.out_path(c), "rb") as f:
                out = f.read().decode()
            with open(self.err_path(c), "rb") as f:
                err = f.read().decode(errors="replace")
            where = "round %d (%s), process %s" % (number, kind, c.who)
            if code == 0:
                match = re.match(r"^committed (\d+)-(\d+)\n(\d+)\n$", out)
                if not match:
                    raise Failure("%s: exit 0 but stdout %r" % (where, out))
                first, last = int(match.group(1)), int(match.group(2))
                if last - first + 1 != len(c.lines) or int(match.group(3)) != last:
                    raise Failure("%s: committed %d-%d for a batch of %d" % (where, first, last, len(c.lines)))
                winners.append((first, last, c))
            elif code == LOCKED_EXIT:
                if out or "another writer" not in err:
                    raise Failure("%s: exit 75 with stdout %r, stderr %r" % (where, out, err))
                self.loser_exit_ms.append((c.exited_at - released) * 1000)
            else:
                raise Failure("%s: exit %d: %s" % (where, code, err.strip()))
        if not winners:
            raise Failure("round %d (%s): neither process won the lock" % (number, kind))
        winners.sort(key=lambda w: w[0])
        for first, last, c in winners:
            if first != len(self.model) + 1:
                raise Failure("round %d (%s): process %s committed %d-%d, expected to start at %d" % (
                    number, kind, c.who, first, last, len(self.model) + 1))
            self.model.extend((number, c.who, i) for i in range(len(c.lines)))
        self.outcomes[(kind, "one won, one exited 75" if len(winners) == 1 else "both won, one after the other")] += 1

    # -- checks of the whole log ------------------------------------------------------------------

    def verify(self):
        done = subprocess.run([self.binary, "verify", "--log", self.log, "--json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        self.verifies += 1
        if done.returncode != 0:
            raise Failure("verify exited %d: %s" % (done.returncode, done.stderr.decode(errors="replace")))
        report = json.loads(done.stdout)
        if not report["ok"] or report["problem"] is not None or (report["last_seq"] or 0) != len(self.model) \
                or report["events"] != len(self.model):
            raise Failure("verify: %s, expected %d events" % (done.stdout.decode().strip(), len(self.model)))

    def check_dump(self):
        done = subprocess.run([self.binary, "dump", "--log", self.log], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        self.dumps += 1
        if done.returncode != 0:
            raise Failure("dump exited %d: %s" % (done.returncode, done.stderr.decode(errors="replace")))
        lines = done.stdout.decode().splitlines()
        if len(lines) != len(self.model):
            raise Failure("dump: %d events, expected %d" % (len(lines), len(self.model)))
        for seq, (line, (number, who, index)) in enumerate(zip(lines, self.model), start=1):
            event = json.loads(line)
            expected = json.loads(event_line(number, who, index))
            event_seq = event.pop("seq")
            event.pop("recorded_at")
            if event_seq != seq or event != expected:
                raise Failure("dump: seq %d is %s, expected %s" % (seq, line, expected))

    # -- driver -----------------------------------------------------------------------------------

    def run(self):
        started = time.monotonic()
        done = subprocess.run([self.binary, "init", "--log", self.log], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        if done.returncode != 0:
            raise Failure("init exited %d: %s" % (done.returncode, done.stderr.decode(errors="replace")))
        for number in range(1, self.options.rounds + 1):
            self.run_round(number)
            if number % 10 == 0:
                self.verify()
            if number % 100 == 0:
                self.check_dump()
            if self.options.verbose or number % 500 == 0:
                print("  %d rounds, %d events, %.0f s" % (number, len(self.model), time.monotonic() - started),
                      flush=True)
        self.verify()
        self.check_dump()
        return time.monotonic() - started

    def summary(self, seconds):
        lines = ["lock race summary (seed %d, %.0f s)" % (self.options.seed, seconds),
                 "  rounds                  %d" % sum(self.outcomes.values())]
        for kind in ("instant", "staggered", "hold"):
            for outcome in ("one won, one exited 75", "both won, one after the other"):
                lines.append("  %-9s %-29s %d" % (kind, outcome, self.outcomes[(kind, outcome)]))
        losers = sorted(self.loser_exit_ms)
        if losers:
            lines.append("  exit 75 after release   median %.0f ms, max %.0f ms (%d exits)" % (
                losers[len(losers) // 2], losers[-1], len(losers)))
        lines += [
            "  events appended         %d (every one checked in the final dump)" % len(self.model),
            "  /proc/locks samples     %d, %d with the lock held (%d by a racer), most holders at once: %d" % (
                self.lock_samples, self.samples_held, self.holder_pids_seen, self.max_holders),
            "                          (%d more not judged: the listing was over a page)" % self.samples_too_long,
            "  verify / dump checks    %d / %d" % (self.verifies, self.dumps),
        ]
        return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(
        description="Race two `parley append` processes for the writer lock of one log, round after round.",
        epilog="Exit status: 0 no failure; 1 a check failed (work directory kept); 2 build or set-up error.")
    parser.add_argument("--rounds", type=int, default=5000, help="rounds to run (default 5000)")
    parser.add_argument("--quick", action="store_true", help="200 rounds (for CI)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random, printed)")
    parser.add_argument("--no-build", action="store_true", help="use the release binary already built")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("-v", "--verbose", action="store_true", help="print progress after every round")
    options = parser.parse_args()
    if options.quick:
        options.rounds = 200
    if options.seed is None:
        options.seed = random.SystemRandom().randrange(1 << 31)
    try:
        binary = release_binary() if options.no_build else build()
    except (OSError, subprocess.CalledProcessError) as error:
        print("lock-race: %s" % error, file=sys.stderr)
        return 2
    if not os.access(binary, os.X_OK):
        print("lock-race: no binary at %s" % binary, file=sys.stderr)
        return 2
    race = LockRace(options, binary)
    print("lock race: %d rounds, seed %d, work directory %s" % (options.rounds, options.seed, race.work), flush=True)
    started = time.monotonic()
    try:
        seconds = race.run()
    except Failure as failure:
        print(race.summary(time.monotonic() - started))
        print("FAILURE: %s" % failure, file=sys.stderr)
        print("work directory kept: %s" % race.work, file=sys.stderr)
        return 1
    print(race.summary(seconds))
    if options.keep:
        print("work directory kept: %s" % race.work)
    else:
        shutil.rmtree(race.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
