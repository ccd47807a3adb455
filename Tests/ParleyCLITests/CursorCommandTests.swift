import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Consumer cursors: `parley ack`, `parley cursors`, and `tail --cursor` resuming after restarts.
@Suite("cursors", .dedicatedThread)
struct CursorCommandTests {
    /// A small seeded generator (SplitMix64), so the "random" stops are the same every run.
    struct SplitMix64 {
        var state: UInt64

        mutating func next(below bound: UInt64) -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (z ^ (z >> 31)) % bound
        }
    }

    /// A log of 10 mixed events in frames of seq 1–3, 4–6, 7–9, 10.
    static func tenEventLog() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.mixed(10), batchSize: 3)
        return sandbox
    }

    /// The lines of a run's output that are complete (a killed process may leave half a line).
    static func completeLines(_ run: ParleyRun) -> [String] {
        var lines = run.stdoutLines
        if let last = run.stdout.last, last != 0x0A { lines.removeLast() }
        return lines
    }

    // MARK: ack

    @Test func ackBeyondTheLastCommittedSeqIsExit65AndSavesNothing() throws {
        let sandbox = try Self.tenEventLog()
        for seq in ["11", "1000", "18446744073709551615"] {
            let result = try sandbox.run(["ack", "--log", sandbox.log, "c", seq])
            #expect(result.exitCode == 65, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderrText.contains("seq \(seq)"), "\(result)")
            #expect(result.stderrText.contains("seq 10"), "names the last committed seq: \(result)")
        }
        #expect(try TailOutput.cursor("c", of: sandbox.log) == nil)
        let last = try sandbox.run(["ack", "--log", sandbox.log, "c", "10"])
        #expect(last.succeeded, "\(last)")
        #expect(last.stdoutText == "c at seq 10 (lag 0)\n")
    }

    @Test func ackSavesAtomicallyAOneLineFileNamingTheLog() throws {
        let sandbox = try Self.tenEventLog()
        let result = try sandbox.run(["ack", "--log", sandbox.log, "indexer", "4"])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdoutText == "indexer at seq 4 (lag 6)\n")
        let path = sandbox.log + ".cursors/indexer"
        let logID = try TailOutput.logID(of: sandbox.log)
        #expect(try sandbox.bytes(path) == Array("parley-cursor 1 \(logID) 4\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.log + ".cursors") == ["indexer"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func ackThenTailWithTheCursorStartsRightAfterIt() throws {
        let sandbox = try Self.tenEventLog()
        let all = try sandbox.dump()
        #expect(try sandbox.run(["ack", "--log", sandbox.log, "c", "4"]).succeeded)
        for options in [[], ["--from-seq", "1"], ["--from-end"], ["--format", "jsonl"]] {
            let result = try sandbox.run(["tail", "--log", sandbox.log, "--cursor", "c"] + options)
            #expect(result.succeeded, "\(result)")
            #expect(result.stdoutLines == Array(all[4...]), "\(options): the saved position wins")
        }
        #expect(try TailOutput.cursor("c", of: sandbox.log) == 4, "without --auto-ack the cursor stays")

        // A lower SEQ rewinds; 0 means nothing processed yet.
        #expect(try sandbox.run(["ack", "--log", sandbox.log, "c", "8"]).succeeded)
        #expect(try sandbox.run(["tail", "--log", sandbox.log, "--cursor", "c"]).stdoutLines == Array(all[8...]))
        #expect(try sandbox.run(["ack", "--log", sandbox.log, "c", "2"]).succeeded)
        #expect(try sandbox.run(["tail", "--log", sandbox.log, "--cursor", "c"]).stdoutLines == Array(all[2...]))
        #expect(try sandbox.run(["ack", "--log", sandbox.log, "c", "0"]).succeeded)
        #expect(try sandbox.run(["tail", "--log", sandbox.log, "--cursor", "c"]).stdoutLines == all)
    }

    @Test func aCursorWithNoSavedPositionStartsWhereTheOptionsSay() throws {
        let sandbox = try Self.tenEventLog()
        let all = try sandbox.dump()
        let fromSeq = try sandbox.run(["tail", "--log", sandbox.log, "--cursor", "new", "--from-seq", "8"])
        #expect(fromSeq.stdoutLines == Array(all[7...]))
        let fromEnd = try sandbox.run(["tail", "--log", sandbox.log, "--cursor", "new", "--from-end"])
        #expect(fromEnd.succeeded)
        #expect(fromEnd.stdout.isEmpty)
        #expect(try sandbox.run(["tail", "--log", sandbox.log, "--cursor", "new"]).stdoutLines == all)
        #expect(!FileManager.default.fileExists(atPath: sandbox.log + ".cursors/new"))
    }

    @Test func autoAckWithoutFollowSavesTheLastSeqWritten() throws {
        let sandbox = try Self.tenEventLog()
        let first = try sandbox.run(["tail", "--log", sandbox.log, "--cursor", "c", "--auto-ack"])
        #expect(first.succeeded, "\(first)")
        #expect(TailOutput.seqs(first.stdoutLines) == Array(1...10))
        #expect(try TailOutput.cursor("c", of: sandbox.log) == 10)
        let again = try sandbox.run(["tail", "--log", sandbox.log, "--cursor", "c", "--auto-ack"])
        #expect(again.succeeded, "\(again)")
        #expect(again.stdout.isEmpty)
        try sandbox.append(EventLines.notes(3, from: 11))
        let third = try sandbox.run(["tail", "--log", sandbox.log, "--cursor", "c", "--auto-ack"])
        #expect(TailOutput.seqs(third.stdoutLines) == [11, 12, 13])
        #expect(try TailOutput.cursor("c", of: sandbox.log) == 13)
    }

    @Test(
        "ack usage errors exit 64",
        arguments: [
            [], ["c"], ["c", "x"], ["c", "-1"], ["c", "1.5"], [".c", "1"], ["a/b", "1"], ["", "1"],
            ["c", "1", "extra"],
            [String(repeating: "n", count: 65), "1"],
        ])
    func ackUsageErrors(arguments: [String]) throws {
        let sandbox = try Self.tenEventLog()
        let result = try sandbox.run(["ack", "--log", sandbox.log] + arguments)
        #expect(result.exitCode == 64, "\(arguments): \(result)")
        #expect(result.stderrText.contains("Usage: parley ack"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.log + ".cursors"))
    }

    @Test func ackAndCursorsOnAMissingLogAreExit66() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.run(["ack", "--log", sandbox.path("none.log"), "c", "1"]).exitCode == 66)
        #expect(try sandbox.run(["cursors", "--log", sandbox.path("none.log")]).exitCode == 66)
    }

    // MARK: cursors

    @Test func cursorsListsEveryCursorWithItsLagAsTextAndJSON() throws {
        let sandbox = try Self.tenEventLog()
        let none = try sandbox.run(["cursors", "--log", sandbox.log])
        #expect(none.succeeded, "\(none)")
        #expect(none.stdoutText == "no cursors (last seq 10)\n")
        let noneJSON = try sandbox.run(["cursors", "--log", sandbox.log, "--json"])
        #expect(noneJSON.stdoutText == #"{"last_seq":10,"cursors":[]}"# + "\n")

        for (name, seq) in [("search-indexer", "3"), ("billing", "10"), ("a", "0")] {
            #expect(try sandbox.run(["ack", "--log", sandbox.log, name, seq]).succeeded)
        }
        let text = try sandbox.run(["cursors", "--log", sandbox.log])
        #expect(text.succeeded, "\(text)")
        let rows = text.stdoutLines.map { $0.split(separator: " ").map(String.init) }
        #expect(
            rows == [
                ["name", "seq", "lag"], ["a", "0", "10"], ["billing", "10", "0"], ["search-indexer", "3", "7"],
            ],
            "\(text)")
        // Columns line up.
        let seqColumn = text.stdoutLines.map { line in line.count - line.drop { $0 != " " }.drop { $0 == " " }.count }
        #expect(Set(seqColumn).count == 1, "\(text)")

        let json = try sandbox.run(["cursors", "--log", sandbox.log, "--json"])
        #expect(json.succeeded, "\(json)")
        let report = try TestJSON.parse(json.stdoutText)
        func cursor(_ name: String, _ seq: Int, _ lag: Int) -> TestJSON {
            .object([
                .init(key: "name", value: .string(name)), .init(key: "seq", value: .number(String(seq))),
                .init(key: "lag", value: .number(String(lag))),
            ])
        }
        #expect(
            report
                == .object([
                    .init(key: "last_seq", value: .number("10")),
                    .init(
                        key: "cursors",
                        value: .array([cursor("a", 0, 10), cursor("billing", 10, 0), cursor("search-indexer", 3, 7)])),
                ]))

        // The lag follows the log.
        try sandbox.append(EventLines.notes(5, from: 11))
        let later = try TestJSON.parse(try sandbox.run(["cursors", "--log", sandbox.log, "--json"]).stdoutText)
        #expect(later["last_seq"]?.intValue == 15)
        #expect(
            later["cursors"] == .array([cursor("a", 0, 15), cursor("billing", 10, 5), cursor("search-indexer", 3, 12)]))
    }

    // MARK: A cursor of another log

    @Test func aCursorOfAnotherLogIsRefusedNamingThatLog() throws {
        let sandbox = try Self.tenEventLog()
        let other = sandbox.path("other.log")
        try sandbox.initLog(other)
        try sandbox.append(EventLines.notes(20), to: other)
        #expect(try sandbox.run(["ack", "--log", other, "c", "15"]).succeeded)
        // The cursor folder of the other log is copied over to this one.
        try FileManager.default.copyItem(atPath: other + ".cursors", toPath: sandbox.log + ".cursors")
        let otherID = try TailOutput.logID(of: other)
        let thisID = try TailOutput.logID(of: sandbox.log)
        let copied = try sandbox.bytes(sandbox.log + ".cursors/c")

        for follow in [false, true] {
            let tail = try sandbox.run(
                ["tail", "--log", sandbox.log, "--cursor", "c", "--auto-ack"] + (follow ? ["--follow"] : []))
            #expect(tail.exitCode == 1, "\(tail)")
            #expect(tail.stdout.isEmpty, "\(tail)")
            #expect(tail.stderrText.contains("another log"), "\(tail)")
            #expect(tail.stderrText.contains(otherID), "names the log the cursor belongs to: \(tail)")
            #expect(tail.stderrText.contains(thisID), "\(tail)")
        }
        let ack = try sandbox.run(["ack", "--log", sandbox.log, "c", "3"])
        #expect(ack.exitCode == 1, "\(ack)")
        #expect(ack.stderrText.contains(otherID), "\(ack)")
        let list = try sandbox.run(["cursors", "--log", sandbox.log])
        #expect(list.exitCode == 1, "\(list)")
        #expect(list.stderrText.contains(otherID), "\(list)")
        #expect(try sandbox.bytes(sandbox.log + ".cursors/c") == copied, "the foreign cursor was left alone")
        // The other log still uses it.
        let own = try sandbox.run(["tail", "--log", other, "--cursor", "c"])
        #expect(TailOutput.seqs(own.stdoutLines) == Array(16...20))
    }

    // MARK: Resuming across restarts

    /// How a run of the consumer ends.
    enum Stop: String, Sendable {
        case sigterm, sigint, sigkill
        /// The test closes its end of the pipe (once the follower is idle).
        case closedOutput
    }

    @Test(
        "tail --follow --cursor c --auto-ack stopped at random points and restarted while appends go on: the runs together deliver every event in order; a run repeats only events after the position saved when the last one stopped",
        .timeLimit(.minutes(6)))
    func resumingFromTheCursorDeliversEverythingAtLeastOnce() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let backlog = 20_000
        try sandbox.append(EventLines.mixed(backlog), batchSize: 500)
        // One writer for the whole test, committing every 7 events as its input arrives.
        let appender = try sandbox.start(["append", "--log", sandbox.log, "--batch-size", "7"])
        var sent = backlog
        var random = SplitMix64(state: 0x00C0_FFEE)
        var saved: UInt64 = 0  // what the cursor file said when the previous run stopped
        var highest: UInt64 = 0  // the highest seq delivered so far
        var delivered: [UInt64: String] = [:]  // seq → line, first delivery
        let stops: [Stop] = [
            .sigterm, .sigkill, .closedOutput, .sigint, .sigkill, .sigterm, .closedOutput, .sigkill, .sigint,
            .sigkill, .sigterm,
        ]
        for (round, stop) in stops.enumerated() {
            // A backlog before the consumer starts, and more events while it runs.
            let before = Int(random.next(below: 4_000)) + 200
            try appender.send(lines: EventLines.notes(before, from: sent + 1, bodyBytes: Int(random.next(below: 200))))
            sent += before
            let follower = try sandbox.follow([
                "tail", "--log", sandbox.log, "--follow", "--cursor", "c", "--auto-ack",
            ])
            let during = Int(random.next(below: 1_000)) + 1
            try appender.send(lines: EventLines.notes(during, from: sent + 1))
            sent += during
            let run: ParleyRun
            switch stop {
            case .closedOutput:
                // Only once idle: bytes left unread in a closed pipe are lost, and --auto-ack counts what it
                // wrote to the pipe as delivered.
                let committed = UInt64(backlog + (sent - backlog) / 7 * 7)
                #expect(
                    follower.wait { TailOutput.seq($0.lines.last ?? "") == committed },
                    "round \(round): the follower never caught up with seq \(committed)")
                #expect(
                    follower.wait { _ in (try? TailOutput.cursor("c", of: sandbox.log)) == committed },
                    "round \(round): the cursor never reached seq \(committed)")
                follower.closeOutput()
                run = follower.finish()
            case .sigterm, .sigint, .sigkill:
                // Once it has set up its signal handling (it wrote something, or it waits), at a random moment.
                follower.wait { $0.lineCount > 0 || $0.hasInotifyDescriptor() }
                Thread.sleep(forTimeInterval: Double(random.next(below: 150)) / 1000)
                run = follower.stop(with: stop == .sigterm ? SIGTERM : stop == .sigint ? SIGINT : SIGKILL)
            }
            let lines = Self.completeLines(run)
            let seqs = TailOutput.seqs(lines)
            let now = try TailOutput.cursor("c", of: sandbox.log) ?? 0
            let context =
                "round \(round) (\(stop)): saved \(saved) before, \(now) after; delivered \(seqs.first ?? 0)…\(seqs.last ?? 0)"
            if stop == .sigkill {
                #expect(!run.exitedNormally, "\(context): \(run)")
            } else {
                #expect(run.succeeded, "\(context): \(run)")
            }
            if let first = seqs.first {
                #expect(first == saved + 1, "\(context): a run starts right after the saved position")
                #expect(seqs == Array(first..<(first + UInt64(seqs.count))), "\(context): no gap, no duplicate")
            }
            #expect(now >= saved, "\(context): the cursor never goes back")
            #expect(now <= seqs.last ?? saved, "\(context): the cursor never passes what was delivered")
            if stop != .sigkill {
                #expect(now == seqs.last ?? saved, "\(context): a clean stop saves everything it wrote")
            }
            let repeated = seqs.filter { $0 <= highest }
            #expect(repeated.allSatisfy { $0 > saved }, "\(context): only events after the saved position repeat")
            for (seq, line) in zip(seqs, lines) {
                if let earlier = delivered[seq] {
                    #expect(earlier == line, "\(context): seq \(seq) came back different")
                } else {
                    delivered[seq] = line
                }
            }
            highest = max(highest, seqs.last ?? 0)
            saved = now
        }

        appender.closeInput()
        let appended = try appender.finish()
        #expect(appended.succeeded, "\(appended)")
        #expect(appended.stdoutText == "\(sent)\n")
        let final = try sandbox.follow(["tail", "--log", sandbox.log, "--follow", "--cursor", "c", "--auto-ack"])
        #expect(final.wait { TailOutput.seq($0.lines.last ?? "") == UInt64(sent) })
        let run = final.stop(with: SIGTERM)
        #expect(run.succeeded, "\(run)")
        let seqs = TailOutput.seqs(run.stdoutLines)
        #expect(seqs.first == saved + 1)
        for (seq, line) in zip(seqs, run.stdoutLines) where delivered[seq] == nil { delivered[seq] = line }
        #expect(try TailOutput.cursor("c", of: sandbox.log) == UInt64(sent))

        // Together: every event of the log, as dump writes it.
        let dump = try sandbox.dump()
        #expect(dump.count == sent)
        #expect(delivered.count == sent, "events never delivered: \(sent - delivered.count)")
        let mismatched = dump.enumerated().filter { delivered[UInt64($0.offset + 1)] != $0.element }.count
        #expect(mismatched == 0)
    }
}
