import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `parley rebuild` and the checkpoint it leaves: `kpi`, `queue` and `sla` answer the same with it as with
/// `--no-checkpoint`; a checkpoint that does not match is reported on stderr, never changes stdout, and is
/// written anew (only when the whole log was replayed).
@Suite(.dedicatedThread) struct CheckpointCommandTests {
    /// Two fixtures in one log (March, then April): reopens, pending episodes, owners, priorities.
    static func events() throws -> [String] {
        try ["reopen-fresh-clock", "pending-weekend-holiday"].flatMap { scenario in
            ParleyRun.lines(try SLAFixtures.text(scenario, "events.jsonl"))
        }
    }

    static func buildLog(_ sandbox: Sandbox) throws {
        try RecordedLog.write(RecordedLog.decode(Self.events().joined(separator: "\n")), to: sandbox.log)
    }

    /// The command lines compared, each with and without the checkpoint.
    static let views: [[String]] = [
        ["kpi", "--by", "day", "--format", "json"], ["kpi", "--by", "week"],
        ["kpi", "--by", "day", "--format", "csv", "--channel", "email"],
        ["kpi", "--by", "week", "--format", "json", "--category", "outage"],
        ["kpi", "--by", "day", "--format", "json", "--until-seq", "20"],
        ["kpi", "--by", "day", "--format", "json", "--as-of", "2026-04-07T09:15:00Z"],
        ["queue"], ["queue", "--owner", "agent:bo"], ["queue", "--as-of", "2026-04-03T16:00:00Z"],
        ["sla"], ["sla", "--format", "json"], ["sla", "--at", "2026-04-07T09:15:00Z", "--format", "json"],
        ["sla", "--until-seq", "12"],
    ]

    static func checkpoint(_ sandbox: Sandbox) -> String { sandbox.log + ".checkpoint" }

    /// Every view answers the same from the checkpoint as by a full replay, with nothing on stderr beyond
    /// what the replay writes there too.
    static func expectSameAnswers(_ sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) {
        for view in views {
            let replayed = InProcess.run(view + ["--no-checkpoint", "--log", sandbox.log])
            let loaded = InProcess.run(view + ["--log", sandbox.log])
            #expect(replayed.code == 0, "\(view): \(replayed)", sourceLocation: sourceLocation)
            #expect(
                loaded.code == 0 && loaded.stdout == replayed.stdout, "\(view): \(loaded)",
                sourceLocation: sourceLocation)
            // Nothing about the checkpoint; only what the full replay says too (a filter that matches nothing).
            #expect(loaded.stderr == replayed.stderr, "\(view): \(loaded)", sourceLocation: sourceLocation)
            let filtered = view.contains("--owner") || view.contains("--team")
            #expect(filtered || replayed.stderr.isEmpty, "\(view): \(replayed)", sourceLocation: sourceLocation)
        }
    }

    @Test func rebuildThenEveryViewAnswersAsAFullReplay() throws {
        let sandbox = try Sandbox()
        try Self.buildLog(sandbox)
        let rebuilt = InProcess.run(["rebuild", "--log", sandbox.log])
        #expect(rebuilt.code == 0, "\(rebuilt)")
        let count = try Self.events().count
        // 14 + 13 events; conversations c1, c2 (March, again in April) and c3.
        #expect(
            rebuilt.stdout
                == "checkpoint \(Self.checkpoint(sandbox)) at seq \(count): 3 conversations, \(count) events replayed\n"
        )
        #expect(FileManager.default.fileExists(atPath: Self.checkpoint(sandbox)))
        Self.expectSameAnswers(sandbox)
        // Events appended after the rebuild are replayed on top of the checkpoint.
        let more = [
            #"{"type":"message_received","at":"2026-04-09T09:00:00+02:00","conversation":"c4","customer":"u4","channel":"chat","body":"x"}"#,
            #"{"type":"categorized","at":"2026-04-09T09:05:00+02:00","conversation":"c2","category":"billing","priority":"urgent"}"#,
            #"{"type":"status_changed","at":"2026-04-09T10:00:00+02:00","conversation":"c3","status":"open"}"#,
        ]
        let appended = InProcess.run(["append", "--log", sandbox.log], stdin: EventLines.input(more))
        #expect(appended.code == 0, "\(appended)")
        Self.expectSameAnswers(sandbox)
        // A rebuild is idempotent: the same log gives the same file.
        #expect(InProcess.run(["rebuild", "--log", sandbox.log]).code == 0)
        let first = try sandbox.bytes(Self.checkpoint(sandbox))
        #expect(InProcess.run(["rebuild", "--log", sandbox.log]).code == 0)
        #expect(try sandbox.bytes(Self.checkpoint(sandbox)) == first)
    }

    @Test func damagedCheckpointIsReportedReplacedAndNeverChangesTheAnswer() throws {
        let sandbox = try Sandbox()
        try Self.buildLog(sandbox)
        #expect(InProcess.run(["rebuild", "--log", sandbox.log]).code == 0)
        let good = try sandbox.bytes(Self.checkpoint(sandbox))
        // `sla` reads both sections of the checkpoint (`kpi` reads only the reports section, so damage in
        // the conversations section does not concern it: see the binary test below).
        // No --at: a limit would keep the checkpoint from being rewritten; the in-process clock is pinned.
        let view = ["sla", "--format", "json", "--log", sandbox.log]
        let expected = InProcess.run(view + ["--no-checkpoint"])
        for offset in [0, 20, 40, good.count / 2, good.count - 1] {
            var damaged = good
            damaged[offset] ^= 0x10
            try sandbox.write(damaged, to: Self.checkpoint(sandbox))
            // With a limit: warned, answered, but not rewritten (only a whole-log state is saved).
            // (A checkpoint past the limit is not used, so only a damaged header is even read.)
            let limited = InProcess.run(["sla", "--until-seq", "10", "--format", "json", "--log", sandbox.log])
            let limitedReplay = InProcess.run([
                "sla", "--until-seq", "10", "--format", "json", "--no-checkpoint", "--log", sandbox.log,
            ])
            #expect(limited.code == 0 && limited.stdout == limitedReplay.stdout, "\(limited)")
            #expect(!limited.stderr.contains("rebuilt"), "\(limited)")
            #expect(try sandbox.bytes(Self.checkpoint(sandbox)) == damaged)
            // With --no-checkpoint it is not even looked at.
            let ignored = InProcess.run(view + ["--no-checkpoint"])
            #expect(ignored.stderr.isEmpty && ignored.stdout == expected.stdout, "\(ignored)")
            #expect(try sandbox.bytes(Self.checkpoint(sandbox)) == damaged)
            // Without a limit: warned, same answer, checkpoint written anew.
            let result = InProcess.run(view)
            #expect(result.code == 0, "\(result)")
            #expect(result.stdout == expected.stdout, "byte \(offset)")
            let lines = ParleyRun.lines(result.stderr)
            #expect(lines.count == 2, "\(result)")
            #expect(
                lines.first?.hasPrefix("warning: checkpoint \(Self.checkpoint(sandbox)) ignored: ") == true, "\(result)"
            )
            #expect(lines.first?.hasSuffix("; replayed the whole log") == true, "\(result)")
            #expect(lines.last == "warning: checkpoint rebuilt at seq 27", "\(result)")
            #expect(try sandbox.bytes(Self.checkpoint(sandbox)) == good, "byte \(offset)")
            // The next command uses it silently.
            let next = InProcess.run(["sla", "--format", "json", "--log", sandbox.log])
            #expect(next.stderr.isEmpty, "\(next)")
        }
    }

    @Test func checkpointOfALogCutShorterIsReplaced() throws {
        let sandbox = try Sandbox()
        try Self.buildLog(sandbox)
        #expect(InProcess.run(["rebuild", "--log", sandbox.log]).code == 0)
        let frames = try LogFile.frames(at: sandbox.log)
        // Cut the log back to its 20th frame, as `repair` would cut a damaged tail.
        #expect(truncate(sandbox.log, off_t(frames[19].end)) == 0)
        let expected = InProcess.run(["queue", "--no-checkpoint", "--log", sandbox.log])
        let result = InProcess.run(["queue", "--log", sandbox.log])
        #expect(result.stdout == expected.stdout, "\(result)")
        #expect(result.stderr.contains("beyond the end of the log"), "\(result)")
        #expect(result.stderr.contains("warning: checkpoint rebuilt at seq 20"), "\(result)")
        Self.expectSameAnswers(sandbox)
    }

    @Test func checkpointOfAnotherLogIsReplaced() throws {
        let sandbox = try Sandbox()
        try Self.buildLog(sandbox)
        let other = sandbox.path("other.log")
        try RecordedLog.write(
            RecordedLog.decode(try SLAFixtures.text("split-shifts", "events.jsonl")), to: other,
            logID: [UInt8](repeating: 0x42, count: 16))
        #expect(InProcess.run(["rebuild", "--log", other]).code == 0)
        try sandbox.write(try sandbox.bytes(other + ".checkpoint"), to: Self.checkpoint(sandbox))
        let expected = InProcess.run(["sla", "--format", "json", "--no-checkpoint", "--log", sandbox.log])
        let result = InProcess.run(["sla", "--format", "json", "--log", sandbox.log])
        #expect(result.stdout == expected.stdout)
        #expect(result.stderr.contains("belongs to another log (log id 42424242424242424242424242424242)"), "\(result)")
        Self.expectSameAnswers(sandbox)
    }

    @Test func rebuildOfAMissingLogExits66() throws {
        let sandbox = try Sandbox()
        let result = InProcess.run(["rebuild", "--log", sandbox.path("none.log")])
        #expect(result.code == 66, "\(result)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("none.log.checkpoint")))
        #expect(InProcess.run(["rebuild", "--log", sandbox.log, "extra"]).code == 64)
    }

    /// The built binary, end to end: append, rebuild, corrupt the checkpoint in place.
    @Test func binaryWarnsOnADamagedCheckpointAndRewritesIt() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(try Self.events(), batchSize: 4)
        let rebuilt = try sandbox.run(["rebuild"])
        #expect(rebuilt.succeeded, "\(rebuilt)")
        let good = try sandbox.bytes(Self.checkpoint(sandbox))
        // Commit times are the wall clock here: judge the views at a fixed moment after them.
        let views = [
            ["kpi", "--by", "day", "--format", "json"], ["queue", "--as-of", "2100-01-01T00:00:00Z"],
            ["sla", "--at", "2100-01-01T00:00:00Z", "--format", "json"],
        ]
        for view in views {
            let replayed = try sandbox.run(view + ["--no-checkpoint"])
            let loaded = try sandbox.run(view)
            #expect(
                replayed.succeeded && loaded.stdout == replayed.stdout && loaded.stderr.isEmpty, "\(view): \(loaded)")
        }
        // A flip in the conversations section (the end of the file): `kpi` does not read that section and
        // answers from the reports section, silently and rightly; `sla` reads it, warns and rewrites it.
        try LogFile.flipByte(at: good.count - 9, in: Self.checkpoint(sandbox))
        let kpiReplayed = try sandbox.run(["kpi", "--by", "day", "--format", "json", "--no-checkpoint"])
        let kpiLoaded = try sandbox.run(["kpi", "--by", "day", "--format", "json"])
        #expect(kpiLoaded.stderr.isEmpty && kpiLoaded.stdout == kpiReplayed.stdout, "\(kpiLoaded)")
        let sla = ["sla", "--at", "2100-01-01T00:00:00Z", "--format", "json"]
        let replayed = try sandbox.run(sla + ["--no-checkpoint"])
        // Without --at (a limit keeps a checkpoint from being rewritten); judged at the wall clock.
        let warned = try sandbox.run(["sla", "--format", "json"])
        #expect(warned.succeeded, "\(warned)")
        #expect(
            warned.stderrText.contains("ignored: checkpoint checksum mismatch in the conversations section (damaged)"),
            "\(warned)")
        #expect(try sandbox.bytes(Self.checkpoint(sandbox)) == good)
        let quiet = try sandbox.run(sla)
        #expect(quiet.stderr.isEmpty && quiet.stdout == replayed.stdout, "\(quiet)")
    }
}
