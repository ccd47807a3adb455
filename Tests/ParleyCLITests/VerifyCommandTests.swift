import Foundation
import ParleyEvents
import Testing

/// `parley verify`: the report on a sound log, what it says about torn and damaged logs, and that it
/// never writes.
@Suite("verify", .dedicatedThread)
struct VerifyCommandTests {
    /// Events of several types whose event times, in UTC, span 01:00 to 10:00:00.5 on 2026-03-02.
    static let timedEvents = [
        #"{"type":"message_received","at":"2026-03-02T09:15:00+01:00","conversation":"c1","customer":"u1","channel":"chat","body":"hi"}"#,
        #"{"type":"reply_sent","at":"2026-03-01T23:00:00-02:00","conversation":"c1","author":"agent:a","body":"hello"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T10:00:00.500Z","conversation":"c1","author":"bot:b","auto":true,"body":"ack"}"#,
        #"{"type":"assigned","at":"2026-03-02T05:00:00Z","conversation":"c1","assignee":null}"#,
        #"{"type":"policy_set","at":"2026-03-02T06:00:00+05:00","policy":{"a":1}}"#,
    ]

    @Test("A sound log: exit 0, OK, and a JSON report whose counts and ranges match what was appended")
    func soundLogReport() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(Array(Self.timedEvents.prefix(3)))
        try sandbox.append(Array(Self.timedEvents.suffix(2)))
        try sandbox.append(EventLines.mixed(16), batchSize: 5)

        let text = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(text.succeeded, "\(text)")
        #expect(text.stdoutLines.first == "\(sandbox.log): OK")
        #expect(text.stdoutText.contains("21 (seq 1–21)"))

        let result = try sandbox.run(["verify", "--log", sandbox.log, "--json"])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdoutLines.count == 1)
        let report = try TestJSON.parse(result.stdoutText)
        #expect(report["ok"] == .bool(true))
        #expect(report["problem"] == .null)
        #expect(report["path"] == .string(sandbox.log))
        #expect(report["events"]?.intValue == 21)
        #expect(report["frames"]?.intValue == 2 + 4)
        #expect(report["first_seq"]?.intValue == 1)
        #expect(report["last_seq"]?.intValue == 21)
        #expect(report["size_bytes"]?.intValue == (try sandbox.bytes().count))
        #expect(report["format_version"]?.intValue == 1)
        #expect(report["unknown_events"]?.intValue == 0)
        // mixed(16) holds two of each type.
        let expectedCounts: [String: Int] = [
            "message_received": 1 + 2, "reply_sent": 2 + 2, "assigned": 1 + 2, "status_changed": 2,
            "categorized": 2, "note_added": 2, "customer_linked": 2, "policy_set": 1 + 2,
        ]
        let byType = try #require(report["by_type"])
        // Every type this build knows has a key, with 0 for the types the log does not hold.
        #expect(Set(byType.keys) == Set(EventKind.allCases.map(\.name)))
        for kind in EventKind.allCases {
            #expect(byType[kind.name]?.intValue == expectedCounts[kind.name, default: 0], "by_type.\(kind.name)")
        }
        // mixed(16) spans 08:00-09:05Z, inside the timed events' 01:00-10:00:00.5Z.
        #expect(report["event_time"]?["min"] == .string("2026-03-02T01:00:00Z"))
        #expect(report["event_time"]?["max"] == .string("2026-03-02T10:00:00.5Z"))
        // Commit times: the first and last frames' recorded_at.
        let dumped = try sandbox.dump().map { try TestJSON.parse($0) }
        #expect(report["commit_time"]?["min"] == dumped.first?["recorded_at"])
        #expect(report["commit_time"]?["max"] == dumped.last?["recorded_at"])
    }

    @Test("An empty log verifies OK with no events and null ranges")
    func emptyLog() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let result = try sandbox.run(["verify", "--log", sandbox.log, "--json"])
        #expect(result.succeeded, "\(result)")
        let report = try TestJSON.parse(result.stdoutText)
        #expect(report["events"]?.intValue == 0)
        #expect(report["first_seq"] == .null)
        #expect(report["last_seq"] == .null)
        #expect(report["event_time"] == .null)
        #expect(report["commit_time"] == .null)
        #expect(report["ok"] == .bool(true))
    }

    @Test("Truncated in the middle of the last frame: exit 1, torn tail at that frame's offset")
    func tornTail() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(9, bodyBytes: 40), batchSize: 3)
        let last = try #require(try LogFile.frames(at: sandbox.log).last)
        try LogFile.truncate(sandbox.log, to: last.offset + last.length / 2)

        let text = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(text.exitCode == 1, "\(text)")
        #expect(text.stdoutLines.first == "\(sandbox.log): NOT OK")
        #expect(text.stdoutText.contains("torn tail"), "\(text)")
        #expect(text.stdoutText.contains("offset \(last.offset)"), "\(text)")

        let json = try sandbox.run(["verify", "--log", sandbox.log, "--json"])
        #expect(json.exitCode == 1, "\(json)")
        let report = try TestJSON.parse(json.stdoutText)
        #expect(report["ok"] == .bool(false))
        #expect(report["problem"]?["kind"] == .string("torn_tail"))
        #expect(report["problem"]?["offset"]?.intValue == last.offset)
        #expect(report["problem"]?["seq"]?.intValue == 7)
        #expect(report["events"]?.intValue == 6)
        #expect(report["last_seq"]?.intValue == 6)
    }

    @Test("A byte flipped in the middle of the first of several frames: exit 1, damaged at offset 64")
    func damagedFirstFrame() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(9, bodyBytes: 40), batchSize: 3)
        let frames = try LogFile.frames(at: sandbox.log)
        try LogFile.flipByte(at: frames[0].offset + frames[0].length / 2, in: sandbox.log)

        let text = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(text.exitCode == 1, "\(text)")
        #expect(text.stdoutText.contains("damaged"), "\(text)")
        #expect(text.stdoutText.contains("offset 64"), "\(text)")
        #expect(text.stdoutText.contains("parley repair"), "\(text)")

        let json = try sandbox.run(["verify", "--log", sandbox.log, "--json"])
        #expect(json.exitCode == 1, "\(json)")
        let report = try TestJSON.parse(json.stdoutText)
        #expect(report["problem"]?["kind"] == .string("damaged"))
        #expect(report["problem"]?["offset"]?.intValue == 64)
        #expect(report["problem"]?["seq"]?.intValue == 1)
        #expect(
            report["problem"]?["message"]?.stringValue?.contains("offset \(frames[1].offset)") == true,
            "names where valid frames resume")
    }

    /// Appends a hand-made, checksum-valid frame with `records` after the last frame of the log.
    static func appendFrame(_ records: [[UInt8]], to sandbox: Sandbox) throws {
        let bytes = try sandbox.bytes()
        let last = try #require(LogFile.frames(bytes).last)
        let commitTime = Int64(bitPattern: LogFile.littleEndian(bytes, at: last.offset + 28, size: 8)) + 1
        try LogFile.appendBytes(
            LogFile.frame(
                salt: LogFile.salt(bytes), firstSeq: last.lastSeq + 1, commitTime: commitTime, records: records),
            to: sandbox.log)
    }

    @Test("The test's own CRC-32C gives the documented check value")
    func crcCheckValue() {
        #expect(LogFile.crc32c(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test("Events of an unknown type or schema version are skipped and counted, not treated as damage")
    func unknownEventsAreSkipped() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.mixed(3))
        let at: Int64 = 1_772_442_900_000_000_000
        try Self.appendFrame(
            [
                LogFile.record(type: 200, at: at, body: [1, 2, 3]),
                LogFile.record(type: 4, schemaVersion: 9, at: at, body: [0xFF]),
            ], to: sandbox)
        try sandbox.append(EventLines.notes(1))

        let verify = try sandbox.run(["verify", "--log", sandbox.log, "--json"])
        #expect(verify.succeeded, "\(verify)")
        let report = try TestJSON.parse(verify.stdoutText)
        #expect(report["events"]?.intValue == 6)
        #expect(report["unknown_events"]?.intValue == 2)
        #expect(report["last_seq"]?.intValue == 6)

        let dump = try sandbox.run(["dump", "--log", sandbox.log])
        #expect(dump.succeeded, "\(dump)")
        #expect(try dump.stdoutLines.map { try TestJSON.parse($0)["seq"]?.intValue } == [1, 2, 3, 6])
        #expect(dump.stderrText.contains("skipped 2 events"), "\(dump)")

        let stats = try sandbox.run(["stats", "--log", sandbox.log, "--json"])
        #expect(stats.succeeded, "\(stats)")
        #expect(try TestJSON.parse(stats.stdoutText)["unknown_events"]?.intValue == 2)

        let appended = try sandbox.append(EventLines.notes(1, from: 2))
        #expect(appended.stdoutText == "7\n")
    }

    @Test("A checksum-valid frame whose known event does not decode: verify exits 1 naming the seq; dump stops there")
    func malformedEventIsReported() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.mixed(3))
        // status_changed (type 4) with a conversation string whose length runs past the record.
        try Self.appendFrame([LogFile.record(type: 4, at: 0, body: [0x7F, 0x61])], to: sandbox)
        let before = try LogFile.snapshot(sandbox.log)

        let verify = try sandbox.run(["verify", "--log", sandbox.log, "--json"])
        #expect(verify.exitCode == 1, "\(verify)")
        let report = try TestJSON.parse(verify.stdoutText)
        #expect(report["problem"]?["kind"] == .string("malformed_event"))
        #expect(report["problem"]?["seq"]?.intValue == 4)

        let dump = try sandbox.run(["dump", "--log", sandbox.log])
        #expect(dump.exitCode == 1, "\(dump)")
        #expect(dump.stdoutLines.count == 3)
        #expect(dump.stderrText.contains("seq 4"), "\(dump)")
        #expect(try LogFile.snapshot(sandbox.log) == before)
    }

    /// Ways to spoil a log of three frames (seq 1–3, 4–6, 7–9), and the problem verify must report.
    enum Spoiling: String, CaseIterable, Sendable {
        case none, tornTail, flippedFirstFrame, flippedMiddleFrameHeader, duplicatedLastFrame, foreignFrame
        case trailingGarbage, flippedFileHeader

        var expectedKind: String? {
            switch self {
            case .none: nil
            case .tornTail, .trailingGarbage: "torn_tail"
            case .flippedFirstFrame, .flippedMiddleFrameHeader, .duplicatedLastFrame, .foreignFrame: "damaged"
            case .flippedFileHeader: "header"
            }
        }

        /// Spoils the log; returns the offset verify should name (nil for none or the header).
        func apply(to sandbox: Sandbox) throws -> Int? {
            let bytes = try sandbox.bytes()
            let frames = LogFile.frames(bytes)
            switch self {
            case .none: return nil
            case .tornTail:
                try LogFile.truncate(sandbox.log, to: bytes.count - 5)
                return frames[2].offset
            case .flippedFirstFrame:
                try LogFile.flipByte(at: frames[0].offset + frames[0].length / 2, in: sandbox.log)
                return frames[0].offset
            case .flippedMiddleFrameHeader:
                try LogFile.flipByte(at: frames[1].offset + 16, in: sandbox.log)  // its first seq
                return frames[1].offset
            case .duplicatedLastFrame:
                try LogFile.appendBytes(Array(bytes[frames[2].offset..<frames[2].end]), to: sandbox.log)
                return bytes.count
            case .foreignFrame:
                let other = sandbox.path("other.log")
                try sandbox.initLog(other)
                try sandbox.append(EventLines.notes(3, from: 10), to: other)
                try LogFile.appendBytes(Array(try sandbox.bytes(other).dropFirst(64)), to: sandbox.log)
                return bytes.count
            case .trailingGarbage:
                try LogFile.appendBytes(Array("garbage".utf8), to: sandbox.log)
                return bytes.count
            case .flippedFileHeader:
                try LogFile.flipByte(at: 20, in: sandbox.log)
                return nil
            }
        }
    }

    @Test(
        "verify reports each kind of problem and never modifies the file (bytes, inode, mtime)",
        arguments: Spoiling.allCases)
    func neverModifiesTheFile(spoiling: Spoiling) throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(9, bodyBytes: 30), batchSize: 3)
        let offset = try spoiling.apply(to: sandbox)
        let before = try LogFile.snapshot(sandbox.log)
        // Let the clock move on, so that a write would show in the modification time.
        Thread.sleep(forTimeInterval: 0.02)

        for arguments in [["verify"], ["verify", "--json"]] {
            let result = try sandbox.run(arguments + ["--log", sandbox.log])
            #expect(result.exitCode == (spoiling == .none ? 0 : 1), "\(spoiling): \(result)")
            if let kind = spoiling.expectedKind, arguments.contains("--json") {
                let report = try TestJSON.parse(result.stdoutText)
                #expect(report["problem"]?["kind"] == .string(kind), "\(spoiling): \(result)")
                if let offset {
                    #expect(report["problem"]?["offset"]?.intValue == offset, "\(spoiling): \(result)")
                }
            }
            #expect(try LogFile.snapshot(sandbox.log) == before, "\(spoiling): verify modified the file")
        }
        // stats and dump only read, too.
        _ = try sandbox.run(["stats", "--log", sandbox.log])
        _ = try sandbox.run(["dump", "--log", sandbox.log])
        #expect(try LogFile.snapshot(sandbox.log) == before, "\(spoiling): stats or dump modified the file")
    }
}
