import ParleyEvents
import ParleyLog
import ParleyService
import ParleyTestSupport
import Synchronization
import Testing

/// The one write path, in-process: all-or-nothing batches, batch splitting, error context, the typed events
/// path, and commits acknowledged in order.
@Suite(.dedicatedThread) struct EventAppenderTests {
    static let lines = (1...7).map { message("c\($0)", at: "2026-03-02T09:0\($0):00Z") }

    /// Appends `lines` to a new log and returns the log, what was committed or the error, and the commits
    /// reported to `onCommit`, in the order reported.
    static func append(_ lines: [String], batchSize: Int?) throws -> (
        log: TemporaryLog, result: Result<AppendSummary, ServiceError>, commits: [ClosedRange<UInt64>]
    ) {
        let log = try TemporaryLog()
        let writer = try log.writer()
        defer { writer.close() }
        let commits = Mutex<[ClosedRange<UInt64>]>([])
        var appender = EventAppender(writer: writer, batchSize: batchSize)
        appender.onCommit = { commit in commits.withLock { $0.append(commit.seqs) } }
        let result = Result { () throws(ServiceError) in try appender.append(jsonLines: MemorySource(jsonLines(lines)))
        }
        return (log, result, commits.withLock { $0 })
    }

    @Test func wholeInputIsOneBatchWithoutABatchSize() throws {
        let run = try Self.append(Self.lines, batchSize: nil)
        let summary = try run.result.get()
        #expect(summary.events == 7)
        #expect(summary.batches == 1)
        #expect(summary.committed == 1...7)
        #expect(try run.log.frames() == [1...7])
        #expect(try run.log.events().map(\.event.payload.conversation) == (1...7).map { "c\($0)" })
    }

    @Test func batchSizeSplitsTheInputAndCommitsAreReportedInOrder() throws {
        let run = try Self.append(Self.lines, batchSize: 3)
        let summary = try run.result.get()
        #expect(summary.batches == 3)
        #expect(summary.committed == 1...7)
        #expect(try run.log.frames() == [1...3, 4...6, 7...7])
        #expect(run.commits == [1...3, 4...6, 7...7])
    }

    @Test func aBadLineRejectsItsBatchAndSaysWhatEarlierBatchesCommitted() throws {
        var lines = Self.lines
        lines[4] =
            #"{"type":"message_received","at":"2026-03-02T25:00:00Z","conversation":"c5","customer":"a","channel":"email","body":"x"}"#
        let run = try Self.append(lines, batchSize: 2)
        guard case .failure(let error) = run.result else {
            Issue.record("a bad line was accepted")
            return
        }
        #expect(error.code == .badInput)
        #expect(error.position == .line(5))
        #expect(error.field == "at")
        #expect(error.eventError?.line == 5)
        #expect(error.committed.committed == 1...4)
        #expect(error.committed.events == 4)
        #expect(error.committed.batches == 2)
        #expect(error.message.hasPrefix("line 5, field \"at\": "))
        #expect(error.description.hasSuffix("(committed before it: seq 1–4, 4 events in 2 batches)"))
        #expect(try run.log.frames() == [1...2, 3...4])
    }

    @Test func aBadLineWithoutABatchSizeWritesNothing() throws {
        var lines = Self.lines
        lines[6] = "{not json"
        let run = try Self.append(lines, batchSize: nil)
        guard case .failure(let error) = run.result else {
            Issue.record("a bad line was accepted")
            return
        }
        #expect(error.code == .badInput)
        #expect(error.position == .line(7))
        #expect(error.committed.committed == nil)
        #expect(try run.log.frames().isEmpty)
    }

    /// Typed events of about 1 MiB each: 70 of them are more than one frame holds.
    static func largeEvents(_ count: Int) -> [Event] {
        let body = String(repeating: "x", count: EventLimits.maxBodyBytes - 100)
        return (1...count).map { index in
            Event(
                at: Timestamp(nanoseconds: TemporaryLog.start),
                payload: .messageReceived(
                    MessageReceived(conversation: "c\(index)", customer: "ann", channel: .email, body: body)))
        }
    }

    @Test func aBatchTooLargeForOneFrameIsRefusedWithoutABatchSize() throws {
        let log = try TemporaryLog()
        let writer = try log.writer()
        defer { writer.close() }
        #expect {
            try EventAppender(writer: writer).append(Self.largeEvents(70))
        } throws: { error in
            guard let error = error as? ServiceError else { return false }
            return error.code == .batchTooLarge && error.batchStart == .event(1) && error.committed.committed == nil
        }
        #expect(try log.frames().isEmpty)
    }

    @Test func aBatchClosesEarlyAtTheFrameLimit() throws {
        let log = try TemporaryLog()
        let writer = try log.writer()
        defer { writer.close() }
        let summary = try EventAppender(writer: writer, batchSize: 1000).append(Self.largeEvents(70))
        #expect(summary.events == 70)
        let frames = try log.frames()
        #expect(frames.count == 2)
        #expect(frames.first?.lowerBound == 1)
        #expect(frames.last?.upperBound == 70)
        #expect(summary.batches == 2)
    }

    @Test func typedEventsAreCheckedAsAReaderWouldCheckThem() throws {
        let log = try TemporaryLog()
        let writer = try log.writer()
        defer { writer.close() }
        let good = Event(
            at: Timestamp(nanoseconds: TemporaryLog.start),
            payload: .statusChanged(StatusChanged(conversation: "c1", status: .resolved)))
        var bad = good
        bad.extras = [JSONMember(key: "at", value: .string("shadowing a field"))]
        #expect {
            try EventAppender(writer: writer).append([good, bad])
        } throws: { error in
            guard let error = error as? ServiceError else { return false }
            return error.code == .badInput && error.position == .event(2) && error.message.hasPrefix("event 2: ")
        }
        #expect(try log.frames().isEmpty)
        let summary = try EventAppender(writer: writer).append([good, good])
        #expect(summary.committed == 1...2)
        #expect(try log.events().map(\.event) == [good, good])
    }

    static let badPolicy = #"{"type":"policy_set","at":"2026-03-02T08:00:00Z","policy":{"time_zone":"Nowhere/Void"}}"#

    @Test func anInvalidPolicyIsStoredWithAWarningByDefault() throws {
        let log = try TemporaryLog()
        let writer = try log.writer()
        defer { writer.close() }
        var warnings: [AppendWarning] = []
        var appender = EventAppender(writer: writer)
        appender.onWarning = { warnings.append($0) }
        let summary = try appender.append(jsonLines: MemorySource(jsonLines([Self.lines[0], Self.badPolicy])))
        #expect(summary.committed == 1...2)
        #expect(warnings.map(\.position) == [.line(2)])
        #expect(warnings.first?.field.hasPrefix("policy.") == true)
    }

    @Test func anInvalidPolicyIsRefusedWhenAskedTo() throws {
        let log = try TemporaryLog()
        let writer = try log.writer()
        defer { writer.close() }
        var appender = EventAppender(writer: writer)
        appender.policyCheck = .refuse
        #expect {
            try appender.append(jsonLines: MemorySource(jsonLines([Self.lines[0], Self.badPolicy])))
        } throws: { error in
            guard let error = error as? ServiceError else { return false }
            return error.code == .invalidPolicy && error.position == .line(2) && error.policyError != nil
        }
        #expect(try log.frames().isEmpty)
        let event = try JSONLineDecoder().decode(Array(Self.badPolicy.utf8)[...], lineNumber: 1)
        #expect(throws: ServiceError.self) { try EventAppender.check([event]) }
        #expect(EventAppender.policyProblem(event) != nil)
    }

    @Test func aClosedWriterFailsTheBatchAsALogError() throws {
        let log = try TemporaryLog()
        let writer = try log.writer()
        writer.close()
        #expect {
            try EventAppender(writer: writer).append(jsonLines: MemorySource(jsonLines(Self.lines)))
        } throws: { error in
            guard let error = error as? ServiceError else { return false }
            return error.code == .log && error.logError != nil && error.committed.committed == nil
        }
    }
}

/// A source whose reads fail after its first bytes.
private struct FailingSource: ByteSource {
    struct ReadFailure: Error, CustomStringConvertible { var description: String { "the disk went away" } }
    var first: [UInt8]
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !first.isEmpty else { throw ReadFailure() }
        let count = min(buffer.count, first.count)
        first.prefix(count).withUnsafeBytes { buffer.copyMemory(from: $0) }
        first.removeFirst(count)
        return count
    }
}

@Suite(.dedicatedThread) struct EventAppenderInputTests {
    @Test func anUnreadableInputStopsTheWriteAfterWhatWasCommitted() throws {
        let log = try TemporaryLog()
        let writer = try log.writer()
        defer { writer.close() }
        let source = FailingSource(first: jsonLines(Array(EventAppenderTests.lines.prefix(3))))
        #expect {
            try EventAppender(writer: writer, batchSize: 2).append(jsonLines: source)
        } throws: { error in
            guard let error = error as? ServiceError else { return false }
            return error.code == .unreadableInput && error.reason == "the disk went away"
                && error.committed.committed == 1...2
        }
        #expect(try log.frames() == [1...2])
    }
}
