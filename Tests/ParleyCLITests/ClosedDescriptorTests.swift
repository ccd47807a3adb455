import Foundation
import Testing

/// A process started with stdin, stdout or stderr closed (`<&-`, `>&-`, `2>&-`) would hand that descriptor
/// number to the first file it opens, and everything printed to the closed stream would land in it. No
/// command may let that reach a log, checkpoint, cursor or hint file: readers leave every file
/// byte-identical, writers leave exactly the events they acknowledged.
@Suite("closed standard descriptors", .dedicatedThread)
struct ClosedDescriptorTests {
    /// Which standard descriptor the shell closes before starting `parley`.
    enum Closed: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case stdin = "<&-"
        case stdout = ">&-"
        case stderr = "2>&-"

        var testDescription: String { rawValue }
    }

    /// Commands that must not change the log, run on the demo log (`conversation` and `customer` need ids it
    /// holds; `repair` finds nothing to do).
    static let readers: [[String]] = [
        ["verify"], ["verify", "--json"], ["dump"], ["dump", "--format", "text"], ["stats"], ["tail"],
        ["tail", "--from-end"], ["cursors"], ["conversation", "conv-1009"], ["customer", "cust-114"], ["queue"],
        ["sla"], ["kpi", "--by", "day"], ["kpi", "--by", "week", "--no-checkpoint"], ["policy", "show"], ["repair"],
        ["rebuild"], ["nonsense"],
    ]

    /// Files beside the demo log that must stay as they are (the hint is rewritten only by writers).
    static func files(_ sandbox: Sandbox) -> [String] {
        [sandbox.log, sandbox.log + ".commit", sandbox.log + ".checkpoint"]
    }

    /// A sandbox holding the demo log (with its hint and checkpoint).
    static func demo() throws -> Sandbox {
        let sandbox = try Sandbox()
        let made = try sandbox.run(["demo", "--log", sandbox.log])
        #expect(made.succeeded, "demo failed: \(made)")
        return sandbox
    }

    /// Runs `parley ARGS` through the shell with one descriptor closed.
    static func run(_ sandbox: Sandbox, _ arguments: [String], closed: Closed, stdinFile: String? = nil) throws
        -> ParleyRun
    {
        let input = stdinFile.map { " < \"\($0)\"" } ?? ""
        // The redirections apply left to right: a file on stdin, then the closing.
        return try sandbox.shell(#""$0" "$@""# + input + " " + closed.rawValue, arguments: arguments)
    }

    @Test("readers leave the log, hint and checkpoint byte-identical", arguments: Closed.allCases)
    func readersLeaveFilesUnchanged(closed: Closed) throws {
        let sandbox = try Self.demo()
        let before = try Self.files(sandbox).map { try sandbox.bytes($0) }
        for command in Self.readers {
            let result = try Self.run(sandbox, command + ["--log", sandbox.log], closed: closed)
            #expect(result.exitedNormally, "\(command) crashed: \(result)")
            let after = try Self.files(sandbox).map { try sandbox.bytes($0) }
            for (index, path) in Self.files(sandbox).enumerated() {
                #expect(after[index] == before[index], "\(command) with \(closed.rawValue) changed \(path)")
            }
        }
        let verified = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(verified.succeeded, "\(verified)")
        let kpi = try sandbox.run(["kpi", "--by", "day", "--log", sandbox.log])
        #expect(kpi.succeeded && kpi.stderrText.isEmpty, "the checkpoint no longer loads: \(kpi)")
    }

    @Test("append holds exactly the acknowledged events", arguments: Closed.allCases)
    func appendKeepsExactlyTheAcknowledgedEvents(closed: Closed) throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(3))
        let input = sandbox.path("events.jsonl")
        try sandbox.write(EventLines.input(EventLines.notes(4, from: 4)), to: input)
        for flags in [[], ["--print-commits"], ["--batch-size", "2"]] {
            let result = try Self.run(
                sandbox, ["append", "--log", sandbox.log] + flags, closed: closed,
                stdinFile: closed == .stdin ? nil : input)
            #expect(result.exitedNormally, "\(result)")
        }
        let verified = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(verified.succeeded, "\(closed.rawValue) damaged the log: \(verified)")
        let bodies = try sandbox.dump().map { try TestJSON.parse($0)["body"]?.stringValue ?? "?" }
        // With stdin closed, every append reads an empty input and adds nothing; otherwise all three succeed.
        let appended = closed == .stdin ? [] : Array(repeating: (4...7).map { "note \($0)" }, count: 3).flatMap { $0 }
        #expect(bodies == (1...3).map { "note \($0)" } + appended)
    }

    @Test("init, ack and policy set write their files and nothing else into them", arguments: Closed.allCases)
    func writersOfSideFilesStayClean(closed: Closed) throws {
        let sandbox = try Sandbox()
        let created = try Self.run(sandbox, ["init", "--log", sandbox.log], closed: closed)
        #expect(created.succeeded, "\(created)")
        let appended = try Self.run(
            sandbox, ["append", "--log", sandbox.log], closed: closed == .stdin ? .stdout : closed,
            stdinFile: try {
                let input = sandbox.path("events.jsonl")
                try sandbox.write(EventLines.input(EventLines.notes(5)), to: input)
                return input
            }())
        #expect(appended.succeeded, "\(appended)")
        let policy = sandbox.path("policy.json")
        try sandbox.write(Array(PolicyCommandTests.policy.utf8), to: policy)
        let set = try Self.run(sandbox, ["policy", "set", policy, "--log", sandbox.log], closed: closed)
        #expect(set.succeeded, "\(set)")
        let acked = try Self.run(sandbox, ["ack", "indexer", "4", "--log", sandbox.log], closed: closed)
        #expect(acked.succeeded, "\(acked)")

        let verified = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(verified.succeeded, "\(verified)")
        let lines = try sandbox.dump()
        #expect(lines.count == 6)
        #expect(lines.last.map { $0.contains(#""type":"policy_set""#) } == true)
        let cursors = try sandbox.run(["cursors", "--log", sandbox.log])
        #expect(cursors.succeeded && cursors.stdoutText.contains("indexer"), "\(cursors)")
        #expect(cursors.stdoutText.contains("4"), "\(cursors)")
    }
}
