import Foundation
import ParleyEvents
import ParleyLog
import ParleyTestSupport
import Testing

/// `tools/read_log.py`, written from docs/FORMAT.md alone, reads the samples of every type exactly as
/// Parley writes them back (`Frame.events` and the JSON Lines encoder): a type missing from its table, or
/// a field it reads differently, fails here.
@Suite struct ReadLogAgreementTests {
    @Test func theIndependentReaderReadsEverySampleOfEveryTypeAsParleyDoes() async throws {
        let outcome = await Self.onThread { () -> Result<(expected: String, read: String, status: Int32), Error> in
            Result { try Self.writeAndRead() }
        }
        let (expected, read, status) = try outcome.get()
        #expect(status == 0)
        let expectedLines = expected.split(separator: "\n")
        let readLines = read.split(separator: "\n")
        #expect(readLines.count == expectedLines.count)
        for (mine, theirs) in zip(expectedLines, readLines) where mine != theirs {
            Issue.record("read_log.py: \(theirs.prefix(300))\nParley:      \(mine.prefix(300))")
            break
        }
    }

    /// Writes every sample to a log, one frame per type, then a frame of version 1 `assigned` records; returns Parley's dump of it, read_log.py's, and
    /// read_log.py's exit status.
    private static func writeAndRead() throws -> (expected: String, read: String, status: Int32) {
        let directory = try TemporaryDirectory.make(prefix: "parley-read-log")
        defer { directory.remove() }
        let path = directory.file("samples.log")
        let writer = try LogWriter.create(at: path)
        for kind in EventKind.allCases {
            var batch = LogBatch()
            for sample in EventSample.samples(of: kind) {
                let event = try JSONLineDecoder().decode(Array(sample.line.utf8)[...], lineNumber: 1)
                batch.appendRecord { EventCodec.encode(event, into: &$0) }
            }
            try writer.append(&batch)
        }
        // Version 1 `assigned` records, as logs written before version 2 hold them, with extras promoted,
        // renamed and kept.
        var old = LogBatch()
        for extras in [[], [("source", "crm")], [("by", "rule:vip"), ("reason", "r")], [("by", ""), ("by_v1", "x")]] {
            let record = AssignedUpcastTests.v1Record(
                assignee: extras.isEmpty ? nil : "agent:ana", team: "t", extras: extras)
            old.appendRecord { $0 += record }
        }
        try writer.append(&old)
        writer.close()

        var expected: [UInt8] = []
        let reader = try LogReader(path: path)
        while let frame = try reader.nextFrame() {
            for record in frame.events() {
                let event = try #require(record.event)
                JSONLineEncoder().encode(event, into: &expected)
                expected.append(0x0A)
            }
        }

        // ChildProcess (posix_spawn), not Foundation's Process, whose `run()` can crash on this toolchain
        // when other threads spawn at the same time (Tests/ParleyTestSupport/ChildProcess.swift).
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", RepositoryFile.root.appendingPathComponent("tools/read_log.py").path, path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let read = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            String(decoding: expected, as: UTF8.self), String(decoding: read, as: UTF8.self), process.terminationStatus
        )
    }

    /// Runs blocking work (fsyncs, a child process) on a thread of its own, off Swift's cooperative pool.
    private static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }
}
