import Foundation
import Testing

/// `parley repair` keeps what it can: the events of valid frames after the damage come out as JSON Lines
/// ready to re-append, and `dump --salvage` reads the cut copy.
@Suite("repair recovery", .dedicatedThread)
struct RepairRecoveryCommandTests {
    /// Five frames of three notes (seq 1–3, …, 13–15), the second and fourth with a flipped body bit;
    /// returns the sandbox, the dump before the damage and the offset of the second frame.
    static func twiceDamagedLog() throws -> (Sandbox, [String], Int) {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.mixed(15), batchSize: 3)
        let original = try sandbox.dump()
        let frames = try LogFile.frames(at: sandbox.log)
        try LogFile.flipByte(at: frames[1].offset + frames[1].length / 2, in: sandbox.log)
        try LogFile.flipByte(at: frames[3].offset + frames[3].length / 2, in: sandbox.log)
        return (sandbox, original, frames[1].offset)
    }

    @Test("repair exports the events after the damage; re-appended, they equal the originals")
    func recoveredEventsReappendAsTheOriginals() throws {
        let (sandbox, original, cut) = try Self.twiceDamagedLog()
        let result = try sandbox.run(["repair", "--log", sandbox.log])
        #expect(result.succeeded, "\(result)")
        let recovered = sandbox.log + ".cut-\(cut).recovered.jsonl"
        #expect(result.stderrText.contains("recovered 6 events (seq 7–9, 13–15)"), "\(result)")
        #expect(result.stderrText.contains(recovered), "\(result)")
        #expect(result.stdoutText.contains("the log now holds 3 events"), "\(result)")

        let appended = try sandbox.run(["append", "--log", sandbox.log], stdin: try sandbox.bytes(recovered))
        #expect(appended.succeeded, "\(appended)")
        let now = try sandbox.dump().map(TestJSON.parse)
        let before = try original.map(TestJSON.parse)
        #expect(now.count == 9)
        #expect(Array(now.prefix(3)) == Array(before.prefix(3)))
        let expected = Array(before[6..<9]) + Array(before[12..<15])
        for (event, source) in zip(now.dropFirst(3), expected) {
            #expect(event["recovered_seq"] == source["seq"], "\(event)")
            #expect(event["recovered_recorded_at"] == source["recorded_at"], "\(event)")
            let stripped = event.removing(["seq", "recorded_at", "recovered_seq", "recovered_recorded_at"])
            #expect(stripped == source.removing(["seq", "recorded_at"]), "\(event)")
        }
    }

    @Test("Recovered twice, an event keeps both origins under distinct keys")
    func recoveringARecoveredEventAddsNumberedKeys() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(3))
        let line =
            #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c9","author":"a","body":"b","#
            + #""recovered_seq":7,"recovered_recorded_at":"2026-03-02T10:00:00Z"}"#
        try sandbox.append([line])
        try sandbox.append(EventLines.notes(1, from: 5))
        let frames = try LogFile.frames(at: sandbox.log)
        try LogFile.flipByte(at: frames[0].offset + frames[0].length / 2, in: sandbox.log)
        let result = try sandbox.run(["repair", "--log", sandbox.log])
        #expect(result.succeeded, "\(result)")
        let exported = try String(
            decoding: sandbox.bytes(sandbox.log + ".cut-64.recovered.jsonl"), as: UTF8.self
        ).split(separator: "\n").map { try TestJSON.parse(String($0)) }
        #expect(exported.count == 2)
        #expect(exported.first?["recovered_seq"]?.intValue == 7)
        #expect(exported.first?["recovered_seq_2"]?.intValue == 4)
        #expect(exported.first?["recovered_recorded_at_2"]?.stringValue != nil)
    }

    @Test("dump --salvage reads the cut copy: the valid events with their own seqs, the rest named on stderr")
    func dumpSalvageReadsTheCutCopy() throws {
        let (sandbox, original, cut) = try Self.twiceDamagedLog()
        #expect(try sandbox.run(["repair", "--log", sandbox.log]).succeeded)
        let copy = sandbox.log + ".cut-\(cut)"
        let plain = try sandbox.run(["verify", "--log", copy])
        #expect(plain.exitCode == 1, "\(plain)")

        let salvaged = try sandbox.run(["dump", "--salvage", "--log", copy])
        #expect(salvaged.exitCode == 1, "\(salvaged)")
        #expect(salvaged.stdoutLines == Array(original[6..<9]) + Array(original[12..<15]), "\(salvaged)")
        #expect(salvaged.stderrText.contains("at offset 64 are not part of any valid frame"), "\(salvaged)")

        let ranged = try sandbox.run(["dump", "--salvage", "--from-seq", "8", "--to-seq", "13", "--log", copy])
        #expect(ranged.stdoutLines == Array(original[7..<9]) + [original[12]], "\(ranged)")
    }

    @Test("tools/read_log.py --salvage, written from the spec, agrees with dump --salvage")
    func independentReaderSalvagesTheSame() throws {
        let (sandbox, _, cut) = try Self.twiceDamagedLog()
        let damaged = sandbox.path("damaged.log")
        try sandbox.write(try sandbox.bytes(), to: damaged)
        #expect(try sandbox.run(["repair", "--log", sandbox.log]).succeeded)
        let reader = GoldenLogTests.repository.appendingPathComponent("tools/read_log.py").path
        for file in [damaged, sandbox.log + ".cut-\(cut)", sandbox.log] {
            let python = try sandbox.shell(#"exec python3 "$1" --salvage "$2""#, arguments: [reader, file])
            let swift = try sandbox.run(["dump", "--salvage", "--log", file])
            #expect(python.stdout == swift.stdout, "\(file): \(python) \(swift)")
            #expect(python.exitCode == swift.exitCode, "\(file): \(python) \(swift)")
            #expect(!swift.stdout.isEmpty, "\(file): \(swift)")
        }
    }

    @Test("verify --salvage checks the cut copy: the seqs found, the unreadable bytes, exit 1")
    func verifySalvageChecksTheCutCopy() throws {
        let (sandbox, _, cut) = try Self.twiceDamagedLog()
        let frames = try LogFile.frames(at: sandbox.log)
        #expect(try sandbox.run(["repair", "--log", sandbox.log]).succeeded)
        let copy = sandbox.log + ".cut-\(cut)"
        let json = try sandbox.run(["verify", "--salvage", "--json", "--log", copy])
        #expect(json.exitCode == 1, "\(json)")
        let report = try TestJSON.parse(json.stdoutText)
        #expect(report["ok"] == .bool(false))
        #expect(report["events"]?.intValue == 6)
        #expect(report["frames"]?.intValue == 2)
        #expect(report["seq_runs"] == (try TestJSON.parse("[[7,9],[13,15]]")), "\(json)")
        // The copy holds the header, then the bytes from the cut: frame 2 at 64, frame 4 after frame 3.
        let second = 64 + frames[3].offset - frames[1].offset
        #expect(
            report["unreadable"]
                == (try TestJSON.parse(
                    "[{\"offset\":64,\"bytes\":\(frames[1].length)},{\"offset\":\(second),\"bytes\":\(frames[3].length)}]"
                )),
            "\(json)")
        #expect(report["malformed_events"]?.intValue == 0)

        let text = try sandbox.run(["verify", "--salvage", "--log", copy])
        #expect(text.exitCode == 1, "\(text)")
        #expect(text.stdoutText.contains("found        6 events in 2 valid frames (seq 7–9, 13–15)"), "\(text)")

        let sound = try sandbox.run(["verify", "--salvage", "--json", "--log", sandbox.log])
        #expect(sound.succeeded, "\(sound)")
        #expect((try TestJSON.parse(sound.stdoutText))["seq_runs"] == (try TestJSON.parse("[[1,3]]")), "\(sound)")
    }

    @Test("dump --salvage of a sound log is the plain dump, exit 0")
    func dumpSalvageOfASoundLog() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.mixed(20), batchSize: 6)
        let salvaged = try sandbox.run(["dump", "--salvage", "--log", sandbox.log])
        #expect(salvaged.succeeded, "\(salvaged)")
        #expect(salvaged.stdoutLines == (try sandbox.dump()))
        #expect(salvaged.stderr.isEmpty, "\(salvaged)")
    }

    @Test("repair of a torn tail exports nothing and says nothing on stderr")
    func tornTailUnchanged() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(6), batchSize: 3)
        let last = try #require(try LogFile.frames(at: sandbox.log).last)
        try LogFile.truncate(sandbox.log, to: last.end - 3)
        let result = try sandbox.run(["repair", "--log", sandbox.log])
        #expect(result.succeeded, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: sandbox.directory).sorted() == [
                "parley.log", "parley.log.commit", "parley.log.cut-\(last.offset)",
            ])
    }
}
