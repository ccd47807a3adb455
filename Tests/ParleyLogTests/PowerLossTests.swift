import Testing

@testable import ParleyLog

#if canImport(Glibc)
    import Glibc
#endif

/// Simulated power loss (``PowerLossSimulator``) at every sync point of creating a log, opening it for
/// writing (recovery) and appending to it, and repairing it; after each crash, the disk keeps, drops or
/// garbles, sector by sector, whatever was not yet durable, under several policies and seeds. Then the log is
/// opened normally and checked: every acknowledged event is there byte for byte, sequence numbers are dense,
/// and unacknowledged data is either whole frames or gone.
@Suite struct PowerLossTests {
    typealias Simulator = PowerLossSimulator

    /// Keep everything, lose everything, and 22 seeded mixtures.
    static let policies: [Simulator.CrashPolicy] =
        [.keepEverything, .loseEverything] + (1...22).map { .random(seed: $0 &* 0x9E37_79B9) }

    /// Appended under power loss: frames smaller than a sector that share sectors with their neighbours, frames
    /// across sector boundaries, and frames of several sectors.
    static let batches: [[String]] = [
        ["p1"],
        ["p2-a " + String(repeating: "a", count: 600), "p2-b"],
        ["p3 " + String(repeating: "b", count: 2_000)],
        ["p4-a", "p4-b", "p4-c"],
        ["p5 " + String(repeating: "c", count: 300)],
        ["p6"],
    ]

    /// The log on disk before the power-loss run: acknowledged long ago.
    static let baseline: [[String]] = [["base-1"], ["base-2a", "base-2b " + String(repeating: "d", count: 450)]]

    /// What a writer had done when the power went.
    struct AppendRun {
        /// Batches whose `append` returned.
        var acknowledged = 0
        /// Batches whose `append` was called (the last one may have been cut short).
        var attempted = 0
    }

    /// The tail the log has before the run, which recovery must cut (under power loss too).
    enum StartingTail: String, CaseIterable, Sendable {
        case none, tornFrame, garbage

        func apply(to image: inout LogImage) {
            var random = SplitMix64(seed: 7)
            switch self {
            case .none: break
            case .tornFrame: image.appendRaw(Array(TestLog.frame(["torn"], firstSeq: 4).prefix(30)))
            case .garbage: image.appendRaw(random.bytes(1_300))
            }
        }
    }

    // MARK: append and recovery

    @Test(arguments: StartingTail.allCases)
    func acknowledgedEventsSurviveAPowerLossAtEverySyncPointOfRecoveryAndAppend(tail: StartingTail) throws {
        let syncPoints = try withTemporaryDirectory { dir in
            let simulator = Simulator(crashingAtSyncPoint: nil)
            let run = try Self.appendUnderPowerLoss(dir.file("a.log"), tail: tail, simulator: simulator)
            #expect(run.acknowledged == Self.batches.count)
            return simulator.syncPoints
        }
        // Recovery syncs once or twice, then one sync per batch.
        #expect(syncPoints == Self.batches.count + (tail == .none ? 1 : 2))
        var total = Simulator.CrashReport()
        for point in 1...(syncPoints + 1) {
            for policy in Self.policies {
                try withTemporaryDirectory { dir in
                    let path = dir.file("a.log")
                    let simulator = Simulator(crashingAtSyncPoint: point)
                    let run = try Self.appendUnderPowerLoss(path, tail: tail, simulator: simulator)
                    #expect(simulator.hasCrashed == (point <= syncPoints))
                    total.add(try simulator.materializeCrash(policy))
                    let problems = try Self.problemsAfterCrash(path, run: run)
                    #expect(problems.isEmpty, "crash at sync point \(point) of \(syncPoints), \(policy): \(problems)")
                }
            }
        }
        // The random policies exercised every fate.
        #expect(total.sectorsKept > 0 && total.sectorsDropped > 0 && total.sectorsGarbled > 0)
        #expect(total.sizeIncreasesKept > 0 && total.sizeIncreasesLost > 0)
        if tail != .none { #expect(total.truncationsKept > 0 && total.truncationsLost > 0) }
    }

    @Test func aDiskThatIgnoresFlushesLosesAcknowledgedEventsAndTheChecksSaySo() throws {
        // The checks above have teeth: with syncs that make nothing durable, a crash loses acknowledged events.
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let simulator = Simulator(crashingAtSyncPoint: Self.batches.count + 1, flushes: .ignored)
            let run = try Self.appendUnderPowerLoss(path, tail: .none, simulator: simulator)
            #expect(run.acknowledged == Self.batches.count - 1)
            try simulator.materializeCrash(.loseEverything)
            let problems = try Self.problemsAfterCrash(path, run: run)
            #expect(problems.contains { $0.contains("acknowledged") }, "\(problems)")
        }
    }

    /// Writes the baseline log with `tail`, then opens it through `simulator` and appends ``batches`` until the
    /// power goes.
    static func appendUnderPowerLoss(_ path: String, tail: StartingTail, simulator: Simulator) throws -> AppendRun {
        var image = LogImage()
        for records in baseline { image.appendFrame(records) }
        tail.apply(to: &image)
        try image.write(to: path)

        var run = AppendRun()
        let writer: LogWriter
        do {
            writer = try LogWriter.open(at: path, options: TestLog.options(io: simulator.operations))
        } catch {
            #expect(error.errno == Simulator.crashErrno, "open failed otherwise than by the crash: \(error)")
            return run
        }
        defer { writer.close() }
        for records in batches {
            run.attempted += 1
            do {
                try writer.appendRecords(records)
                run.acknowledged += 1
            } catch {
                #expect(error.errno == Simulator.crashErrno, "append failed otherwise than by the crash: \(error)")
                break
            }
        }
        return run
    }

    /// What is wrong with the log at `path` after a crash during `run`; empty when nothing is.
    static func problemsAfterCrash(_ path: String, run: AppendRun) throws -> [String] {
        var problems: [String] = []
        if let damage = try surveyLog(at: path).ending.damage {
            problems.append("the crash left damage, not a torn tail: \(damage.explanation)")
        }
        let writer: LogWriter
        do {
            writer = try LogWriter.open(at: path, options: TestLog.options())
        } catch {
            return problems + ["the log does not open for writing: \(error)"]
        }
        let lastSeq = writer.lastSeq
        let next = try writer.appendRecords(["after the crash"])
        writer.close()

        let acknowledged = baseline + batches[0..<run.acknowledged]
        let unacknowledged = batches[run.acknowledged..<run.attempted]
        let (frames, stop) = try readLog(at: path)
        if stop != .endOfFile {
            problems.append("after recovery and one append, reading stops at \(String(describing: stop))")
        }
        var expectedSeq: UInt64 = 1
        for (index, frame) in frames.enumerated() {
            if frame.firstSeq != expectedSeq { problems.append("frame \(index) starts at seq \(frame.firstSeq)") }
            expectedSeq = frame.seqs.upperBound + 1
        }
        if frames.count < acknowledged.count + 1 {
            problems.append("acknowledged frames lost: \(frames.count - 1) of \(acknowledged.count) left")
        }
        for (index, frame) in frames.dropLast().enumerated() {
            let expected =
                index < acknowledged.count
                ? acknowledged[index] : unacknowledged.dropFirst(index - acknowledged.count).first
            guard let expected else {
                problems.append("frame \(index) was never appended: \(frame.text)")
                continue
            }
            if frame.records != expected.map({ Array($0.utf8) }) {
                problems.append("frame \(index) differs from what was appended: \(frame.text)")
            }
        }
        if frames.last?.text != ["after the crash"] || next.seqs.lowerBound != lastSeq + 1 {
            problems.append("the append after the crash did not follow the recovered log")
        }
        return problems
    }

    // MARK: create

    @Test func aPowerLossAtEverySyncPointOfCreateLeavesNoLogOrAnEmptyValidOne() throws {
        let syncPoints = try withTemporaryDirectory { dir in
            let simulator = Simulator(crashingAtSyncPoint: nil)
            try LogWriter.create(at: dir.file("a.log"), options: TestLog.options(io: simulator.operations)).close()
            return simulator.syncPoints
        }
        // The header's fsync, the directory's fsync after the link, the open's fdatasync.
        #expect(syncPoints == 3)
        var total = Simulator.CrashReport()
        var outcomes: [Bool: Int] = [:]
        for point in 1...(syncPoints + 1) {
            for policy in Self.policies {
                try withTemporaryDirectory { dir in
                    let path = dir.file("a.log")
                    let simulator = Simulator(crashingAtSyncPoint: point)
                    do throws(LogError) {
                        try LogWriter.create(at: path, options: TestLog.options(io: simulator.operations)).close()
                    } catch {
                        #expect(
                            error.errno == Simulator.crashErrno, "create failed otherwise than by the crash: \(error)")
                    }
                    total.add(try simulator.materializeCrash(policy))
                    let context = "crash at sync point \(point) of \(syncPoints), \(policy)"
                    let exists = SystemCalls.exists(path)
                    outcomes[exists, default: 0] += 1
                    if exists {
                        #expect(try Files.read(path) == TestLog.header.encoded(), "\(context)")
                        let writer = try LogWriter.open(at: path, options: TestLog.options())
                        #expect(writer.lastSeq == 0, "\(context)")
                        writer.close()
                    } else {
                        // No log: creating it again works, whatever the crash left beside it.
                        try LogWriter.create(at: path, options: TestLog.options()).close()
                    }
                    // Besides the log and its hint, at most the temporary file of the header remains.
                    let others = try dir.entries().filter { $0 != "a.log" && $0 != "a.log.commit" }
                    #expect(others.allSatisfy { $0.hasPrefix(".a.log.init-") }, "\(context): \(others)")
                }
            }
        }
        #expect(outcomes[true, default: 0] > 0 && outcomes[false, default: 0] > 0, "\(outcomes)")
        #expect(!total.forgottenPaths.isEmpty && total.entryChangesKept > 0 && total.entryChangesLost > 0)
    }

    // MARK: repair

    /// The log repair cuts: frames of seq 1, 2–3, 4, 5–6, then damage at `cut` of one of two kinds.
    static func logToRepair(tornTail: Bool) -> (image: LogImage, cut: Int64, keptSeqs: UInt64) {
        var image = LogImage()
        image.appendFrame(["one"])
        let second = image.appendFrame(["two-a", "two-b " + String(repeating: "e", count: 700)])
        image.appendFrame(["three"])
        image.appendFrame(["four-a", "four-b"])
        if tornTail {
            let end = Int64(image.bytes.count)
            image.appendRaw(
                Array(TestLog.frame(["torn " + String(repeating: "f", count: 900)], firstSeq: 7).prefix(800)))
            return (image, end, 6)
        }
        image.flipBit(at: second.offset + 40, bit: 3)
        return (image, second.offset, 1)
    }

    @Test(arguments: [false, true])
    func aPowerLossAtEverySyncPointOfRepairLeavesTheLogWholeOrCutWithItsCopySaved(tornTail: Bool) throws {
        let (image, cut, keptSeqs) = Self.logToRepair(tornTail: tornTail)
        let syncPoints = try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            try image.write(to: path)
            let simulator = Simulator(crashingAtSyncPoint: nil)
            #expect(try LogRepair.repair(path: path, io: simulator.operations)?.cutOffset == cut)
            return simulator.syncPoints
        }
        // The copy's fsync, its directory's fsync, the log's fsync after the cut.
        #expect(syncPoints == 3)
        var outcomes: [String: Int] = [:]
        for point in 1...(syncPoints + 1) {
            for policy in Self.policies {
                try withTemporaryDirectory { dir in
                    let path = dir.file("a.log")
                    try image.write(to: path)
                    let simulator = Simulator(crashingAtSyncPoint: point)
                    do throws(LogError) {
                        _ = try LogRepair.repair(path: path, io: simulator.operations)
                    } catch {
                        #expect(
                            error.errno == Simulator.crashErrno, "repair failed otherwise than by the crash: \(error)")
                    }
                    try simulator.materializeCrash(policy)
                    let context = "crash at sync point \(point) of \(syncPoints), \(policy)"
                    let cutBytes = Array(image.bytes[..<64] + image.bytes[Int(cut)...])
                    let savedCopies = try dir.entries().filter { $0.hasPrefix("a.log.cut-") }
                        .map { try Files.read(dir.file($0)) }
                    let after = try Files.read(path)
                    if after == Array(image.bytes[..<Int(cut)]) {
                        outcomes["cut", default: 0] += 1
                        #expect(savedCopies.contains(cutBytes), "\(context): the log was cut but its copy is lost")
                    } else {
                        outcomes["whole", default: 0] += 1
                        #expect(after == image.bytes, "\(context): the log is neither whole nor cut at \(cut)")
                    }
                    // Repairing again finishes the job.
                    if let again = try LogRepair.repair(path: path) {
                        #expect(again.cutOffset == cut, "\(context)")
                        #expect(try Files.read(again.savedCopyPath) == cutBytes, "\(context)")
                    }
                    #expect(try Files.read(path) == Array(image.bytes[..<Int(cut)]), "\(context)")
                    let writer = try LogWriter.open(at: path, options: TestLog.options())
                    #expect(writer.lastSeq == keptSeqs, "\(context)")
                    writer.close()
                }
            }
        }
        #expect(outcomes["cut", default: 0] > 0 && outcomes["whole", default: 0] > 0, "\(outcomes)")
    }

    // MARK: the simulator itself

    @Test func keepingEverythingGivesTheFilesAsWrittenAndLosingEverythingAsLastSynced() throws {
        for policy in [Simulator.CrashPolicy.keepEverything, .loseEverything] {
            try withTemporaryDirectory { dir in
                let path = dir.file("a.log")
                let simulator = Simulator(crashingAtSyncPoint: nil)
                let io = simulator.operations
                let fd = try #require(try? io.open(path, O_RDWR | O_CREAT | O_EXCL, 0o600).get())
                defer { io.close(fd) }
                let first = [UInt8](repeating: 1, count: 700)
                _ = first.withUnsafeBytes { io.pwriteFully(fd, $0, at: 0) }
                _ = io.fsync(fd)
                _ = io.fsyncDirectory(path)
                let second = [UInt8](repeating: 2, count: 1_000)
                _ = second.withUnsafeBytes { io.pwriteFully(fd, $0, at: 300) }
                _ = io.ftruncate(fd, 1_200)
                let written = try Files.read(path)
                #expect(written == Array(first[..<300]) + Array(second[..<900]))

                let report = try simulator.materializeCrash(policy)
                let expected = policy == .keepEverything ? written : first
                #expect(try Files.read(path) == expected, "\(policy)")
                #expect(report.sectorsGarbled == 0)
                // The write touched sectors 0, 1 and 2.
                #expect(report.sectorsKept + report.sectorsDropped == 3)
                #expect(!simulator.operations.fsync(fd).isSuccess, "after the crash every call fails")
            }
        }
    }

    @Test func aFileWhoseDirectoryWasNotSyncedCanBeForgottenEvenIfItsDataWas() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("new")
            let simulator = Simulator(crashingAtSyncPoint: nil)
            let io = simulator.operations
            let fd = try #require(try? io.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600).get())
            _ = [UInt8](repeating: 9, count: 10).withUnsafeBytes { io.pwriteFully(fd, $0, at: 0) }
            _ = io.fsync(fd)
            io.close(fd)
            let report = try simulator.materializeCrash(.loseEverything)
            #expect(report.forgottenPaths == [path])
            #expect(!SystemCalls.exists(path))
            #expect(simulator.syncPoints == 1)
        }
    }
}

extension PowerLossSimulator.CrashReport {
    /// Adds up the counts of several crashes.
    mutating func add(_ other: Self) {
        sectorsKept += other.sectorsKept
        sectorsDropped += other.sectorsDropped
        sectorsGarbled += other.sectorsGarbled
        truncationsKept += other.truncationsKept
        truncationsLost += other.truncationsLost
        sizeIncreasesKept += other.sizeIncreasesKept
        sizeIncreasesLost += other.sizeIncreasesLost
        entryChangesKept += other.entryChangesKept
        entryChangesLost += other.entryChangesLost
        forgottenPaths += other.forgottenPaths
    }
}

extension Result {
    fileprivate var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
