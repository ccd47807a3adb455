import Foundation
import Testing

/// A stored record whose extras repeat a key (one the event is written with, or another extra's, or a key
/// inside a JSON object) is malformed: `verify` and `dump` report it instead of trimming it quietly.
@Suite("stored extras", .dedicatedThread)
struct StoredExtrasTests {
    static func string(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }

    /// The fields of a `note_added` (conversation, author, body) or, for type 1, a `message_received` without
    /// message_id and subject; then `extras`, each a key and the bytes of a JSON value.
    static func record(type: UInt8, extras: [(String, [UInt8])]) -> [UInt8] {
        var body: [UInt8]
        if type == 1 {
            body = string("c1") + string("u1") + [0, 0, 0] + string("hi")
        } else {
            body = string("c1") + string("agent:ana") + string("hi")
        }
        body.append(UInt8(extras.count))
        for (key, value) in extras { body += string(key) + value }
        return LogFile.record(type: type, at: 1_772_442_900_000_000_000, body: body)
    }

    static let number5: [UInt8] = [3] + string("5")

    /// Extras a stored record may not have, with the event type they are stored on.
    static let cases: [(name: String, type: UInt8, extras: [(String, [UInt8])])] = [
        ("seq", 6, [("seq", number5)]),
        ("recorded_at", 6, [("recorded_at", [4] + string("2026-03-02T10:00:00Z"))]),
        ("type", 6, [("type", [4] + string("note_added"))]),
        ("at", 6, [("at", [4] + string("2026-03-02T10:00:00Z"))]),
        ("a field of the type", 6, [("author", [4] + string("agent:bo"))]),
        ("an absent optional field of the type", 1, [("subject", [4] + string("hello"))]),
        ("two extras with one key", 6, [("x", number5), ("x", [0])]),
        ("a key twice in an extra's object", 6, [("x", [6, 2] + string("k") + [0] + string("k") + [1])]),
    ]

    /// A log whose first frame holds a good note, the bad record (seq 2), then another good note.
    static func logWithBadRecord(_ record: [UInt8]) throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let bytes = try sandbox.bytes()
        let good = Self.record(type: 6, extras: [("x", number5)])
        try LogFile.appendBytes(
            LogFile.frame(
                salt: LogFile.salt(bytes), firstSeq: 1, commitTime: 1_772_445_600_000_000_000,
                records: [good, record, good]),
            to: sandbox.log)
        return sandbox
    }

    @Test("verify: a record whose extras repeat a key is malformed (exit 1, seq named)", arguments: 0..<cases.count)
    func verifyReportsIt(index: Int) throws {
        let item = Self.cases[index]
        let sandbox = try Self.logWithBadRecord(Self.record(type: item.type, extras: item.extras))
        let result = try sandbox.run(["verify", "--log", sandbox.log, "--json"])
        #expect(result.exitCode == 1, "\(item.name): \(result)")
        let report = try TestJSON.parse(result.stdoutText)
        #expect(report["problem"]?["kind"] == .string("malformed_event"), "\(item.name): \(result)")
        #expect(report["problem"]?["seq"]?.intValue == 2, "\(item.name): \(result)")
        #expect(report["malformed_events"]?.intValue == 1, "\(item.name): \(result)")
        #expect(report["events"]?.intValue == 3, "\(item.name): \(result)")
        #expect(report["by_type"]?["note_added"]?.intValue == 2, "\(item.name): \(result)")
    }

    @Test("dump: writes the events before it, then exit 1 naming the seq", arguments: 0..<cases.count)
    func dumpReportsIt(index: Int) throws {
        let item = Self.cases[index]
        let sandbox = try Self.logWithBadRecord(Self.record(type: item.type, extras: item.extras))
        let result = try sandbox.run(["dump", "--log", sandbox.log])
        #expect(result.exitCode == 1, "\(item.name): \(result)")
        #expect(result.stdoutLines.count == 1, "\(item.name): \(result)")
        #expect(result.stderrText.contains("seq 2"), "\(item.name): \(result)")
        #expect(result.stderrText.contains("malformed"), "\(item.name): \(result)")
    }

    @Test("tools/read_log.py agrees: the same events, then exit 1", arguments: 0..<cases.count)
    func independentReaderAgrees(index: Int) throws {
        let item = Self.cases[index]
        let sandbox = try Self.logWithBadRecord(Self.record(type: item.type, extras: item.extras))
        let reader = GoldenLogTests.repository.appendingPathComponent("tools/read_log.py").path
        let python = try sandbox.shell(#"exec python3 "$1" "$2""#, arguments: [reader, sandbox.log])
        #expect(python.exitCode == 1, "\(item.name): \(python)")
        #expect(python.stderrText.contains("seq 2"), "\(item.name): \(python)")
        let dumped = try sandbox.run(["dump", "--log", sandbox.log])
        #expect(python.stdout == dumped.stdout, "\(item.name): \(python)")
    }

    @Test("The same record with a harmless extra is fine: the check is not too eager")
    func harmlessExtras() throws {
        // `conversation` is not a field of customer_linked, `body` not one of status_changed: both are extras.
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append([
            #"{"type":"customer_linked","at":"2026-03-02T09:15:00Z","customer":"a","same_as":"b","conversation":"c"}"#,
            #"{"type":"status_changed","at":"2026-03-02T09:15:00Z","conversation":"c","status":"open","body":"x","seq":3}"#,
            #"{"type":"message_received","at":"2026-03-02T09:15:00Z","conversation":"c","customer":"u","channel":"email","subject":null,"body":"","recorded_at":"x"}"#,
        ])
        #expect(try sandbox.run(["verify", "--log", sandbox.log]).succeeded)
        let dumped = try sandbox.dump()
        #expect(dumped.count == 3)
        #expect(dumped[0].hasSuffix(#""same_as":"b","conversation":"c"}"#), "\(dumped)")
        #expect(dumped[1].hasSuffix(#""status":"open","body":"x"}"#), "\(dumped)")
        #expect(!dumped[2].contains("subject"), "\(dumped)")
    }

    @Test("append refuses duplicate keys and never stores a reserved key as an extra")
    func appendNeverStoresThem() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let duplicate = try sandbox.run(
            ["append", "--log", sandbox.log],
            input:
                #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c","author":"a","body":"b","x":1,"x":2}"#
                + "\n")
        #expect(duplicate.exitCode == 65, "\(duplicate)")
        let nested = try sandbox.run(
            ["append", "--log", sandbox.log],
            input:
                #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c","author":"a","body":"b","x":{"k":1,"k":2}}"#
                + "\n")
        #expect(nested.exitCode == 65, "\(nested)")
    }
}
