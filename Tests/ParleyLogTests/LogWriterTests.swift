import Testing

@testable import ParleyLog

@Suite(.dedicatedThread) struct LogWriterTests {
    // MARK: create and open

    @Test func createWritesAPrivateHeaderOnlyLogAndNothingElse() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            defer { writer.close() }
            #expect(try Files.mode(path) == 0o600)
            #expect(try Files.read(path) == TestLog.header.encoded())
            #expect(writer.header == TestLog.header)
            #expect(writer.path == path)
            #expect(writer.lastSeq == 0)
            #expect(writer.committedEnd == Int64(LogFormat.fileHeaderBytes))
            #expect(writer.recoveredTornTail == nil)
            #expect(writer.failure == nil)
            // The temporary file was linked, then removed; the commit hint stays.
            #expect(try dir.entries() == ["a.log", "a.log.commit"])
        }
    }

    @Test func createWithoutIdentityOptionsPicksRandomOnes() throws {
        try withTemporaryDirectory { dir in
            let one = try LogWriter.create(at: dir.file("one.log"))
            let two = try LogWriter.create(at: dir.file("two.log"))
            defer {
                one.close()
                two.close()
            }
            #expect(one.header.logID != two.header.logID)
            #expect(one.header.salt != two.header.salt)
        }
    }

    @Test func createRefusesAnExistingFileAndLeavesItAlone() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let content = Array("precious, not a log\n".utf8)
            try Files.write(content, to: path)
            let error = #expect(throws: LogError.self) { try LogWriter.create(at: path, options: TestLog.options()) }
            #expect(error?.code == .alreadyExists)
            #expect(error?.path == path)
            #expect(try Files.read(path) == content)
            #expect(try dir.entries() == ["a.log"])
        }
    }

    @Test func createRefusesAnExistingLog() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            try writer.appendRecords(["kept"])
            writer.close()
            let before = try Files.read(path)
            let error = #expect(throws: LogError.self) { try LogWriter.create(at: path, options: TestLog.options()) }
            #expect(error?.code == .alreadyExists)
            #expect(try Files.read(path) == before)
        }
    }

    @Test func createInAMissingDirectoryIsNotFound() throws {
        try withTemporaryDirectory { dir in
            let error = #expect(throws: LogError.self) { try LogWriter.create(at: dir.file("missing/a.log")) }
            #expect(error?.code == .notFound)
        }
    }

    @Test func openOfAMissingFileIsNotFound() throws {
        try withTemporaryDirectory { dir in
            let error = #expect(throws: LogError.self) { try LogWriter.open(at: dir.file("a.log")) }
            #expect(error?.code == .notFound)
            #expect(error?.path == dir.file("a.log"))
        }
    }

    @Test func openRefusesFilesThatAreNotLogs() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            for (content, code) in [
                (
                    Array("PK\u{3}\u{4} this is a zip file, really, with more than sixty-four bytes of text".utf8),
                    LogError.Code.notALog
                ),
                ([], .corruptHeader),
                (Array(TestLog.header.encoded().prefix(40)), .corruptHeader),
            ] as [([UInt8], LogError.Code)] {
                try Files.write(content, to: path)
                let error = #expect(throws: LogError.self) { try LogWriter.open(at: path) }
                #expect(error?.code == code)
                #expect(try Files.read(path) == content)
            }
        }
    }

    // MARK: append

    @Test func appendGivesDenseSequenceNumbersAcrossBatchesAndReopen() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let clock = ManualClock(start: TestLog.createdAt, step: 1_000)
            var writer = try LogWriter.create(at: path, options: TestLog.options(clock: clock))
            var commits = [
                try writer.appendRecords(["a"]),
                try writer.appendRecords(["b", "c", "d"]),
                try writer.appendRecords(["e", "f"]),
            ]
            #expect(commits.map(\.seqs) == [1...1, 2...4, 5...6])
            #expect(writer.lastSeq == 6)
            writer.close()

            writer = try LogWriter.open(at: path, options: TestLog.options(clock: clock))
            #expect(writer.lastSeq == 6)
            #expect(writer.recoveredTornTail == nil)
            commits.append(try writer.appendRecords(["g", "h"]))
            commits.append(try writer.appendRecords(["i"]))
            #expect(commits[3...].map(\.seqs) == [7...8, 9...9])
            #expect(writer.committedEnd == (try Files.size(path)))
            writer.close()

            // Each frame starts where the previous one ended, and the file is exactly the frames.
            var end = Int64(LogFormat.fileHeaderBytes)
            for commit in commits {
                #expect(commit.offset == end)
                end += Int64(commit.frameBytes)
            }
            #expect(try Files.size(path) == end)
            let (frames, stop) = try readLog(at: path)
            #expect(stop == .endOfFile)
            #expect(frames.map(\.text) == [["a"], ["b", "c", "d"], ["e", "f"], ["g", "h"], ["i"]])
            #expect(frames.map(\.seqs) == commits.map(\.seqs))
            #expect(frames.map(\.offset) == commits.map(\.offset))
            #expect(frames.map(\.length) == commits.map(\.frameBytes))
            #expect(frames.map(\.commitTime) == commits.map(\.commitTime))
        }
    }

    @Test func aBatchCanBeReusedAfterRemoveAll() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            var batch = LogBatch()
            batch.appendRecord(bytes: Array("one".utf8))
            try writer.append(&batch)
            batch.removeAll()
            batch.appendRecord(bytes: Array("two".utf8))
            batch.appendRecord(bytes: Array("three".utf8))
            let commit = try writer.append(&batch)
            writer.close()
            #expect(commit.seqs == 2...3)
            #expect(try readLog(at: path).frames.map(\.text) == [["one"], ["two", "three"]])
        }
    }

    @Test func commitTimeNeverGoesBackwardsWhenTheClockDoes() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let start = TestLog.createdAt
            let clock = ManualClock(start: start)
            var writer = try LogWriter.create(at: path, options: TestLog.options(clock: clock))
            var times: [Int64] = []
            // Before the log's creation time: the creation time.
            clock.set(start - 5_000)
            times.append(try writer.appendRecords(["1"]).commitTime)
            clock.set(start + 5_000)
            times.append(try writer.appendRecords(["2"]).commitTime)
            clock.set(start + 3_000)
            times.append(try writer.appendRecords(["3"]).commitTime)
            clock.set(start + 7_000)
            times.append(try writer.appendRecords(["4"]).commitTime)
            writer.close()
            // A reopened writer continues from the last commit time on disk.
            clock.set(start + 1_000)
            writer = try LogWriter.open(at: path, options: TestLog.options(clock: clock))
            times.append(try writer.appendRecords(["5"]).commitTime)
            writer.close()

            #expect(times == [start, start + 5_000, start + 5_000, start + 7_000, start + 7_000])
            #expect(try readLog(at: path).frames.map(\.commitTime) == times)
        }
    }

    @Test func emptyBatchIsRejectedAndTheWriterStaysUsable() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let io = ScriptedIO()
            let writer = try LogWriter.create(at: path, options: TestLog.options(io: io.io))
            defer { writer.close() }
            let pwritesBefore = io.pwrites  // the header's, written by create
            var empty = LogBatch()
            let error = #expect(throws: LogError.self) { try writer.append(&empty) }
            #expect(error?.code == .emptyBatch)
            #expect(io.pwrites == pwritesBefore)
            #expect(writer.failure == nil)
            #expect(try writer.appendRecords(["after"]).seqs == 1...1)
        }
    }

    @Test func oversizeBatchIsRejectedAndNothingIsWritten() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let io = ScriptedIO()
            let writer = try LogWriter.create(at: path, options: TestLog.options(io: io.io))
            defer { writer.close() }
            try writer.appendRecords(["before"])
            let end = try Files.size(path)
            var batch = LogBatch()
            let recordBytes = LogFormat.maxFrameBytes - LogFormat.frameHeaderBytes - LogFormat.recordPrefixBytes + 1
            batch.appendRecord(bytes: [UInt8](repeating: 0x5A, count: recordBytes))
            #expect(batch.frameBytes == LogFormat.maxFrameBytes + 1)
            let pwritesBefore = io.pwrites
            let error = #expect(throws: LogError.self) { try writer.append(&batch) }
            #expect(error?.code == .batchTooLarge)
            #expect(io.pwrites == pwritesBefore)
            #expect(try Files.size(path) == end)
            #expect(writer.failure == nil)
            #expect(try writer.appendRecords(["after"]).seqs == 2...2)
        }
    }

    @Test func batchOfExactlyTheMaximumFrameSizeIsAccepted() throws {
        try withTemporaryDirectory { dir in
            let io = ScriptedIO()
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options(io: io.io))
            defer { writer.close() }
            io.discardAllWrites()  // only the limit is under test: no need for 64 MiB on disk
            var batch = LogBatch()
            let recordBytes = LogFormat.maxFrameBytes - LogFormat.frameHeaderBytes - LogFormat.recordPrefixBytes
            batch.appendRecord(bytes: [UInt8](repeating: 0x5A, count: recordBytes))
            let commit = try writer.append(&batch)
            #expect(commit.frameBytes == LogFormat.maxFrameBytes)
            #expect(commit.seqs == 1...1)
        }
    }

    // MARK: one writer

    @Test func secondWriterInTheSameProcessIsLockedOut() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let first = try LogWriter.create(at: path, options: TestLog.options())
            try first.appendRecords(["one"])
            #expect(try LogWriter.hasActiveWriter(at: path))
            let error = #expect(throws: LogError.self) { try LogWriter.open(at: path, options: TestLog.options()) }
            #expect(error?.code == .locked)
            #expect(error?.path == path)
            // The refused open changed nothing and the first writer goes on.
            #expect(try first.appendRecords(["two"]).seqs == 2...2)
            first.close()

            #expect(try !LogWriter.hasActiveWriter(at: path))
            let second = try LogWriter.open(at: path, options: TestLog.options())
            #expect(second.lastSeq == 2)
            #expect(try second.appendRecords(["three"]).seqs == 3...3)
            second.close()
        }
    }

    @Test func droppingAWriterWithoutClosingItReleasesTheLock() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            func appendAndDrop() throws {
                let writer = try LogWriter.create(at: path, options: TestLog.options())
                try writer.appendRecords(["one"])
            }
            try appendAndDrop()
            #expect(try !LogWriter.hasActiveWriter(at: path))
            let reopened = try LogWriter.open(at: path, options: TestLog.options())
            #expect(reopened.lastSeq == 1)
            reopened.close()
        }
    }

    @Test func hasActiveWriterOfAMissingFileIsNotFound() throws {
        try withTemporaryDirectory { dir in
            let error = #expect(throws: LogError.self) { try LogWriter.hasActiveWriter(at: dir.file("a.log")) }
            #expect(error?.code == .notFound)
        }
    }

    @Test func appendAfterCloseIsClosed() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            try writer.appendRecords(["one"])
            writer.close()
            writer.close()  // harmless
            let size = try Files.size(path)
            let error = #expect(throws: LogError.self) { try writer.appendRecords(["two"]) }
            #expect(error?.code == .closed)
            #expect(try Files.size(path) == size)
        }
    }

    @Test func concurrentAppendsFromManyThreadsAreDenseAndNeverInterleaved() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(
                at: path,
                options: TestLog.options(clock: ManualClock(start: TestLog.createdAt, step: 1))
            )
            let threads = 8
            let batchesPerThread = 25
            /// The records thread `t` appends as its batch `b`: 1–4 records, of different sizes.
            @Sendable func records(thread t: Int, batch b: Int) -> [String] {
                (0..<(1 + (t + b) % 4)).map {
                    "t\(t) b\(b) r\($0) " + String(repeating: "x", count: (t * 37 + b * 11) % 300)
                }
            }
            let commits = Shared([String: LogWriter.Commit]())
            let failures = Shared([String]())
            onThreads(threads) { t in
                for b in 0..<batchesPerThread {
                    do {
                        let commit = try writer.appendRecords(records(thread: t, batch: b))
                        commits.withLock { $0["t\(t) b\(b)"] = commit }
                    } catch {
                        failures.withLock { $0.append("thread \(t) batch \(b): \(error)") }
                    }
                }
            }
            writer.close()
            #expect(failures.value == [])

            var batchByFirstRecord: [String: (thread: Int, batch: Int)] = [:]
            for t in 0..<threads {
                for b in 0..<batchesPerThread { batchByFirstRecord[records(thread: t, batch: b)[0]] = (t, b) }
            }
            let (frames, stop) = try readLog(at: path)
            #expect(stop == .endOfFile)
            #expect(frames.count == threads * batchesPerThread)
            var nextSeq: UInt64 = 1
            var lastBatchOfThread = [Int](repeating: -1, count: threads)
            var seen = Set<String>()
            for frame in frames {
                #expect(frame.firstSeq == nextSeq)
                nextSeq = frame.seqs.upperBound + 1
                guard let first = frame.text.first, let (t, b) = batchByFirstRecord[first] else {
                    Issue.record("frame at \(frame.offset) is no batch that was appended: \(frame.text)")
                    continue
                }
                // The whole batch, alone in its frame, after that thread's earlier batches.
                #expect(frame.text == records(thread: t, batch: b))
                #expect(seen.insert("t\(t) b\(b)").inserted)
                #expect(b > lastBatchOfThread[t])
                lastBatchOfThread[t] = b
                #expect(commits.value["t\(t) b\(b)"]?.seqs == frame.seqs)
                #expect(commits.value["t\(t) b\(b)"]?.offset == frame.offset)
            }
            #expect(seen.count == threads * batchesPerThread)
        }
    }

    // MARK: failures

    /// A failure injected into one append.
    enum InjectedFailure: String, CaseIterable, Sendable {
        case fdatasyncEIO, pwriteENOSPC, shortWriteThenEIO, shortWriteThenENOSPC, pwriteWritesNothing

        func arm(_ io: ScriptedIO) {
            switch self {
            case .fdatasyncEIO: io.failNextSync(with: .io)
            case .pwriteENOSPC: io.scriptWrites([.fail(.noSpace)])
            case .shortWriteThenEIO: io.scriptWrites([.short(10), .fail(.io)])
            case .shortWriteThenENOSPC: io.scriptWrites([.short(7), .short(30), .fail(.noSpace)])
            case .pwriteWritesNothing: io.scriptWrites([.short(5), .zero])
            }
        }

        var syscall: String { self == .fdatasyncEIO ? "fdatasync" : "pwrite" }
        var errno: Errno { self == .pwriteENOSPC || self == .shortWriteThenENOSPC ? .noSpace : .io }
        /// Bytes of the frame on disk when the failure struck.
        var bytesWritten: Int64 {
            switch self {
            case .fdatasyncEIO, .pwriteENOSPC: 0
            case .shortWriteThenEIO: 10
            case .shortWriteThenENOSPC: 37
            case .pwriteWritesNothing: 5
            }
        }
    }

    @Test(arguments: InjectedFailure.allCases)
    func failedAppendIsCutBackAndStopsTheWriter(failure: InjectedFailure) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let io = ScriptedIO()
            let writer = try LogWriter.create(at: path, options: TestLog.options(io: io.io))
            try writer.appendRecords(["acknowledged 1"])
            try writer.appendRecords(["acknowledged 2", "acknowledged 3"])
            let end = writer.committedEnd
            let syncsBefore = io.fdatasyncs

            failure.arm(io)
            let error = try #require(throws: LogError.self) {
                try writer.appendRecords(["lost 4", "lost 5", "lost 6 " + String(repeating: "z", count: 100)])
            }
            #expect(error.code == .io)
            #expect(error.syscall == failure.syscall)
            #expect(error.errno == failure.errno)
            #expect(error.path == path)
            #expect(error.offset == end + failure.bytesWritten)
            #expect(error.sequenceRange == 4...6)
            // Nothing of the batch stays in the file.
            #expect(io.truncations == [end])
            #expect(try Files.size(path) == end)
            #expect(writer.committedEnd == end)
            #expect(writer.lastSeq == 3)
            #expect(writer.failure?.code == .io)
            // fdatasync ran for the failed batch only if every byte was written.
            #expect(io.fdatasyncs == syncsBefore + (failure == .fdatasyncEIO ? 1 : 0))

            // Fail-stop: later appends are refused without touching the file, and never sync again.
            let pwrites = io.pwrites
            let syncs = io.fdatasyncs
            for _ in 0..<3 {
                let later = #expect(throws: LogError.self) { try writer.appendRecords(["refused"]) }
                #expect(later?.code == .writerFailed)
            }
            #expect(io.pwrites == pwrites)
            #expect(io.fdatasyncs == syncs)
            #expect(try Files.size(path) == end)

            // The stopped writer keeps the lock until it is closed; reopening (with working I/O) then
            // recovers exactly the acknowledged batches.
            #expect(try LogWriter.hasActiveWriter(at: path))
            writer.close()
            let reopened = try LogWriter.open(at: path, options: TestLog.options())
            #expect(reopened.recoveredTornTail == nil)
            #expect(reopened.lastSeq == 3)
            #expect(try reopened.appendRecords(["after"]).seqs == 4...4)
            reopened.close()
            let (frames, stop) = try readLog(at: path)
            #expect(stop == .endOfFile)
            #expect(frames.map(\.text) == [["acknowledged 1"], ["acknowledged 2", "acknowledged 3"], ["after"]])
        }
    }

    @Test func failedCutBackLeavesATornTailThatReopeningRemoves() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let io = ScriptedIO()
            let writer = try LogWriter.create(at: path, options: TestLog.options(io: io.io))
            try writer.appendRecords(["acknowledged"])
            let end = writer.committedEnd

            io.scriptWrites([.short(20), .fail(.io)])
            io.failNextTruncate(with: .io)
            let error = try #require(throws: LogError.self) { try writer.appendRecords(["lost", "also lost"]) }
            #expect(error.code == .io)
            #expect(error.syscall == "pwrite")
            #expect(error.reason.contains("truncating back to offset \(end) also failed"))
            #expect(try Files.size(path) == end + 20)
            #expect(#expect(throws: LogError.self) { try writer.appendRecords(["refused"]) }?.code == .writerFailed)
            writer.close()

            let reopened = try LogWriter.open(at: path, options: TestLog.options())
            #expect(reopened.recoveredTornTail == TornTail(offset: end, byteCount: 20, firstSeq: 2, claimedSeqs: nil))
            #expect(try Files.size(path) == end)
            #expect(try reopened.appendRecords(["next"]).seqs == 2...2)
            reopened.close()
            #expect(try readLog(at: path).frames.map(\.text) == [["acknowledged"], ["next"]])
        }
    }

    @Test func failureToCutATornTailOnOpenIsAnIOError() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["kept"])
            image.appendRaw(Array(TestLog.frame(["torn"], firstSeq: 2).prefix(20)))
            try image.write(to: path)

            let truncateFails = ScriptedIO()
            truncateFails.failNextTruncate(with: .io)
            let truncateError = #expect(throws: LogError.self) {
                try LogWriter.open(at: path, options: TestLog.options(io: truncateFails.io))
            }
            #expect(truncateError?.code == .io)
            #expect(truncateError?.syscall == "ftruncate")
            #expect(try Files.read(path) == image.bytes)

            let syncFails = ScriptedIO()
            syncFails.failNextSync(with: .io)
            let syncError = #expect(throws: LogError.self) {
                try LogWriter.open(at: path, options: TestLog.options(io: syncFails.io))
            }
            #expect(syncError?.code == .io)
            #expect(syncError?.syscall == "fdatasync")
            // The failed opens released the lock.
            #expect(try !LogWriter.hasActiveWriter(at: path))
        }
    }

    @Test func writerWritesTheSameBytesAsTheTestLogImage() throws {
        // Pins the in-memory images the recovery tests damage to what a real writer writes.
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let clock = ManualClock(start: TestLog.createdAt)
            let writer = try LogWriter.create(at: path, options: TestLog.options(clock: clock))
            var image = LogImage()
            for records in [["one"], ["two", "three"], ["four"]] {
                clock.set(image.commitTime)
                try writer.appendRecords(records)
                image.appendFrame(records)
            }
            writer.close()
            #expect(try Files.read(path) == image.bytes)
        }
    }
}
