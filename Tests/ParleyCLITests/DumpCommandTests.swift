import Foundation
import Testing

/// `parley dump`: ranges, formats, usage errors, and what it does at a damaged or torn end.
@Suite("dump", .dedicatedThread)
struct DumpCommandTests {
    /// A log of 10 mixed events in frames of seq 1–3, 4–6, 7–9, 10.
    static func tenEventLog() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.mixed(10), batchSize: 3)
        return sandbox
    }

    static func seqs(_ lines: [String]) throws -> [Int] {
        try lines.map { try #require(try TestJSON.parse($0)["seq"]?.intValue) }
    }

    @Test(
        "--from-seq and --to-seq select an inclusive range, across and inside frames",
        arguments: [
            ([String](), Array(1...10)),
            (["--from-seq", "4"], Array(4...10)),
            (["--to-seq", "5"], Array(1...5)),
            (["--from-seq", "3", "--to-seq", "7"], Array(3...7)),
            (["--from-seq", "5", "--to-seq", "5"], [5]),
            (["--from-seq", "10"], [10]),
            (["--from-seq=2", "--to-seq=2"], [2]),
            (["--from-seq", "11"], []),
            (["--from-seq", "1", "--to-seq", "1000"], Array(1...10)),
            (["--from-seq", "18446744073709551615"], []),
        ])
    func ranges(options: [String], expected: [Int]) throws {
        let sandbox = try Self.tenEventLog()
        let result = try sandbox.run(["dump", "--log", sandbox.log] + options)
        #expect(result.succeeded, "\(result)")
        #expect(try Self.seqs(result.stdoutLines) == expected)
        let all = try sandbox.dump()
        #expect(result.stdoutLines == expected.map { all[$0 - 1] }, "a range is a slice of the full dump")
    }

    @Test("--format text writes one readable line per event")
    func textFormat() throws {
        let sandbox = try Self.tenEventLog()
        let result = try sandbox.run([
            "dump", "--log", sandbox.log, "--format", "text", "--from-seq", "2", "--to-seq", "9",
        ])
        #expect(result.succeeded, "\(result)")
        let lines = result.stdoutLines
        try #require(lines.count == 8, "\(result)")
        let types = [
            "reply_sent", "assigned", "status_changed", "categorized", "note_added", "customer_linked", "policy_set",
            "message_received",
        ]
        for (index, line) in lines.enumerated() {
            #expect(line.hasPrefix("#\(index + 2) 2026-03-02T"), "\(line)")
            #expect(line.contains(" \(types[index]) "), "\(line)")
        }
        #expect(lines[0].contains("[conv-1]"))
        #expect(lines[2].contains("pending"))
        #expect(!lines.contains { $0.hasPrefix("{") })
        let jsonl = try sandbox.run(["dump", "--log", sandbox.log, "--format", "jsonl", "--to-seq", "1"])
        #expect(jsonl.stdoutLines == [try sandbox.dump()[0]])
    }

    @Test(
        "Usage errors in ranges exit 64 and print nothing on stdout",
        arguments: [
            (["--from-seq", "5", "--to-seq", "2"], "--from-seq 5 is after --to-seq 2"),
            (["--from-seq", "abc"], "--from-seq"),
            (["--from-seq", "0"], "--from-seq"),
            (["--to-seq", "-1"], "--to-seq"),
            (["--to-seq", "1.5"], "--to-seq"),
            (["--from-seq", ""], "--from-seq"),
            (["--to-seq", "18446744073709551616"], "--to-seq"),
            (["--from-seq"], "needs a value"),
        ])
    func rangeUsageErrors(options: [String], message: String) throws {
        let sandbox = try Self.tenEventLog()
        let result = try sandbox.run(["dump", "--log", sandbox.log] + options)
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText.hasPrefix("Error: "), "\(result)")
        #expect(result.stderrText.contains(message), "\(result)")
        #expect(result.stderrText.contains("Usage: parley dump"))
    }

    @Test("An empty log dumps nothing and exits 0")
    func emptyLog() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let result = try sandbox.run(["dump", "--log", sandbox.log])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.isEmpty)
    }

    @Test("A torn tail: dump writes the complete events, warns, exits 0 and leaves the file alone")
    func tornTail() throws {
        let sandbox = try Self.tenEventLog()
        let all = try sandbox.dump()
        let last = try #require(try LogFile.frames(at: sandbox.log).last)
        try LogFile.truncate(sandbox.log, to: last.offset + 10)
        let before = try LogFile.snapshot(sandbox.log)
        let result = try sandbox.run(["dump", "--log", sandbox.log])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdoutLines == Array(all.prefix(9)))
        #expect(
            result.stderrText.contains("warning: 10 bytes of an interrupted append at offset \(last.offset)"),
            "\(result)")
        #expect(try LogFile.snapshot(sandbox.log) == before)
    }

    @Test("Damage mid-file: dump writes the events before it, then exits 1 naming the offset")
    func damageStopsTheDump() throws {
        let sandbox = try Self.tenEventLog()
        let all = try sandbox.dump()
        let frames = try LogFile.frames(at: sandbox.log)
        let second = frames[1]
        try LogFile.flipByte(at: second.offset + second.length / 2, in: sandbox.log)
        let before = try LogFile.snapshot(sandbox.log)
        let result = try sandbox.run(["dump", "--log", sandbox.log])
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stdoutLines == Array(all.prefix(3)))
        #expect(result.stderrText.contains("offset \(second.offset)"), "\(result)")
        #expect(result.stderrText.contains("damaged"), "\(result)")
        #expect(try LogFile.snapshot(sandbox.log) == before)
        // A range that ends before the damage is written in full; the damage still shows in the exit
        // code (1: "a command that met the damage"), since the reader had to look past seq 3 to end.
        let early = try sandbox.run(["dump", "--log", sandbox.log, "--to-seq", "3"])
        #expect(early.stdoutLines == Array(all.prefix(3)))
        #expect(early.exitCode == 1, "\(early)")
    }

    @Test("dump stops quietly with exit 0 when its reader goes away (closed pipe)")
    func closedPipe() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(3000, bodyBytes: 100))  // ~500 KiB of output: more than a pipe holds
        let result = try sandbox.shell(
            #"{ "$0" dump --log "$1"; echo "parley exited $?" >&2; } | head -n 1"#, arguments: [sandbox.log])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdoutLines.count == 1)
        #expect(result.stderrText.contains("parley exited 0"), "\(result)")
    }
}
