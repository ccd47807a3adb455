import Synchronization
import Testing

@testable import ParleyLog

/// `repair` keeps what it can: the checksum-valid frames after the damage are exported before the cut.
@Suite struct RepairRecoveryTests {
    /// Six frames (seq 1, 2–3, 4, 5–6, 7, 8–9) with a flipped payload bit in the second and the fourth.
    static func twiceDamagedLog() -> LogImage {
        var image = LogImage()
        image.appendFrame(["one"])
        let second = image.appendFrame(["two-a", "two-b"])
        image.appendFrame(["three"])
        let fourth = image.appendFrame(["four-a", "four-b"])
        image.appendFrame(["five"])
        image.appendFrame(["six-a", "six-b"])
        image.flipBit(at: second.offset + 38, bit: 1)
        image.flipBit(at: fourth.offset + 40, bit: 3)
        return image
    }

    /// An exporter writing each frame's seqs and records as one text line.
    static func describe(_ frame: Frame) -> [UInt8] {
        let records = frame.records.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",")
        return Array("\(frame.firstSeq)-\(frame.lastSeq) \(records)\n".utf8)
    }

    @Test func repairExportsEveryValidFrameAfterTheDamageWalkingPastFurtherDamage() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let image = Self.twiceDamagedLog()
            try image.write(to: path)
            let cut = image.frames[1].offset

            let outcome = try #require(try LogRepair.repair(path: path, exporter: Self.describe))
            #expect(outcome.cutOffset == cut)
            #expect(outcome.eventsKept == 1)
            let recovered = try #require(outcome.recoveredPath)
            #expect(recovered == path + ".cut-\(cut).recovered.jsonl")
            #expect(
                String(decoding: try Files.read(recovered), as: UTF8.self)
                    == "4-4 three\n7-7 five\n8-9 six-a,six-b\n")
            #expect(try Files.mode(recovered) == 0o600)
            let salvage = try #require(outcome.salvage)
            #expect(salvage.frames == 3)
            #expect(salvage.events == 4)
            #expect(salvage.seqRuns == [4...4, 7...9])
            #expect(salvage.unreadable.map { $0.offset } == [cut, image.frames[3].offset])
            #expect(
                salvage.unreadable.map { $0.byteCount } == [
                    Int64(image.frames[1].length), Int64(image.frames[3].length),
                ])
            #expect(salvage.skippedFrames.isEmpty)
            #expect(!salvage.scanLimitReached)
            #expect(try Files.read(path) == Array(image.bytes[..<Int(cut)]))
            #expect(try dir.entries() == ["a.log", "a.log.cut-\(cut)", "a.log.cut-\(cut).recovered.jsonl"])
        }
    }

    @Test func salvageOfTheCutCopyFindsTheSameFrames() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            try Self.twiceDamagedLog().write(to: path)
            let outcome = try #require(try LogRepair.repair(path: path, exporter: Self.describe))
            let reader = try LogReader(path: outcome.savedCopyPath)
            var seen: [UInt8] = []
            let report = try LogRepair.salvage(reader, from: 64, after: 0) { seen += Self.describe($0) }
            #expect(String(decoding: seen, as: UTF8.self) == "4-4 three\n7-7 five\n8-9 six-a,six-b\n")
            #expect(report.seqRuns == [4...4, 7...9])
            #expect(report.unreadable.first?.offset == 64)
        }
    }

    @Test func staleCopiesOfHeldFramesAreSkippedNotExported() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            image.appendFrame(["two"])
            // A stale copy of the first frame, then a frame that continues the log.
            image.appendRaw(Array(image.bytes[Int(image.frames[0].offset)..<Int(image.frames[0].end)]))
            image.appendRaw(TestLog.frame(["three"], firstSeq: 3))
            try image.write(to: path)

            let outcome = try #require(try LogRepair.repair(path: path, exporter: Self.describe))
            #expect(outcome.eventsKept == 2)
            let salvage = try #require(outcome.salvage)
            #expect(salvage.skippedFrames.map(\.seqs) == [1...1])
            #expect(salvage.seqRuns == [3...3])
            #expect(
                String(decoding: try Files.read(try #require(outcome.recoveredPath)), as: UTF8.self) == "3-3 three\n")
        }
    }

    @Test func aTornTailIsCutAsBeforeWithNothingToExport() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            let end = Int(image.bytes.count)
            image.appendRaw(Array(TestLog.frame(["torn"], firstSeq: 2).prefix(30)))
            try image.write(to: path)
            let called = Atomic<Int>(0)
            let outcome = try #require(
                try LogRepair.repair(path: path) { frame in
                    called.add(1, ordering: .relaxed)
                    return Self.describe(frame)
                })
            #expect(outcome.ending.tornTail != nil)
            #expect(outcome.recoveredPath == nil)
            #expect(outcome.salvage == nil)
            #expect(called.load(ordering: .relaxed) == 0)
            #expect(try Files.read(path) == Array(image.bytes[..<end]))
            #expect(try dir.entries() == ["a.log", "a.log.cut-\(end)"])
        }
    }

    /// Ways the export can fail after the copy is written.
    enum ExportFailure: CaseIterable, Sendable {
        case write, fsync, link, directorySync
    }

    @Test(arguments: ExportFailure.allCases)
    func aFailedExportLeavesTheLogAndTheDirectoryAsTheyWere(failure: ExportFailure) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let image = Self.twiceDamagedLog()
            try image.write(to: path)
            // Only the export's own calls fail: those on the temporary file and on the recovered name.
            let exportDescriptor = Atomic<Int32>(-1)
            var io = FileOperations.system
            io.open = { path, flags, mode in
                let result = SystemCalls.open(path, flags, mode: mode)
                if path.contains(".recovered.jsonl.tmp"), case .success(let fd) = result {
                    exportDescriptor.store(fd, ordering: .relaxed)
                }
                return result
            }
            io.pwrite = { fd, buffer, offset in
                if failure == .write, fd == exportDescriptor.load(ordering: .relaxed) { return .failure(.noSpace) }
                return SystemCalls.pwrite(fd, buffer, at: offset)
            }
            io.fsync = { fd in
                if failure == .fsync, fd == exportDescriptor.load(ordering: .relaxed) { return .failure(.io) }
                return SystemCalls.fsync(fd)
            }
            io.link = { from, to in failure == .link ? .failure(.io) : SystemCalls.link(from, to) }
            io.fsyncDirectory = { path in
                if failure == .directorySync, path.hasSuffix(".recovered.jsonl") { return .failure(.io) }
                return SystemCalls.fsyncDirectory(of: path)
            }

            let error = #expect(throws: LogError.self) {
                try LogRepair.repair(path: path, io: io, exporter: Self.describe)
            }
            #expect(error?.code == .io, "\(failure)")
            #expect(try Files.read(path) == image.bytes, "\(failure): the log was changed")
            #expect(try dir.entries() == ["a.log"], "\(failure): files were left behind")

            // Once the disk works again, the repair goes through.
            let outcome = try #require(try LogRepair.repair(path: path, exporter: Self.describe))
            #expect(outcome.recoveredPath != nil)
        }
    }

    @Test func theScansOfASalvageShareOneBudget() throws {
        try withTemporaryDirectory { dir in
            // After a bad frame, a tail that claims a long frame of this log every 8 bytes.
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            var crafted: [UInt8] = []
            for _ in 0..<4096 {
                crafted.appendLittleEndian(UInt32(0))
                crafted.appendLittleEndian(UInt32(4000))
                crafted.appendLittleEndian(TestLog.salt)
            }
            image.appendRaw(crafted)
            try image.write(to: path)
            let reader = try LogReader(path: path)
            let report = try LogRepair.salvage(reader, from: image.frames[0].end, after: 1) { _ in }
            #expect(report.frames == 0)
            #expect(report.scanLimitReached)
            #expect(report.unreadable.map { $0.byteCount } == [Int64(crafted.count)])
        }
    }

    @Test func aPowerLossAtEverySyncPointOfAnExportingRepairLeavesTheLogWholeOrCutWithBothFilesSaved() throws {
        typealias Simulator = PowerLossSimulator
        let image = Self.twiceDamagedLog()
        let cut = image.frames[1].offset
        let copyBytes = Array(image.bytes[..<64] + image.bytes[Int(cut)...])
        let recoveredText = "4-4 three\n7-7 five\n8-9 six-a,six-b\n"
        let syncPoints = try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            try image.write(to: path)
            let simulator = Simulator(crashingAtSyncPoint: nil)
            #expect(try LogRepair.repair(path: path, io: simulator.operations, exporter: Self.describe) != nil)
            return simulator.syncPoints
        }
        // The copy's fsync and its directory's, the export's fsync and its directory's, the log's fsync.
        #expect(syncPoints == 5)
        var outcomes: [String: Int] = [:]
        for point in 1...(syncPoints + 1) {
            for policy in PowerLossTests.policies {
                try withTemporaryDirectory { dir in
                    let path = dir.file("a.log")
                    try image.write(to: path)
                    let simulator = Simulator(crashingAtSyncPoint: point)
                    do throws(LogError) {
                        _ = try LogRepair.repair(path: path, io: simulator.operations, exporter: Self.describe)
                    } catch {
                        #expect(
                            error.errno == Simulator.crashErrno, "repair failed otherwise than by the crash: \(error)")
                    }
                    try simulator.materializeCrash(policy)
                    let context = "crash at sync point \(point) of \(syncPoints), \(policy)"
                    let names = try dir.entries()
                    let recovered = try names.filter { $0.hasSuffix(".recovered.jsonl") }
                        .map { String(decoding: try Files.read(dir.file($0)), as: UTF8.self) }
                    // A recovered file that exists is whole: it is linked into place only after its fsync.
                    #expect(recovered.allSatisfy { $0 == recoveredText }, "\(context): \(recovered)")
                    let after = try Files.read(path)
                    if after == Array(image.bytes[..<Int(cut)]) {
                        outcomes["cut", default: 0] += 1
                        let copies = try names.filter { $0.hasPrefix("a.log.cut-") && !$0.hasSuffix(".jsonl") }
                            .map { try Files.read(dir.file($0)) }
                        #expect(copies.contains(copyBytes), "\(context): the log was cut but its copy is lost")
                        #expect(recovered == [recoveredText], "\(context): the log was cut but the export is lost")
                    } else {
                        outcomes["whole", default: 0] += 1
                        #expect(after == image.bytes, "\(context): the log is neither whole nor cut at \(cut)")
                    }
                    // Repairing again finishes the job.
                    if let again = try LogRepair.repair(path: path, exporter: Self.describe) {
                        #expect(try Files.read(try #require(again.recoveredPath)) == Array(recoveredText.utf8))
                    }
                    #expect(try Files.read(path) == Array(image.bytes[..<Int(cut)]), "\(context)")
                }
            }
        }
        #expect(outcomes["cut", default: 0] > 0 && outcomes["whole", default: 0] > 0, "\(outcomes)")
    }
}
