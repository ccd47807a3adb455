import Foundation
import Testing

/// `parley append`: JSON Lines in, all-or-nothing batches out; and the round trip through `dump`.
@Suite("append", .dedicatedThread)
struct AppendCommandTests {
    // MARK: Round trip

    /// Every event type; optional fields present, absent and null; extra fields of every JSON kind,
    /// with numbers whose text must survive, unicode (composed and decomposed), escapes, odd key
    /// order and whitespace, and `at` in forms that `dump` normalises.
    static let roundTripInput: [String] = [
        #"{"type":"message_received","at":"2026-03-02T09:15:00+01:00","conversation":"c-1","customer":"cust-1","channel":"email","message_id":"<m1@example.com>","subject":"Order #42 — where is it?","body":"Hi,\nmy order \"42\" is late.\t\\o/","price":1.50e3,"neg_zero":-0,"big":123456789012345678901234567890,"exp":1E+2,"small":-0.000e-0,"meta":{"nested":{"deep":[1,2,{"k":null}]},"empty":{},"list":[]}}"#,
        #"{"type":"message_received","at":"2026-03-02T08:15:00.250Z","conversation":"c-2","customer":"cust-2","channel":"whatsapp","body":""}"#,
        #"{"type":"message_received","at":"2026-03-02t08:16:00.000000001z","conversation":"c-3","customer":"café","channel":"other","message_id":null,"subject":null,"body":"x","n":"cafe\u0301","emoji":"\ud83d\ude00 😀","esc":"\" \\ \/ \b \f \n \r \t \u0001 \u001f \u007f \u00e9 \u2028"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:20:00.123456789-05:30","conversation":"c-1","author":"agent:ana","auto":true,"body":"We are on it.","名前":"日本語 – ✓","nested":[[[]],[{}],{"a":[true,false,null]}]}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:21:00+00:00","conversation":"c-1","author":"bot:faq","body":"Auto"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:22:00-00:00","conversation":"c-1","author":"bot:faq","auto":null,"body":"b"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:23:00Z","conversation":"c-1","assignee":"agent:bo","team":"tier-2"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:24:00Z","conversation":"c-1","assignee":null}"#,
        #"{"type":"assigned","at":"2026-03-02T09:25:00Z","conversation":"c-2","assignee":"agent:cy","team":null,"author":"not a field of assigned"}"#,
        #"{"seq":999,"recorded_at":"1999-01-01T00:00:00Z","type":"status_changed","at":"2026-03-02T09:26:00Z","conversation":"c-1","status":"pending"}"#,
        #"{"type":"status_changed","at":"2026-03-02T09:27:00.5+05:45","conversation":"c-1","status":"resolved","status_reason":"done","body":"not a field of status_changed"}"#,
        #"{"type":"status_changed","at":"2026-03-02T09:27:30Z","conversation":"c-2","status":"open"}"#,
        #"{"type":"categorized","at":"2026-03-02T09:28:00Z","conversation":"c-1","category":"shipping","priority":"urgent"}"#,
        #"{"type":"categorized","at":"2026-03-02T09:29:00Z","conversation":"c-2","category":"billing","tags":["a","b",["c"]],"flag":true,"off":false,"nothing":null}"#,
        #"{"type":"categorized","at":"2026-03-02T09:30:00Z","conversation":"c-3","category":"other","priority":null}"#,
        #"{"type":"note_added","at":"2026-03-02T09:31:00Z","conversation":"c-1","author":"agent:ana","body":"Internal: customer is \"VIP\" ✓"}"#,
        #"{"type":"customer_linked","at":"2026-03-02T09:32:00Z","customer":"cust-1","same_as":"cust-9","conversation":"c-1"}"#,
        #"{"type":"policy_set","at":"2026-03-02T09:33:00Z","policy":{"first_response_minutes":60,"ratio":0.750,"hours":{"mon":[9,17],"sun":null},"zeta":1,"alpha":2},"conversation":"c-1","version":2.0}"#,
        #"{"type":"policy_set","at":"2025-12-31T23:59:59.999999999-23:59","policy":{}}"#,
        #"{"at":"1678-01-01T00:00:00Z","body":"scrambled key order","author":"a","conversation":"c-4","type":"note_added"}"#,
        #"{"type":"message_received","at":"2262-04-11T23:47:16.854775807Z","conversation":"c-5","customer":"K","channel":"sms","body":"K","kelvin":"\u212a"}"#,
        "{ \"type\" : \"note_added\" ,\t\"at\":\"2026-03-02T10:00:00.100+01:00\", \"conversation\" : \"c-6\",\"author\":\"x\",\"body\":\"spaces\" , \"z\" : [ 1 , 2 ] }",
    ]

    /// The type-specific keys of each event type, in the order `dump` writes them.
    static let schema: [String: [String]] = [
        "message_received": ["conversation", "customer", "channel", "message_id", "subject", "body"],
        "reply_sent": ["conversation", "author", "auto", "body"],
        "assigned": ["conversation", "assignee", "team"],
        "status_changed": ["conversation", "status"],
        "categorized": ["conversation", "category", "priority"],
        "note_added": ["conversation", "author", "body"],
        "customer_linked": ["customer", "same_as"],
        "policy_set": ["policy"],
    ]

    /// Optional keys for which `null` means absent (`assignee: null` is a value: unassigned).
    static let nullMeansAbsent: Set<String> = ["message_id", "subject", "team", "priority", "auto"]

    /// `at` as docs/EVENTS.md says dump writes it: same instant and offset, `T` and `Z` upper case,
    /// no trailing zeros in the fraction (none at all if zero), a zero offset as `Z`.
    static func normalisedAt(_ input: String) -> String {
        var text = input
        let separator = text.index(text.startIndex, offsetBy: 10)
        text.replaceSubrange(separator...separator, with: "T")
        if text.hasSuffix("z") { text = text.dropLast() + "Z" }
        if text.hasSuffix("+00:00") || text.hasSuffix("-00:00") { text = text.dropLast(6) + "Z" }
        if let dot = text.firstIndex(of: ".") {
            let afterDot = text[text.index(after: dot)...]
            let digits = afterDot.prefix { $0.isASCII && $0.isNumber }
            var trimmed = String(digits)
            while trimmed.hasSuffix("0") { trimmed.removeLast() }
            text = String(text[..<dot]) + (trimmed.isEmpty ? "" : "." + trimmed) + afterDot.dropFirst(digits.count)
        }
        return text
    }

    /// What dump should give back for an input line, without `seq` and `recorded_at`, keys in dump's order.
    static func expectedOutput(for input: TestJSON) throws -> TestJSON {
        let type = try #require(input["type"]?.stringValue)
        let fields = try #require(schema[type])
        guard case .object(let members) = input else { throw TestJSON.ParseError(offset: 0, reason: "not an object") }
        var out: [TestJSON.Member] = [
            .init(key: "type", value: .string(type)),
            .init(key: "at", value: .string(normalisedAt(try #require(input["at"]?.stringValue)))),
        ]
        for field in fields {
            let value = input[field]
            if field == "auto" {
                out.append(.init(key: field, value: value.flatMap { $0 == .null ? nil : $0 } ?? .bool(false)))
            } else if let value, !(value == .null && nullMeansAbsent.contains(field)) {
                out.append(.init(key: field, value: value))
            }
        }
        let reserved = Set(["type", "at", "seq", "recorded_at"] + fields)
        out += members.filter { !reserved.contains($0.key) }
        return .object(out)
    }

    /// The line with its `recorded_at` value blanked (commit times differ between logs).
    static func withoutRecordedAt(_ line: String) -> String {
        guard let start = line.range(of: #","recorded_at":""#) else { return line }
        guard let end = line[start.upperBound...].firstIndex(of: "\"") else { return line }
        return String(line[..<start.upperBound]) + "…" + String(line[end...])
    }

    @Test("append then dump gives back every field of every line; dump | append reproduces the dump")
    func roundTripThroughDump() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let input = Self.roundTripInput
        let appended = try sandbox.append(input)
        #expect(appended.stdoutText == "\(input.count)\n")

        let dumped = try sandbox.dump()
        try #require(dumped.count == input.count, "dump gave \(dumped.count) lines for \(input.count) events")
        var recordedAt: Set<String> = []
        for (index, (inputLine, outputLine)) in zip(input, dumped).enumerated() {
            let given = try TestJSON.parse(inputLine)
            let output = try TestJSON.parse(outputLine)
            #expect(output["seq"] == .number(String(index + 1)), "line \(index + 1): \(outputLine)")
            let recorded = try #require(output["recorded_at"]?.stringValue, "line \(index + 1)")
            #expect(recorded.hasSuffix("Z"))
            recordedAt.insert(recorded)
            #expect(Array(output.keys.prefix(2)) == ["seq", "recorded_at"])
            let expected = try Self.expectedOutput(for: given)
            let actual = output.removing(["seq", "recorded_at"])
            // Key order first (schema order, then the extras in input order), then every value.
            #expect(
                actual.keys == expected.keys,
                "line \(index + 1): keys differ\n  in:  \(inputLine)\n  out: \(outputLine)")
            for key in expected.keys {
                #expect(
                    actual[key] == expected[key],
                    "line \(index + 1), field \"\(key)\": expected \(expected[key]?.description ?? "absent"), got \(actual[key]?.description ?? "absent")"
                )
            }
        }
        #expect(recordedAt.count == 1, "one batch, one commit time: \(recordedAt)")

        // dump | append into a second log, then dump again: the same lines apart from recorded_at.
        let second = sandbox.path("second.log")
        try sandbox.initLog(second)
        let reappended = try sandbox.run(["append", "--log", second], stdin: EventLines.input(dumped))
        #expect(reappended.succeeded, "\(reappended)")
        let redumped = try sandbox.dump(second)
        #expect(redumped.map(Self.withoutRecordedAt) == dumped.map(Self.withoutRecordedAt))

        // The same input in batches of 4 (several frames) dumps the same too.
        let third = sandbox.path("third.log")
        try sandbox.initLog(third)
        try sandbox.append(input, to: third, batchSize: 4)
        #expect(try LogFile.frames(at: third).count == (input.count + 3) / 4)
        #expect(try sandbox.dump(third).map(Self.withoutRecordedAt) == dumped.map(Self.withoutRecordedAt))
    }

    @Test(
        "The documented timestamp normalisation",
        arguments: [
            ("2026-03-02T08:15:00.250Z", "2026-03-02T08:15:00.25Z"),
            ("2026-03-02t08:15:00z", "2026-03-02T08:15:00Z"),
            ("2026-03-02T08:15:00.000+01:00", "2026-03-02T08:15:00+01:00"),
            ("2026-03-02T08:15:00-00:00", "2026-03-02T08:15:00Z"),
            ("2026-03-02T08:15:00.123456789+14:00", "2026-03-02T08:15:00.123456789+14:00"),
            ("1969-12-31T23:59:59.999999999+01:00", "1969-12-31T23:59:59.999999999+01:00"),
            ("1677-09-21T00:12:43.145224192Z", "1677-09-21T00:12:43.145224192Z"),
            ("2262-04-12T00:47:16.854775807+01:00", "2262-04-12T00:47:16.854775807+01:00"),
            ("1970-01-01T00:00:00.000000001-00:01", "1970-01-01T00:00:00.000000001-00:01"),
        ])
    func timestampNormalisation(input: String, expected: String) throws {
        #expect(Self.normalisedAt(input) == expected)
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append([#"{"type":"status_changed","at":"\#(input)","conversation":"c","status":"open"}"#])
        let line = try #require(try sandbox.dump().first)
        #expect(try TestJSON.parse(line)["at"] == .string(expected))
    }

    // MARK: Acknowledgement and batches

    @Test("append prints the last committed seq on stdout and the range on stderr")
    func printsLastCommittedSeq() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let first = try sandbox.append(EventLines.notes(3))
        #expect(first.stdoutText == "3\n")
        #expect(first.stderrText.contains("seq 1–3"))
        let second = try sandbox.append(EventLines.notes(2, from: 4))
        #expect(second.stdoutText == "5\n")
        #expect(second.stderrText.contains("seq 4–5"))
        let seqs = try sandbox.dump().map { try TestJSON.parse($0)["seq"]?.intValue }
        #expect(seqs == [1, 2, 3, 4, 5])
    }

    @Test("Without --batch-size the whole input is one frame")
    func wholeInputIsOneFrame() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.mixed(200))
        let frames = try LogFile.frames(at: sandbox.log)
        #expect(frames.count == 1)
        #expect(frames.first?.count == 200)
        #expect(frames.first?.end == (try sandbox.bytes().count))
    }

    @Test("--batch-size N commits frames of N events, the last one shorter")
    func batchSizeMakesFramesOfN() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let result = try sandbox.append(EventLines.notes(7), batchSize: 3)
        #expect(result.stdoutText == "7\n")
        #expect(result.stderrText.contains("in 3 batches"))
        let frames = try LogFile.frames(at: sandbox.log)
        #expect(frames.map(\.count) == [3, 3, 1])
        #expect(frames.map(\.firstSeq) == [1, 4, 7])
    }

    @Test("A bad line in batch 3 leaves batches 1–2 committed, says which seqs, and writes nothing of batch 3")
    func badLineInThirdBatch() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(3))  // seq 1–3, one frame
        let committedBefore = try sandbox.bytes()
        var lines = EventLines.notes(8, from: 4)
        // Line 6 has no body.
        lines[5] = #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c","author":"a"}"#
        let result = try sandbox.run(
            ["append", "--log", sandbox.log, "--batch-size", "2"], stdin: EventLines.input(lines))
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.stdout.isEmpty, "nothing is acknowledged on stdout after a failure")
        #expect(result.stderrText.contains("line 6"), "\(result)")
        #expect(result.stderrText.contains("field \"body\""), "\(result)")
        #expect(result.stderrText.contains("seq 4–7"), "the message names the committed seqs: \(result)")
        #expect(result.stderrText.contains("2 batches"), "\(result)")

        let bytes = try sandbox.bytes()
        #expect(Array(bytes.prefix(committedBefore.count)) == committedBefore, "earlier frames changed")
        let frames = LogFile.frames(bytes)
        #expect(frames.map(\.count) == [3, 2, 2])
        #expect(frames.last?.end == bytes.count, "bytes of the rejected batch remain")
        let bodies = try sandbox.dump().map { try TestJSON.parse($0)["body"]?.stringValue }
        #expect(bodies == (1...7).map { "note \($0)" })  // line 5 (note 8) was in the rejected batch
        let verified = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(verified.succeeded, "\(verified)")
    }

    @Test("Empty input appends nothing, leaves the log alone and prints the current last seq")
    func emptyInput() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(2))
        let before = try sandbox.bytes()
        for input in ["", "\n", "\n\n  \n", "\r\n"] {
            let result = try sandbox.run(["append", "--log", sandbox.log], input: input)
            #expect(result.succeeded, "\(result)")
            #expect(result.stdoutText == "2\n")
            #expect(result.stderrText.contains("nothing appended"))
            #expect(try sandbox.bytes() == before)
        }
    }

    @Test("CRLF line endings, a leading UTF-8 BOM and blank lines at the end are accepted")
    func crlfBomAndTrailingBlankLines() throws {
        let sandbox = try Sandbox()
        let lines = EventLines.mixed(9)
        let plain = sandbox.path("plain.log")
        try sandbox.initLog(plain)
        try sandbox.append(lines, to: plain)

        let windows = sandbox.path("windows.log")
        try sandbox.initLog(windows)
        let input: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n\r\n \r\n").utf8)
        let result = try sandbox.run(["append", "--log", windows], stdin: input)
        #expect(result.succeeded, "\(result)")
        #expect(result.stdoutText == "9\n")
        #expect(
            try sandbox.dump(windows).map(Self.withoutRecordedAt) == sandbox.dump(plain).map(Self.withoutRecordedAt))

        // The last line may also lack its line ending.
        let unterminated = try sandbox.run(["append", "--log", windows], input: EventLines.note(99))
        #expect(unterminated.succeeded, "\(unterminated)")
        #expect(unterminated.stdoutText == "10\n")
    }

    @Test("A body of exactly 1 MiB and an identifier of exactly 512 bytes are accepted")
    func limitsAreInclusive() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let body = String(repeating: "é", count: 1 << 19)  // 2 bytes each: 1 MiB
        let id = String(repeating: "i", count: 512)
        let line =
            #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"\#(id)","author":"a","body":"\#(body)"}"#
        try sandbox.append([line])
        let out = try TestJSON.parse(try #require(try sandbox.dump().first))
        #expect(out["body"] == .string(body))
        #expect(out["conversation"] == .string(id))
    }

    @Test("A read error on stdin exits 74 and writes nothing")
    func stdinReadError() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(2))
        let before = try LogFile.snapshot(sandbox.log)
        // A directory opens for reading, but read(2) fails with EISDIR.
        let result = try sandbox.shell(#"exec "$0" append --log "$1" < /"#, arguments: [sandbox.log])
        #expect(result.exitCode == 74, "\(result)")
        #expect(result.stderrText.contains("reading the input failed"), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(try LogFile.snapshot(sandbox.log) == before)
    }

    // MARK: Recovery through the command line

    /// Where to cut the last frame: (name, bytes of it kept).
    static let cuts: [(String, @Sendable (Int) -> Int)] = [
        ("one byte of the frame", { _ in 1 }),
        ("seven bytes: no length", { _ in 7 }),
        ("part of the frame header", { _ in 20 }),
        ("the frame header only", { _ in 36 }),
        ("the middle", { $0 / 2 }),
        ("all but the last byte", { $0 - 1 }),
    ]

    @Test(
        "A torn tail is cut by the next append, which warns with bytes and offset and goes on at the right seq",
        arguments: cuts.indices)
    func tornTailIsCutAndReported(cut: Int) throws {
        let (name, kept) = Self.cuts[cut]
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(6, bodyBytes: 50), batchSize: 2)  // frames of seq 1–2, 3–4, 5–6
        let last = try #require(try LogFile.frames(at: sandbox.log).last)
        let keep = kept(last.length)
        try LogFile.truncate(sandbox.log, to: last.offset + keep)

        let result = try sandbox.run(
            ["append", "--log", sandbox.log], stdin: EventLines.input(EventLines.notes(1, from: 7)))
        #expect(result.succeeded, "\(name): \(result)")
        #expect(result.stdoutText == "5\n", "\(name): the torn frame's seq 5–6 were never acknowledged")
        let warning = try #require(result.stderrLines.first { $0.hasPrefix("warning: ") }, "\(name): \(result)")
        #expect(warning.contains("cut \(keep) bytes at offset \(last.offset)"), "\(name): \(warning)")
        if keep >= 36 { #expect(warning.contains("seq 5–6"), "\(name): \(warning)") }

        let frames = try LogFile.frames(at: sandbox.log)
        #expect(frames.map(\.firstSeq) == [1, 3, 5])
        #expect(frames.last?.offset == last.offset)
        #expect(frames.last?.end == (try sandbox.bytes().count))
        let bodies = try sandbox.dump().map { try TestJSON.parse($0)["body"]?.stringValue?.prefix(6) }
        #expect(bodies == ["note 1", "note 2", "note 3", "note 4", "note 7"])
        let verified = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(verified.succeeded, "\(verified)")
    }

    @Test("Zeros after the last frame (a crash that extended the file) are a torn tail: cut and reported")
    func trailingZerosAreATornTail() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(2))
        let size = try sandbox.bytes().count
        try LogFile.appendBytes([UInt8](repeating: 0, count: 4096), to: sandbox.log)
        let result = try sandbox.run(
            ["append", "--log", sandbox.log], stdin: EventLines.input(EventLines.notes(1, from: 3)))
        #expect(result.succeeded, "\(result)")
        #expect(result.stdoutText == "3\n")
        #expect(result.stderrText.contains("cut 4096 bytes at offset \(size)"), "\(result)")
        #expect(try sandbox.dump().count == 3)
    }

    // MARK: Resource limits

    @Test("A file-size limit (ulimit -f) makes append fail with 74, keeping only whole earlier batches")
    func fileSizeLimit() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let lines = EventLines.notes(300, bodyBytes: 500)  // ~170 KiB, far over the limit
        let result = try sandbox.shell(
            #"ulimit -f 64 && exec "$0" append --log "$1" --batch-size 10"#, arguments: [sandbox.log],
            stdin: EventLines.input(lines))
        #expect(result.exitedNormally, "SIGXFSZ must be ignored: \(result)")
        #expect(result.exitCode == 74, "\(result)")
        #expect(result.stderrText.contains("File too large"), "\(result)")
        #expect(result.stdout.isEmpty)

        let verified = try sandbox.run(["verify", "--log", sandbox.log, "--json"])
        #expect(verified.succeeded, "\(verified)")
        let report = try TestJSON.parse(verified.stdoutText)
        let events = try #require(report["events"]?.intValue)
        #expect(events > 0 && events < 300 && events % 10 == 0, "only whole batches: \(events)")
        #expect(result.stderrText.contains("Committed before it: seq 1–\(events)"), "\(result)")
        let bytes = try sandbox.bytes()
        #expect(LogFile.frames(bytes).last?.end == bytes.count, "a partial frame was left behind")
        #expect(bytes.count <= 64 * 1024)

        // Without the limit, the log takes more.
        let more = try sandbox.run(["append", "--log", sandbox.log], stdin: EventLines.input(EventLines.notes(1)))
        #expect(more.succeeded, "\(more)")
        #expect(more.stdoutText == "\(events + 1)\n")
    }
}
