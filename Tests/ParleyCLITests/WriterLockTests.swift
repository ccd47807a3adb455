import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One writer per log across processes, and readers that run while a writer appends.
@Suite("Writer lock and concurrent readers", .dedicatedThread)
struct WriterLockTests {
    /// Waits until `writer` holds the exclusive lock on `log` (per /proc/locks, which takes no lock itself,
    /// so the probe cannot make the writer's own non-blocking `flock` fail).
    static func waitForLock(_ writer: RunningParley, on log: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            switch LogFile.exclusiveFlockHolder(of: log, pid: writer.pid) {
            case true?: return
            case nil:
                // No /proc/locks: give the writer ample time to open the log.
                Thread.sleep(forTimeInterval: 1)
                return
            case false?:
                #expect(writer.process.isRunning, "the first writer exited early", sourceLocation: sourceLocation)
                if !writer.process.isRunning { return }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        Issue.record("the first writer never took the lock", sourceLocation: sourceLocation)
    }

    @Test(
        "A second writer fails at once with 75 while the first waits for input; then the first succeeds",
        .timeLimit(.minutes(2)))
    func secondWriterIsRefused() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(2))
        let first = try sandbox.start(["append", "--log", sandbox.log])
        try first.send(lines: EventLines.notes(2, from: 3))
        try Self.waitForLock(first, on: sandbox.log)
        let before = try sandbox.bytes()

        let second = try sandbox.run(
            ["append", "--log", sandbox.log], stdin: EventLines.input(EventLines.notes(1, from: 100)))
        #expect(second.exitCode == 75, "\(second)")
        #expect(second.stderrText.contains("another writer"), "\(second)")
        #expect(second.stdout.isEmpty)
        #expect(second.elapsed < .seconds(30), "the second writer must not wait for the lock: \(second.elapsed)")
        #expect(try sandbox.bytes() == before)

        // repair needs the lock as well; readers do not.
        let repair = try sandbox.run(["repair", "--log", sandbox.log])
        #expect(repair.exitCode == 75, "\(repair)")
        let verify = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(verify.succeeded, "\(verify)")
        #expect(try sandbox.dump().count == 2)

        try first.send(lines: EventLines.notes(1, from: 5))
        let finished = try first.finish()
        #expect(finished.succeeded, "\(finished)")
        #expect(finished.stdoutText == "5\n")
        #expect(finished.stderrText.contains("seq 3–5"))

        // With the first writer gone, a new one gets the lock.
        let third = try sandbox.append(EventLines.notes(1, from: 6))
        #expect(third.stdoutText == "6\n")
    }

    @Test(
        "A writer killed with SIGKILL releases its lock; the next writer recovers and goes on",
        .timeLimit(.minutes(2)))
    func killedWriterReleasesTheLock() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(3))
        let writer = try sandbox.start(["append", "--log", sandbox.log, "--batch-size", "2"])
        try writer.send(lines: EventLines.notes(3, from: 4))
        try Self.waitForLock(writer, on: sandbox.log)
        // Wait for its first batch (seq 4–5) to be committed, then kill it mid-input.
        let deadline = ContinuousClock.now + .seconds(20)
        while try LogFile.frames(at: sandbox.log).count < 2, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(writer.pid, SIGKILL)
        let killed = try writer.finish()
        #expect(!killed.exitedNormally)

        let next = try sandbox.append(EventLines.notes(1, from: 7))
        #expect(next.stdoutText == "6\n", "seq 4–5 were committed, seq 6 never was: \(next)")
        let verified = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(verified.succeeded, "\(verified)")
    }

    @Test(
        "dump and verify, run again and again while another process appends small batches, see only whole frames",
        .timeLimit(.minutes(5)))
    func readersDuringAppends() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        // Bodies of ~1.5 KiB make frames that straddle page boundaries.
        let writer = try sandbox.start(["append", "--log", sandbox.log, "--batch-size", "3"])
        var dumps: [[String]] = []
        var sent = 0
        for round in 0..<25 {
            try writer.send(lines: EventLines.notes(12, from: sent + 1, bodyBytes: 1500 + round))
            sent += 12
            let dump = try sandbox.run(["dump", "--log", sandbox.log])
            #expect(dump.succeeded, "round \(round): \(dump)")
            #expect(dump.stderr.isEmpty, "round \(round): \(dump)")
            dumps.append(dump.stdoutLines)
            let verify = try sandbox.run(["verify", "--log", sandbox.log, "--json"])
            #expect(verify.succeeded, "round \(round): \(verify)")
            if verify.succeeded {
                let report = try TestJSON.parse(verify.stdoutText)
                #expect(report["problem"] == .null, "round \(round): \(verify)")
                #expect((report["events"]?.intValue ?? -1) % 3 == 0, "round \(round): events come in whole batches")
            }
        }
        let finished = try writer.finish()
        #expect(finished.succeeded, "\(finished)")
        #expect(finished.stdoutText == "\(sent)\n")

        let final = try sandbox.dump()
        #expect(final.count == sent)
        var previous = 0
        for (round, dump) in dumps.enumerated() {
            #expect(dump.count % 3 == 0, "round \(round): \(dump.count) events is not whole batches")
            #expect(dump.count >= previous, "round \(round): a reader saw fewer events than before")
            #expect(
                dump == Array(final.prefix(dump.count)), "round \(round): the dump is not a prefix of the final dump")
            previous = dump.count
        }
        #expect(dumps.contains { !$0.isEmpty && $0.count < sent }, "the readers never overlapped the appends")
    }
}
