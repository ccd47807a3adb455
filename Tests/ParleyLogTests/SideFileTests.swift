import Foundation
import Synchronization
import Testing

@testable import ParleyLog

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Runs `body` on a thread of its own (never one of Swift's cooperative pool) and returns its result. If
/// it has not returned after `limit`, records an issue and calls `unblock` (which opens a FIFO's other
/// end, say), so that a regression that blocks fails the test instead of hanging it.
func withinTimeLimit<T: Sendable>(
    _ limit: Duration = .seconds(60), unblock: @escaping @Sendable () -> Void = {},
    sourceLocation: SourceLocation = #_sourceLocation, _ body: @escaping @Sendable () -> T
) async -> T {
    let done = Atomic<Bool>(false)
    return await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        Thread {
            let result = body()
            done.store(true, ordering: .sequentiallyConsistent)
            continuation.resume(returning: result)
        }.start()
        Thread {
            let deadline = ContinuousClock.now + limit
            while !done.load(ordering: .sequentiallyConsistent) {
                if ContinuousClock.now >= deadline {
                    Issue.record("still blocked after \(limit)", sourceLocation: sourceLocation)
                    while !done.load(ordering: .sequentiallyConsistent) {
                        unblock()
                        Thread.sleep(forTimeInterval: 0.05)
                    }
                    return
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }.start()
    }
}

/// Opens and closes the write end of the FIFO at `path` without blocking (releases a reader blocked in
/// `open`).
func openOtherEnd(of path: String) {
    let fd = open(path, O_WRONLY | O_NONBLOCK)
    if fd >= 0 { close(fd) }
}

/// Files beside a log, crafted or replaced by something that is not a regular file (issue #10, item 3):
/// the library refuses them with typed errors, never traps, blocks or writes through a symbolic link.
@Suite struct SideFileLibraryTests {
    /// What is put in a file's place.
    enum Planted: String, CaseIterable, Sendable {
        case fifo, directory, symlinkToFile, symlinkToDevNull, characterDevice

        /// Puts it at `path` (`target` is the file a symbolic link points to); false when not allowed here.
        func plant(at path: String, target: String) -> Bool {
            switch self {
            case .fifo: mkfifo(path, 0o600) == 0
            case .directory: mkdir(path, 0o700) == 0
            case .symlinkToFile: symlink(target, path) == 0
            case .symlinkToDevNull: symlink("/dev/null", path) == 0
            case .characterDevice: mknod(path, S_IFCHR | 0o600, (1 << 8) | 3) == 0  // 1,3: like /dev/null
            }
        }

        /// The error `openRegularFile` gives for it (side files: symbolic links not followed).
        var refusal: Errno {
            switch self {
            case .fifo: .isFIFO
            case .directory: .isDirectory
            case .symlinkToFile, .symlinkToDevNull: .isSymbolicLink
            case .characterDevice: .isCharacterDevice
            }
        }
    }

    // MARK: openRegularFile

    @Test(arguments: Planted.allCases, [O_RDONLY, O_RDWR])
    func openRegularFileRefusesAnythingButARegularFileAtOnce(planted: Planted, flags: Int32) async throws {
        try await withTemporaryDirectoryAsync { dir in
            let target = dir.file("target")
            try Files.write([1, 2, 3], to: target)
            let path = dir.file("odd")
            guard planted.plant(at: path, target: target) else { return }
            let result = await withinTimeLimit(unblock: { openOtherEnd(of: path) }) {
                SystemCalls.openRegularFile(path, flags)
            }
            #expect(result == .failure(planted.refusal))
            #expect(try Files.read(target) == [1, 2, 3])
        }
    }

    @Test func openRegularFileFollowsALinkOnlyWhenAskedAndClearsNonBlocking() throws {
        try withTemporaryDirectory { dir in
            let target = dir.file("target")
            try Files.write([1, 2, 3], to: target)
            #expect(symlink(target, dir.file("link")) == 0)
            #expect(symlink("/dev/null", dir.file("null")) == 0)
            #expect(SystemCalls.openRegularFile(dir.file("link"), O_RDONLY) == .failure(.isSymbolicLink))
            #expect(
                SystemCalls.openRegularFile(dir.file("null"), O_RDONLY, followSymlinks: true)
                    == .failure(.isCharacterDevice))
            let fd = try SystemCalls.openRegularFile(dir.file("link"), O_RDONLY, followSymlinks: true).get()
            defer { SystemCalls.close(fd) }
            #expect(fcntl(fd, F_GETFL) & O_NONBLOCK == 0, "O_NONBLOCK cleared once the file is known regular")
            #expect(SystemCalls.openRegularFile(dir.file("missing"), O_RDONLY) == .failure(.noEntry))
        }
    }

    @Test func aRefusalIsANotRegularFileErrorSayingWhatThePathIs() {
        let error = LogError.io("open", .isFIFO, path: "/x/a.log")
        #expect(error.code == .notRegularFile)
        #expect(
            error.description
                == "/x/a.log: is a FIFO (named pipe), not a regular file; Parley reads and writes only regular files")
        #expect(LogError.io("open", .io, path: nil).code == .io)
    }

    // MARK: cursors

    static func store(in dir: TemporaryDirectory) -> CursorStore {
        CursorStore(logPath: dir.file("a.log"), logID: TestLog.logID)
    }

    @Test(
        "A cursor with a seq beyond any log, or not in the one way a save writes it, is a corruption error",
        arguments: [
            "18446744073709551615", "9223372036854775808", "99999999999999999999", "0012", "+12", "1_0", " 12",
            "12 ", "",
        ])
    func aCursorBeyondAnyLogIsRefused(seq: String) throws {
        try withTemporaryDirectory { dir in
            let store = Self.store(in: dir)
            try store.save("c", seq: 1)
            let path = store.directory + "/c"
            try Files.write(Array("parley-cursor 1 \(LogHeader.hex(TestLog.logID)) \(seq)\n".utf8), to: path)
            let error = #expect(throws: LogError.self) { try store.load("c") }
            #expect(error?.code == .corruption)
            #expect(error?.path == path)
            #expect(try store.list().problems.count == 1)
        }
    }

    @Test func theLargestSeqACursorHoldsLoadsAndOneMoreIsNeverSaved() throws {
        try withTemporaryDirectory { dir in
            let store = Self.store(in: dir)
            try store.save("c", seq: CursorStore.maxSeq)
            #expect(try store.load("c") == CursorStore.maxSeq)
            let error = #expect(throws: LogError.self) { try store.save("c", seq: CursorStore.maxSeq + 1) }
            #expect(error?.code == .corruption)
            #expect(try store.load("c") == CursorStore.maxSeq, "the refused save changed nothing")
        }
    }

    @Test(arguments: Planted.allCases)
    func aCursorThatIsNotARegularFileIsRefusedAndNothingIsWrittenThroughIt(planted: Planted) async throws {
        try await withTemporaryDirectoryAsync { dir in
            let store = Self.store(in: dir)
            try store.save("other", seq: 3)
            let target = dir.file("target")
            let original = Array("parley-cursor 1 \(LogHeader.hex(TestLog.logID)) 2\n".utf8)
            try Files.write(original, to: target)
            let path = store.directory + "/c"
            guard planted.plant(at: path, target: target) else { return }
            let loaded = await withinTimeLimit(unblock: { openOtherEnd(of: path) }) {
                Result { () throws(LogError) in try store.load("c") }
            }
            #expect(loaded.error?.code == .notRegularFile)
            #expect(loaded.error?.path == path)
            let listed = await withinTimeLimit(unblock: { openOtherEnd(of: path) }) {
                Result { () throws(LogError) in try store.list() }
            }
            #expect(listed.value?.cursors == [CursorStore.Cursor(name: "other", seq: 3)])
            #expect(listed.value?.problems.map(\.code) == [.notRegularFile])
            #expect(try Files.read(target) == original)
        }
    }

    // MARK: the commit hint

    /// (committed end, last seq) pairs no writer writes.
    static let impossibleHints: [(UInt64, UInt64)] = [
        (63, 0), (0, 0), (UInt64.max, 5), (UInt64(Int64.max) + 1, 1), (64, 1), (100, 37), (100, 0),
        (1_000_000_000_000, UInt64.max), (UInt64(Int64.max), UInt64(Int64.max)),
    ]

    @Test("A checksum-valid hint with numbers no writer writes does not decode", arguments: impossibleHints)
    func aHintWithImpossibleNumbersDoesNotDecode(end: UInt64, lastSeq: UInt64) {
        var bytes = Array("PRLYCMT1".utf8) + TestLog.logID
        bytes.appendLittleEndian(end)
        bytes.appendLittleEndian(lastSeq)
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        #expect(CommitHint.decode(bytes[...], logID: TestLog.logID) == nil)
    }

    static let edgeHints: [(Int64, UInt64)] = [(64, 0), (100, 36), (Int64.max, UInt64(Int64.max) - 64)]

    @Test(arguments: edgeHints)
    func aHintAtTheEdgesOfTheBoundsDecodes(end: Int64, lastSeq: UInt64) {
        let hint = CommitHint(committedEnd: end, lastSeq: lastSeq)
        #expect(CommitHint.decode(hint.encoded(logID: TestLog.logID)[...], logID: TestLog.logID) == hint)
    }

    static let forgedHints: [(Int64, UInt64)] = [
        (1_000_000_000_000, 99_999), (Int64.max, UInt64(Int64.max) - 64), (-1, 0), (4096, 17),
    ]

    @Test("A forged hint never makes the committed last seq pass the log's frames", arguments: forgedHints)
    func aForgedHintIsBoundedByTheLog(end: Int64, lastSeq: UInt64) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            _ = try writer.appendRecords(["a", "b"])
            _ = try writer.appendRecords(["c"])
            let size = writer.committedEnd
            writer.close()
            let follower = try LogFollower(path: path, fromSeq: 1)
            #expect(try follower.committedLastSeq() == 3)
            #expect(follower.hintProblem == nil, "the writer's own hint agrees with the log")
            for forged in [(end, lastSeq), (size, 99_999)] {
                let hint = CommitHint(committedEnd: forged.0, lastSeq: forged.1)
                try Files.write(hint.encoded(logID: TestLog.logID), to: CommitHint.path(forLog: path))
                #expect(try follower.committedLastSeq() == 3)
                #expect(try LogFollower(path: path, fromSeq: 1).committedLastSeq() == 3)
                if CommitHint.decode(hint.encoded(logID: TestLog.logID)[...], logID: TestLog.logID) != nil {
                    #expect(follower.hintProblem?.contains("\(forged.1)") == true)
                }
                let fresh = try LogFollower(path: path, fromSeq: 1)
                var seqs: [UInt64] = []
                while let frame = try fresh.nextFrame() { seqs.append(frame.lastSeq) }
                #expect(seqs == [2, 3], "only the log's frames")
            }
        }
    }

    @Test(arguments: Planted.allCases)
    func aHintThatIsNotARegularFileStopsWritersAndFollowersAndIsNeverWrittenThrough(planted: Planted) async throws {
        try await withTemporaryDirectoryAsync { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            _ = try writer.appendRecords(["a"])
            writer.close()
            let target = dir.file("target")
            try Files.write(Array(repeating: 0x55, count: 64), to: target)
            let hintPath = CommitHint.path(forLog: path)
            #expect(unlink(hintPath) == 0)
            guard planted.plant(at: hintPath, target: target) else { return }
            let before = try Files.read(path)
            let opened = await withinTimeLimit(unblock: { openOtherEnd(of: hintPath) }) {
                Result { () throws(LogError) in try LogWriter.open(at: path, options: TestLog.options()) }
            }
            #expect(opened.error?.code == .notRegularFile)
            #expect(opened.error?.path == hintPath)
            #expect(opened.error?.description.contains("remove it") == true)
            opened.value?.close()
            let followed = await withinTimeLimit(unblock: { openOtherEnd(of: hintPath) }) {
                Result { () throws(LogError) in try LogFollower(path: path, fromSeq: 1).committedLastSeq() }
            }
            #expect(followed.error?.code == .notRegularFile)
            let read = await withinTimeLimit(unblock: { openOtherEnd(of: hintPath) }) {
                CommitHint.read(forLog: path, logID: TestLog.logID)
            }
            #expect(read == nil)
            #expect(try Files.read(target) == Array(repeating: 0x55, count: 64))
            #expect(try Files.read(path) == before)
        }
    }

    @Test func aHardLinkPlantedAsTheHintIsNeverWrittenThrough() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            writer.close()
            let target = dir.file("target")
            try Files.write(Array(repeating: 0x55, count: 64), to: target)
            let hintPath = CommitHint.path(forLog: path)
            #expect(unlink(hintPath) == 0 && link(target, hintPath) == 0)
            let error = #expect(throws: LogError.self) { try LogWriter.open(at: path, options: TestLog.options()) }
            #expect(error?.code == .notRegularFile)
            #expect(error?.errno == .isHardLinked)
            #expect(try Files.read(target) == Array(repeating: 0x55, count: 64))
            // Reading it is harmless: followers read it (and find it is no hint).
            #expect(try LogFollower(path: path, fromSeq: 1).committedLastSeq() == 0)
        }
    }

    // MARK: AtomicFile and FileSnapshot

    @Test func anAtomicWriteReplacesASymlinkNotTheFileItPointsTo() throws {
        try withTemporaryDirectory { dir in
            let target = dir.file("target")
            try Files.write([9, 9], to: target)
            let path = dir.file("a.log.checkpoint")
            #expect(symlink(target, path) == 0)
            #expect(throws: LogError.self) { try AtomicFile.read(path, maxBytes: 100) }
            #expect(try AtomicFile.read(path, maxBytes: 100, followSymlinks: true) == [9, 9])
            #expect(throws: LogError.self) { try FileSnapshot(path: path) }
            try AtomicFile.write([1], to: path)
            #expect(try Files.read(target) == [9, 9])
            #expect(try Files.read(path) == [1])
            var info = stat()
            #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG, "a regular file in the link's place")
        }
    }

    @Test func aCheckpointSnapshotOfAFIFOIsRefusedAtOnce() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let path = dir.file("a.log.checkpoint")
            #expect(mkfifo(path, 0o600) == 0)
            let opened = await withinTimeLimit(unblock: { openOtherEnd(of: path) }) {
                Result { () throws(LogError) in try FileSnapshot(path: path).map { _ in () } }
            }
            #expect(opened.error?.code == .notRegularFile)
        }
    }
}

extension Result {
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
    var value: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}

/// ``withTemporaryDirectory(_:)`` for async bodies.
func withTemporaryDirectoryAsync(_ body: (TemporaryDirectory) async throws -> Void) async throws {
    try await withTemporaryDirectory(prefix: "parley-log-tests", body)
}
