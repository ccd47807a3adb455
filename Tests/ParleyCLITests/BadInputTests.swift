import Foundation
import Testing

/// Bad JSON Lines input: every class is rejected with exit 65, a message naming the line (and the field
/// where there is one), and the log byte for byte as it was.
@Suite("Bad input", .dedicatedThread)
struct BadInputTests {
    /// One kind of bad line.
    struct BadLine: Sendable, CustomTestStringConvertible {
        var name: String
        /// Fragments the error message must contain (besides the line number).
        var expected: [String]
        /// The line's bytes, without a line ending (built lazily: some are megabytes).
        var bytes: @Sendable () -> [UInt8]

        var testDescription: String { name }

        init(_ name: String, _ expected: [String], text: String) {
            self.name = name
            self.expected = expected
            self.bytes = { Array(text.utf8) }
        }

        init(_ name: String, _ expected: [String], bytes: @escaping @Sendable () -> [UInt8]) {
            self.name = name
            self.expected = expected
            self.bytes = bytes
        }
    }

    static let prefix = #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c","author":"a","body":""#
    static let good = #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c","author":"a","body":"ok"}"#

    /// A note whose body is `body` (raw bytes between the quotes).
    static func note(body: [UInt8]) -> [UInt8] { Array(prefix.utf8) + body + Array(#""}"#.utf8) }

    /// A note with one more member appended (raw JSON text after a comma).
    static func note(extra: String) -> String { String(good.dropLast()) + "," + extra + "}" }

    static func nested(_ depth: Int, open: String, close: String) -> @Sendable () -> [UInt8] {
        {
            Array(#"{"type":"policy_set","at":"2026-03-02T09:15:00Z","policy":{"x":"#.utf8)
                + Array(repeating: Array(open.utf8), count: depth).flatMap { $0 } + Array("1".utf8)
                + Array(repeating: Array(close.utf8), count: depth).flatMap { $0 } + Array("}}".utf8)
        }
    }

    static let badLines: [BadLine] = [
        // Not JSON, or not strict JSON.
        BadLine("truncated JSON", ["column", "unexpected end of input"], text: #"{"type":"note_added","at":"#),
        BadLine("trailing comma", ["column"], text: String(good.dropLast()) + ",}"),
        BadLine("single quotes", ["column"], text: "{'type':'note_added'}"),
        BadLine("NaN", ["column"], text: note(extra: #""x":NaN"#)),
        BadLine("leading zero", ["column"], text: note(extra: #""x":007"#)),
        BadLine("comment", ["column"], text: "// " + good),
        BadLine("two values on one line", ["column"], text: good + " " + good),
        BadLine("not an object", ["expected a JSON object"], text: "[1,2,3]"),
        BadLine("BOM at the start of a later line", ["column"], bytes: { [0xEF, 0xBB, 0xBF] + Array(good.utf8) }),
        // Missing fields.
        BadLine(
            "missing body", [#"field "body""#, "missing required field"],
            text: #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c","author":"a"}"#),
        BadLine(
            "missing type", [#"field "type""#, "missing"], text: #"{"at":"2026-03-02T09:15:00Z","conversation":"c"}"#),
        BadLine(
            "missing at", [#"field "at""#, "missing"],
            text: #"{"type":"status_changed","conversation":"c","status":"open"}"#),
        BadLine(
            "missing conversation", [#"field "conversation""#, "missing"],
            text: #"{"type":"status_changed","at":"2026-03-02T09:15:00Z","status":"open"}"#),
        BadLine(
            "missing assignee key", [#"field "assignee""#, "missing"],
            text: #"{"type":"assigned","at":"2026-03-02T09:15:00Z","conversation":"c","team":"t"}"#),
        // Wrong types.
        BadLine(
            "number where a string belongs", [#"field "conversation""#, "expected a string, got a number"],
            text: #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":42,"author":"a","body":"b"}"#),
        BadLine(
            "string where a boolean belongs", [#"field "auto""#, "expected a boolean"],
            text:
                #"{"type":"reply_sent","at":"2026-03-02T09:15:00Z","conversation":"c","author":"a","auto":"yes","body":"b"}"#
        ),
        BadLine(
            "array where the policy object belongs", [#"field "policy""#, "expected an object"],
            text: #"{"type":"policy_set","at":"2026-03-02T09:15:00Z","policy":[]}"#),
        BadLine(
            "null type", [#"field "type""#, "expected a string"],
            text: #"{"type":null,"at":"2026-03-02T09:15:00Z","conversation":"c"}"#),
        BadLine(
            "number timestamp", [#"field "at""#, "expected a string"],
            text: #"{"type":"status_changed","at":1772442900,"conversation":"c","status":"open"}"#),
        // Bad values.
        BadLine(
            "impossible timestamp 2026-02-30T25:61:00Z",
            [#"field "at""#, "not an RFC 3339 timestamp", "2026-02-30T25:61:00Z"],
            text: #"{"type":"status_changed","at":"2026-02-30T25:61:00Z","conversation":"c","status":"open"}"#),
        BadLine(
            "timestamp without offset", [#"field "at""#, "not an RFC 3339 timestamp"],
            text: #"{"type":"status_changed","at":"2026-03-02T09:15:00","conversation":"c","status":"open"}"#),
        BadLine(
            "leap second", [#"field "at""#, "leap second"],
            text: #"{"type":"status_changed","at":"2016-12-31T23:59:60Z","conversation":"c","status":"open"}"#),
        BadLine(
            "timestamp after 2262", [#"field "at""#, "out of range"],
            text: #"{"type":"status_changed","at":"2263-01-01T00:00:00Z","conversation":"c","status":"open"}"#),
        BadLine(
            "ten fractional digits", [#"field "at""#],
            text:
                #"{"type":"status_changed","at":"2026-03-02T09:15:00.1234567890Z","conversation":"c","status":"open"}"#),
        BadLine(
            "unknown type", [#"field "type""#, "unknown event type", "message_deleted"],
            text: #"{"type":"message_deleted","at":"2026-03-02T09:15:00Z","conversation":"c"}"#),
        BadLine(
            "unknown channel", [#"field "channel""#, "fax"],
            text:
                #"{"type":"message_received","at":"2026-03-02T09:15:00Z","conversation":"c","customer":"u","channel":"fax","body":"b"}"#
        ),
        BadLine(
            "unknown status", [#"field "status""#, "closed"],
            text: #"{"type":"status_changed","at":"2026-03-02T09:15:00Z","conversation":"c","status":"closed"}"#),
        BadLine(
            "unknown priority", [#"field "priority""#],
            text:
                #"{"type":"categorized","at":"2026-03-02T09:15:00Z","conversation":"c","category":"x","priority":"p0"}"#
        ),
        BadLine(
            "empty conversation id", [#"field "conversation""#, "must not be empty"],
            text: #"{"type":"status_changed","at":"2026-03-02T09:15:00Z","conversation":"","status":"open"}"#),
        BadLine(
            "control character in an id", [#"field "author""#, "control character"],
            text:
                #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c","author":"a\u0001b","body":"b"}"#),
        BadLine(
            "conversation id of 513 bytes", [#"field "conversation""#, "over the limit of 512"],
            text:
                #"{"type":"status_changed","at":"2026-03-02T09:15:00Z","conversation":"\#(String(repeating: "c", count: 513))","status":"open"}"#
        ),
        BadLine(
            "conversation id of 9 MiB (over the line limit)", ["longer than the limit"],
            bytes: {
                Array(#"{"type":"status_changed","at":"2026-03-02T09:15:00Z","conversation":""#.utf8)
                    + [UInt8](repeating: UInt8(ascii: "c"), count: 9 << 20) + Array(#"","status":"open"}"#.utf8)
            }),
        BadLine(
            "body of 1 MiB + 1 byte", [#"field "body""#, "over the limit"],
            bytes: { note(body: [UInt8](repeating: UInt8(ascii: "b"), count: (1 << 20) + 1)) }),
        BadLine(
            "subject over 16 KiB", [#"field "subject""#, "over the limit"],
            text:
                #"{"type":"message_received","at":"2026-03-02T09:15:00Z","conversation":"c","customer":"u","channel":"chat","subject":"\#(String(repeating: "s", count: (16 << 10) + 1))","body":"b"}"#
        ),
        // Encoding.
        BadLine("invalid UTF-8 byte 0xFF", ["invalid UTF-8"], bytes: { note(body: [0x61, 0xFF, 0x62]) }),
        BadLine("overlong UTF-8", ["invalid UTF-8"], bytes: { note(body: [0xC0, 0xAF]) }),
        BadLine("UTF-8 encoded surrogate", ["invalid UTF-8"], bytes: { note(body: [0xED, 0xA0, 0x80]) }),
        BadLine("truncated UTF-8 sequence", ["invalid UTF-8"], bytes: { note(body: [0xE2, 0x82]) }),
        BadLine("lone surrogate escape", ["lone surrogate"], text: note(extra: #""x":"\ud800""#)),
        BadLine("raw NUL byte", ["control character U+0000"], bytes: { note(body: [0x61, 0x00, 0x62]) }),
        BadLine("raw tab in a string", ["control character U+0009"], bytes: { note(body: [0x61, 0x09, 0x62]) }),
        // Structure.
        BadLine("empty line in the middle", ["empty line"], text: ""),
        BadLine("blank line in the middle", ["empty line"], text: " \t "),
        BadLine(
            "duplicate key", [#"duplicate key "conversation""#],
            text:
                #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c","conversation":"d","author":"a","body":"b"}"#
        ),
        BadLine("duplicate unknown extra key", [#"duplicate key "x""#], text: note(extra: #""x":1,"x":2"#)),
        BadLine("extra key that repeats a known field", [#"duplicate key "body""#], text: note(extra: #""body":"b2""#)),
        BadLine(
            "duplicate key in a nested object", [#"duplicate key "a""#], text: note(extra: #""x":{"a":1,"b":2,"a":3}"#)),
        BadLine(
            "duplicate key in a large object", [#"duplicate key "k3""#],
            text: note(extra: #""x":{"# + (0..<40).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + #","k3":0}"#)),
        BadLine("65 levels of nesting", ["nesting depth"], bytes: nested(63, open: "[", close: "]")),
        BadLine("100,000 nested arrays", ["nesting depth"], bytes: nested(100_000, open: "[", close: "]")),
        BadLine("100,000 nested objects", ["nesting depth"], bytes: nested(100_000, open: #"{"a":"#, close: "}")),
        BadLine(
            "100,000 unclosed arrays", ["nesting depth"],
            bytes: {
                Array(prefix.utf8) + Array(#"","x":"#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
            }),
    ]

    @Test("A bad line rejects the batch: exit 65, line and reason on stderr, the log unchanged", arguments: badLines)
    func badLineIsRejected(_ bad: BadLine) throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(2))
        let before = try LogFile.snapshot(sandbox.log)

        // Line 3 of 4 is bad: lines 1-2 are fine and must not be written either.
        var input = Array((Self.good + "\n" + Self.good + "\n").utf8)
        input += bad.bytes() + [0x0A] + Array((Self.good + "\n").utf8)
        let result = try sandbox.run(["append", "--log", sandbox.log], stdin: input)

        #expect(result.exitedNormally, "crashed: \(result)")
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.stdout.isEmpty)
        let message = result.stderrText
        #expect(message.hasPrefix("Error: line 3"), "\(result)")
        for fragment in bad.expected {
            #expect(message.contains(fragment), "missing \(fragment.debugDescription) in: \(message)")
        }
        #expect(message.contains("Nothing was written: the log is unchanged."))
        #expect(try LogFile.snapshot(sandbox.log) == before, "the log changed")
    }

    @Test("A single line of 100 MB is rejected by line number, in bounded memory, the log unchanged")
    func hundredMegabyteLineIsRejectedInBoundedMemory() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(2))
        let before = try LogFile.snapshot(sandbox.log)
        let input =
            Array((Self.good + "\n").utf8) + Self.note(body: [UInt8](repeating: UInt8(ascii: "b"), count: 100 << 20))
            + [0x0A] + Array((Self.good + "\n").utf8)
        // 64 MiB of address space cannot hold the line: a reader that buffered it would die here. (A sanitizer
        // build reserves more than that for itself: then the probe fails and only the plain run is checked.)
        let limited = #"ulimit -v 65536 && exec "$0" append --log "$1""#
        let probe = try sandbox.shell(limited, arguments: [sandbox.log + ".probe"], stdin: [])
        var runs = [try sandbox.run(["append", "--log", sandbox.log], stdin: input)]
        if probe.exitCode == 66 {  // no log at that path: the binary started and ran under the limit
            runs.append(try sandbox.shell(limited, arguments: [sandbox.log], stdin: input))
        }
        for result in runs {
            #expect(result.exitedNormally, "crashed: \(result)")
            #expect(result.exitCode == 65, "\(result)")
            #expect(result.stderrText.hasPrefix("Error: line 2: line is longer than the limit"), "\(result)")
            #expect(result.stderrText.contains("Nothing was written: the log is unchanged."))
            #expect(try LogFile.snapshot(sandbox.log) == before, "the log changed")
        }
    }

    /// Bytes that break a value: the message should name the field the value belongs to, as
    /// docs/EVENTS.md promises ("stderr names the line, the field and the reason").
    static let badValues: [BadLine] = [
        BadLine("invalid UTF-8 in body", [#"field "body""#], bytes: { note(body: [0x61, 0xFF]) }),
        BadLine("raw NUL byte in body", [#"field "body""#], bytes: { note(body: [0x61, 0x00]) }),
        BadLine("nesting too deep in policy", [#"field "policy""#], bytes: nested(100, open: "[", close: "]")),
    ]

    @Test("An error inside a field's value names that field", arguments: badValues)
    func errorInsideAValueNamesTheField(_ bad: BadLine) throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let result = try sandbox.run(["append", "--log", sandbox.log], stdin: bad.bytes() + [0x0A])
        #expect(result.exitCode == 65, "\(result)")
        for fragment in bad.expected {
            #expect(result.stderrText.contains(fragment), "missing \(fragment) in: \(result.stderrText)")
        }
    }

    /// Pairs of member names that are different strings under RFC 8259 (which compares names by code
    /// units) but canonically equivalent in Unicode, so Swift's `==` on `String` calls them equal.
    static let equivalentKeys: [(String, String, String)] = [
        ("é precomposed and decomposed, top level", #"caf\u00e9"#, #"cafe\u0301"#),
        ("K and KELVIN SIGN, top level", "K", #"\u212a"#),
        ("combining marks in two orders, nested object", #"a\u0301\u0328"#, #"a\u0328\u0301"#),
        ("Å and ANGSTROM SIGN, nested object of 20 members", #"\u00c5"#, #"\u212b"#),
    ]

    @Test(
        "Keys that differ only by Unicode normalisation are different keys, and both are kept",
        arguments: equivalentKeys)
    func canonicallyEquivalentKeysAreDistinct(name: String, first: String, second: String) throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let members = #""\#(first)":1,"\#(second)":2"#
        let extra: String
        if name.contains("20 members") {
            extra = #""x":{"# + (0..<18).map { #""k\#($0)":0"# }.joined(separator: ",") + "," + members + "}"
        } else if name.contains("nested") {
            extra = #""x":{"# + members + "}"
        } else {
            extra = members
        }
        let line = Self.note(extra: extra)
        let result = try sandbox.run(["append", "--log", sandbox.log], input: line + "\n")
        #expect(result.succeeded, "\(name): \(result)")
        guard result.succeeded else { return }
        let input = try TestJSON.parse(line)
        let output = try TestJSON.parse(try #require(try sandbox.dump().first))
        #expect(output.removing(["seq", "recorded_at"]) == input, "\(name): the keys did not round-trip exactly")
        let keys = name.contains("nested") ? (output["x"]?.keys ?? []) : output.keys
        let decodedFirst = try #require(try TestJSON.parse(#"{"\#(first)":0}"#).keys.first)
        let decodedSecond = try #require(try TestJSON.parse(#"{"\#(second)":0}"#).keys.first)
        #expect(keys.contains { $0.sameScalars(as: decodedFirst) }, "\(name)")
        #expect(keys.contains { $0.sameScalars(as: decodedSecond) }, "\(name)")
    }

    @Test("Edge cases that are valid are accepted and come back unchanged")
    func validEdgeCases() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let deep = String(decoding: Self.nested(62, open: "[", close: "]")(), as: UTF8.self)  // 64 levels in all
        let lines = [
            deep,
            Self.note(extra: #""nul":"\u0000","ctl":"\u001f","bs":"\\u0000""#),
            #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c","author":"a","body":"a\u0000b"}"#,
            " \t{\"type\":\"note_added\",\"at\":\"2026-03-02T09:15:00Z\",\"conversation\":\"c\",\"author\":\"a\",\"body\":\"b\"}\t ",
        ]
        try sandbox.append(lines)
        let out = try sandbox.dump().map { try TestJSON.parse($0) }
        try #require(out.count == lines.count)
        #expect(out[0]["policy"] == (try TestJSON.parse(deep))["policy"])
        #expect(out[1]["nul"] == .string("\u{0}"))
        #expect(out[1]["ctl"] == .string("\u{1F}"))
        #expect(out[1]["bs"] == .string("\\u0000"))
        #expect(out[2]["body"] == .string("a\u{0}b"))
    }
}
