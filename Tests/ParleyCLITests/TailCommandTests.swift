import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `parley tail`: committed events only, in order, each once, while writers append, crash and recover.
@Suite("tail", .dedicatedThread)
struct TailCommandTests {
    /// A log of 10 mixed events in frames of seq 1–3, 4–6, 7–9, 10.
    static func tenEventLog() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.mixed(10), batchSize: 3)
        return sandbox
    }

    /// Waits until the log at `path` holds bytes after its last complete frame (a frame being written),
    /// and returns its complete frames.
    static func waitForPartialFrame(in path: String, after lastSeq: UInt64) -> [LogFile.FrameInfo]? {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let bytes = try? ParleyProcess.readBytes(path) {
                let frames = LogFile.frames(bytes)
                if frames.last?.lastSeq == lastSeq, let end = frames.last?.end, bytes.count > end { return frames }
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return nil
    }

    // MARK: Following a growing log

    @Test(
        "tail --follow --from-seq 1 while several appenders add 200,000 events in batches of many sizes: its output is dump's, byte for byte, and SIGTERM ends it with 0",
        .timeLimit(.minutes(6)))
    func followWhileSeveralAppendersWriteEqualsDump() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let follower = try sandbox.follow(["tail", "--log", sandbox.log, "--follow", "--from-seq", "1"])
        #expect(follower.waitUntilWatching())
        let lines = EventLines.mixed(200_000)
        // One `parley append` process after another (one writer at a time), each with its own batch size.
        let plan: [(events: Int, batchSize: Int)] = [
            (1_500, 1), (3_000, 3), (6_000, 17), (20_000, 250), (9_500, 7), (60_000, 4_096), (100_000, 20_000),
        ]
        #expect(plan.reduce(0) { $0 + $1.events } == lines.count)
        var next = 0
        for (events, batchSize) in plan {
            let appended = try sandbox.append(Array(lines[next..<(next + events)]), batchSize: batchSize)
            next += events
            #expect(appended.stdoutText == "\(next)\n")
        }
        #expect(follower.waitForLines(lines.count, timeout: .seconds(240)), "\(follower.lineCount) lines arrived")
        let run = follower.stop(with: SIGTERM)
        #expect(run.succeeded, "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
        let dump = try sandbox.run(["dump", "--log", sandbox.log])
        #expect(dump.succeeded)
        let difference = TailOutput.difference(run.stdout, dump.stdout)
        #expect(difference == nil)
    }

    @Test(
        "A writer killed with -9 halfway through a frame: the follower emits none of it; the next append cuts the torn tail and the follower goes on with no gap and no duplicate",
        .timeLimit(.minutes(2)))
    func writerKilledMidFrame() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.mixed(100), batchSize: 10)
        let follower = try sandbox.follow(["tail", "--log", sandbox.log, "--follow"])
        #expect(follower.waitForLines(100))

        // One frame of seq 101–105, written in two halves 2 s apart; the writer is killed during the pause.
        let writer = try sandbox.start(
            ["append", "--log", sandbox.log], environment: ["PARLEY_DEBUG_PAUSE_MID_FRAME_MS": "2000"])
        try writer.send(lines: EventLines.notes(5, from: 1001, bodyBytes: 300))
        writer.closeInput()
        let frames = try #require(Self.waitForPartialFrame(in: sandbox.log, after: 100), "no half-written frame")
        kill(writer.pid, SIGKILL)
        let killed = try writer.finish()
        #expect(!killed.exitedNormally, "\(killed)")
        let torn = try sandbox.bytes().count - frames.last!.end
        #expect(torn > 0)

        // Give the follower every chance to emit the torn frame's events.
        Thread.sleep(forTimeInterval: 0.5)
        #expect(follower.lineCount == 100)
        #expect(TailOutput.seqs(follower.lines) == Array(1...100))

        let next = try sandbox.run(
            ["append", "--log", sandbox.log, "--batch-size", "4"],
            stdin: EventLines.input(EventLines.notes(10, from: 2001)))
        #expect(next.succeeded, "\(next)")
        #expect(next.stdoutText == "110\n")
        #expect(next.stderrText.contains("recovered from an interrupted append"), "\(next)")
        #expect(next.stderrText.contains("cut \(torn) bytes"), "\(next)")
        #expect(follower.waitForLines(110))
        Thread.sleep(forTimeInterval: 0.2)
        let run = follower.stop(with: SIGTERM)
        #expect(run.succeeded, "\(run)")
        #expect(TailOutput.seqs(run.stdoutLines) == Array(1...110))
        #expect(!run.stdoutText.contains("note 1001"), "an event of the killed frame was emitted")
        #expect(
            run.stdoutLines.count > 100 && run.stdoutLines[100].contains(#""body":"note 2001"#),
            "seq 101 is the first event appended after the cut")
        let dump = try sandbox.run(["dump", "--log", sandbox.log])
        let difference = TailOutput.difference(run.stdout, dump.stdout)
        #expect(difference == nil)
    }

    @Test(
        "The debug hook PARLEY_DEBUG_PAUSE_MID_FRAME_MS writes a frame in two halves with one pause between them",
        .timeLimit(.minutes(1)))
    func debugPauseHookPausesOncePerFrame() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let committed = try sandbox.bytes().count
        let result = try sandbox.run(
            ["append", "--log", sandbox.log], stdin: EventLines.input(EventLines.notes(5, from: 1, bodyBytes: 300)),
            environment: ["PARLEY_DEBUG_PAUSE_MID_FRAME_MS": "4000"])
        #expect(result.succeeded, "\(result)")
        let frame = try #require(try LogFile.frames(at: sandbox.log).first)
        #expect(frame.offset == committed)
        // One pause of 4 s; each further pause (say, for every half of what remains) adds 4 s more. The
        // pause is long so that the rest of the run (start-up, the sync) fits 4 s even on a busy machine.
        #expect(result.elapsed >= .seconds(4), "\(frame.length)-byte frame: append took \(result.elapsed)")
        #expect(result.elapsed < .seconds(60), "\(frame.length)-byte frame: append took \(result.elapsed)")
    }

    @Test("tail --follow --from-end emits nothing of what is there, then the new events", .timeLimit(.minutes(1)))
    func fromEndEmitsOnlyNewEvents() throws {
        let sandbox = try Self.tenEventLog()
        let follower = try sandbox.follow(["tail", "--log", sandbox.log, "--follow", "--from-end"])
        #expect(follower.waitUntilWatching())
        Thread.sleep(forTimeInterval: 0.3)
        #expect(follower.output.isEmpty)
        try sandbox.append(EventLines.notes(5, from: 11), batchSize: 2)
        #expect(follower.waitForLines(5))
        Thread.sleep(forTimeInterval: 0.2)
        let run = follower.stop(with: SIGTERM)
        #expect(run.succeeded, "\(run)")
        #expect(run.stdoutLines == Array(try sandbox.dump()[10...]))
    }

    @Test(
        "SIGINT and SIGTERM end tail --follow with exit 0 and everything written",
        arguments: [SIGINT, SIGTERM], [false, true])
    func stopSignalsEndFollowingCleanly(signal: Int32, busy: Bool) throws {
        let sandbox = try Self.tenEventLog()
        if busy { try sandbox.append(EventLines.notes(30_000, from: 11), batchSize: 5_000) }
        let follower = try sandbox.follow(["tail", "--log", sandbox.log, "--follow"])
        if busy {
            // Stop it in the middle of its output (or right after).
            #expect(follower.waitForLines(1))
        } else {
            // Idle: everything written, waiting for more.
            #expect(follower.waitForLines(10))
            #expect(follower.waitUntilWatching())
        }
        let run = follower.stop(with: signal)
        #expect(run.succeeded, "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
        #expect(run.stdout.last == 0x0A, "the output ends with a whole line")
        let all = try sandbox.dump()
        #expect(run.stdoutLines == Array(all.prefix(run.stdoutLines.count)), "a prefix of the log, in order")
        if !busy { #expect(run.stdoutLines.count == 10) }
    }

    // MARK: Without --follow

    @Test(
        "tail without --follow writes the committed events from the start asked for, as dump does, and exits",
        arguments: [
            ([String](), Array(1...10)), (["--from-seq", "1"], Array(1...10)), (["--from-seq", "5"], Array(5...10)),
            (["--from-seq", "10"], [10]), (["--from-seq", "11"], []), (["--from-seq", "999"], []), (["--from-end"], []),
        ])
    func withoutFollow(options: [String], expected: [Int]) throws {
        let sandbox = try Self.tenEventLog()
        let result = try sandbox.run(["tail", "--log", sandbox.log] + options)
        #expect(result.succeeded, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let all = try sandbox.dump()
        #expect(result.stdoutLines == expected.map { all[$0 - 1] })
        #expect(result.elapsed < .seconds(20))
    }

    @Test func tailOfAnEmptyLogWritesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        for format in ["jsonl", "binary"] {
            let result = try sandbox.run(["tail", "--log", sandbox.log, "--format", format])
            #expect(result.succeeded, "\(result)")
            #expect(result.stdout == (format == "binary" ? Array(try sandbox.bytes().prefix(64)) : []))
        }
    }

    @Test(
        "tail without --follow, while a frame is half written, writes the committed events only",
        .timeLimit(.minutes(1)))
    func withoutFollowSkipsAFrameBeingWritten() throws {
        let sandbox = try Self.tenEventLog()
        let committed = try sandbox.bytes()
        let writer = try sandbox.start(
            ["append", "--log", sandbox.log], environment: ["PARLEY_DEBUG_PAUSE_MID_FRAME_MS": "3000"])
        try writer.send(lines: EventLines.notes(20, from: 11, bodyBytes: 100))
        writer.closeInput()
        #expect(Self.waitForPartialFrame(in: sandbox.log, after: 10) != nil)
        let jsonl = try sandbox.run(["tail", "--log", sandbox.log])
        let binary = try sandbox.run(["tail", "--log", sandbox.log, "--format", "binary"])
        kill(writer.pid, SIGKILL)
        _ = try writer.finish()
        #expect(jsonl.succeeded, "\(jsonl)")
        #expect(TailOutput.seqs(jsonl.stdoutLines) == Array(1...10))
        #expect(binary.succeeded, "\(binary)")
        #expect(binary.stdout == committed, "the log's bytes up to the last committed frame")
    }

    // MARK: --format binary

    @Test func binaryFromTheStartIsTheLogFileByteForByte() throws {
        let sandbox = try Self.tenEventLog()
        let log = try sandbox.bytes()
        for options in [[], ["--from-seq", "1"]] {
            let result = try sandbox.run(["tail", "--log", sandbox.log, "--format", "binary"] + options)
            #expect(result.succeeded, "\(result)")
            #expect(result.stdout == log)
        }
    }

    @Test(
        "tail --format binary --from-seq N writes the header, then whole frames from the one holding N",
        arguments: [(1, 0), (3, 0), (4, 1), (5, 1), (9, 2), (10, 3), (11, 4), (500, 4)])
    func binaryFromASeq(fromSeq: Int, firstFrame: Int) throws {
        let sandbox = try Self.tenEventLog()
        let log = try sandbox.bytes()
        let frames = LogFile.frames(log)
        let start = firstFrame < frames.count ? frames[firstFrame].offset : log.count
        let result = try sandbox.run(
            ["tail", "--log", sandbox.log, "--format", "binary", "--from-seq", String(fromSeq)])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdout == Array(log[0..<64] + log[start...]))
    }

    @Test(
        "tail --follow --format binary while appends go on writes the log file byte for byte",
        .timeLimit(.minutes(1)))
    func binaryFollowIsTheLogFile() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let follower = try sandbox.follow(["tail", "--log", sandbox.log, "--follow", "--format", "binary"])
        #expect(follower.waitUntilWatching())
        for (round, batchSize) in [1, 3, 50, 7].enumerated() {
            try sandbox.append(EventLines.notes(60, from: round * 60 + 1, bodyBytes: round * 500), batchSize: batchSize)
        }
        let size = try sandbox.bytes().count
        #expect(follower.wait { $0.output.count >= size })
        let run = follower.stop(with: SIGTERM)
        #expect(run.succeeded, "\(run)")
        #expect(run.stdout == (try sandbox.bytes()))
    }

    // MARK: A reader that goes away

    @Test(
        "tail exits 0 when its stdout is closed (piped to head -n 1), following or not",
        .timeLimit(.minutes(2)),
        arguments: [false, true])
    func closedStdoutIsAStopNotAnError(follow: Bool) throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        // Without --follow, enough output that it is still writing when head goes.
        try sandbox.append(EventLines.mixed(follow ? 10 : 50_000), batchSize: 10_000)
        let script = #"""
            log="$1"; shift
            { timeout 60 "$0" tail --log "$log" "$@"; echo "tail exit $?" >&2; } | head -n 1
            """#
        let result = try sandbox.shell(script, arguments: [sandbox.log] + (follow ? ["--follow"] : []))
        #expect(result.succeeded, "\(result)")
        #expect(result.stdoutLines == [try sandbox.dump()[0]])
        #expect(result.stderrText == "tail exit 0\n", "\(result)")
    }

    @Test("tail --follow exits 0 when its stdout reader goes away while it waits", .timeLimit(.minutes(1)))
    func closedStdoutWhileWaiting() throws {
        let sandbox = try Self.tenEventLog()
        let follower = try sandbox.follow(["tail", "--log", sandbox.log, "--follow"])
        #expect(follower.waitForLines(10))
        #expect(follower.waitUntilWatching())
        follower.closeOutput()
        let run = follower.finish(timeout: .seconds(20))
        #expect(run.succeeded, "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
    }

    // MARK: Errors

    @Test(
        "Usage errors exit 64 with the usage",
        arguments: [
            ["--from-seq", "2", "--from-end"], ["--auto-ack"], ["--auto-ack", "--follow"], ["--cursor", ".hidden"],
            ["--cursor", "a/b"], ["--cursor", ""], ["--format", "xml"], ["--from-seq", "x"], ["positional"],
            ["--no-such-option"],
        ])
    func usageErrors(options: [String]) throws {
        let sandbox = try Self.tenEventLog()
        let result = try sandbox.run(["tail", "--log", sandbox.log] + options)
        #expect(result.exitCode == 64, "\(options): \(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText.hasPrefix("Error: "), "\(result)")
        #expect(result.stderrText.contains("Usage: parley tail"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.log + ".cursors"))
    }

    @Test func aMissingLogIsExit66() throws {
        let sandbox = try Sandbox()
        for options in [[], ["--follow"]] {
            let result = try sandbox.run(["tail", "--log", sandbox.path("none.log")] + options)
            #expect(result.exitCode == 66, "\(result)")
            #expect(result.stdout.isEmpty)
        }
    }
}
