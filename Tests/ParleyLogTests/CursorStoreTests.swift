import Foundation
import Testing

@testable import ParleyLog

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Named consumer positions beside a log: one small file each, saved atomically, tied to their log.
@Suite(.dedicatedThread) struct CursorStoreTests {
    /// The test log's id as the cursor files spell it.
    static let logIDHex = "000102030405060708090a0b0c0d0e0f"
    /// The id of "another log".
    static let otherLogID = [UInt8](repeating: 0xAB, count: 16)

    static func store(in dir: TemporaryDirectory, logID: [UInt8] = TestLog.logID) -> CursorStore {
        CursorStore(logPath: dir.file("a.log"), logID: logID)
    }

    // MARK: Names

    @Test(
        "Names of 1 to 64 of A-Z a-z 0-9 . _ - not starting with a dot are accepted",
        arguments: [
            "a", "0", "_", "-", "c1", "Search_Indexer-2", "v1.2", "a..b", "x.", String(repeating: "n", count: 64),
        ])
    func validNamesAreAccepted(name: String) {
        #expect(CursorStore.validate(name: name) == nil)
    }

    @Test(
        "Empty, hidden, too long names and names with other characters are refused",
        arguments: [
            "", ".", "..", ".hidden", "a/b", "../up", "/abs", "a b", "tab\t", "line\n", "é", "naïve", "a:b", "*",
            "a\0b",
            String(repeating: "n", count: 65),
        ])
    func invalidNamesAreRefused(name: String) {
        let problem = CursorStore.validate(name: name)
        #expect(problem != nil)
        #expect(problem?.contains("1 to 64") == true)
    }

    // MARK: Save and load

    @Test func aMissingCursorLoadsAsNilAndAMissingDirectoryListsNothing() throws {
        try withTemporaryDirectory { dir in
            let store = Self.store(in: dir)
            #expect(store.directory == dir.file("a.log.cursors"))
            #expect(try store.load("c") == nil)
            let listing = try store.list()
            #expect(listing.cursors.isEmpty)
            #expect(listing.problems.isEmpty)
        }
    }

    @Test("save then load gives the same position", arguments: [UInt64(0), 1, 4096, CursorStore.maxSeq])
    func saveThenLoadRoundTrips(seq: UInt64) throws {
        try withTemporaryDirectory { dir in
            let store = Self.store(in: dir)
            try store.save("c", seq: seq)
            #expect(try store.load("c") == seq)
            #expect(try Self.store(in: dir).load("c") == seq, "a new store reads it from the file")
        }
    }

    @Test func aSavedCursorIsOneLineNamingTheLogPrivateAndNothingElseIsLeft() throws {
        try withTemporaryDirectory { dir in
            let store = Self.store(in: dir)
            try store.save("indexer", seq: 42)
            let path = store.directory + "/indexer"
            #expect(try Files.read(path) == Array("parley-cursor 1 \(Self.logIDHex) 42\n".utf8))
            #expect(try Files.mode(path) == 0o600)
            #expect(try Files.mode(store.directory) == 0o700)
            #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory) == ["indexer"])
            #expect(try dir.entries() == ["a.log.cursors"])
        }
    }

    @Test func savingAgainReplacesTheFileByRenameAndLeavesNoTemporaryFile() throws {
        try withTemporaryDirectory { dir in
            let store = Self.store(in: dir)
            let path = store.directory + "/c"
            try store.save("c", seq: 1)
            // Holding the first file open keeps its inode from being reused by a later one.
            let first = open(path, O_RDONLY)
            #expect(first >= 0)
            defer { close(first) }
            var before = stat()
            #expect(fstat(first, &before) == 0)
            for seq in 2...20 { try store.save("c", seq: UInt64(seq)) }
            var after = stat()
            #expect(stat(path, &after) == 0)
            #expect(before.st_ino != after.st_ino, "a new file renamed over the old one, never rewritten in place")
            var stillThere = [UInt8](repeating: 0, count: 64)
            let count = read(first, &stillThere, 64)
            #expect(
                Array(stillThere.prefix(max(count, 0))) == Array("parley-cursor 1 \(Self.logIDHex) 1\n".utf8),
                "the old file was not written to")
            #expect(try store.load("c") == 20)
            #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory) == ["c"])
            try store.save("c", seq: 3)
            #expect(try store.load("c") == 3, "a lower position rewinds the cursor")
        }
    }

    @Test func aCursorOfAnotherLogIsAnErrorNamingBothLogs() throws {
        try withTemporaryDirectory { dir in
            try Self.store(in: dir, logID: Self.otherLogID).save("c", seq: 5)
            let error = #expect(throws: LogError.self) { try Self.store(in: dir).load("c") }
            #expect(error?.code == .corruption)
            #expect(error?.path == dir.file("a.log.cursors/c"))
            #expect(error?.reason.contains("another log") == true)
            #expect(error?.reason.contains(String(repeating: "ab", count: 16)) == true, "\(String(describing: error))")
            #expect(error?.reason.contains(Self.logIDHex) == true, "\(String(describing: error))")
        }
    }

    @Test(
        "A file that is not a cursor is a corruption error",
        arguments: [
            "", "garbage\n", "parley-cursor 1 \(CursorStoreTests.logIDHex) 12",
            "parley-cursor 2 \(CursorStoreTests.logIDHex) 12\n",
            "parley-cursor 1 \(CursorStoreTests.logIDHex) -1\n",
            "parley-cursor 1 \(CursorStoreTests.logIDHex) twelve\n",
            "parley-cursor 1 \(CursorStoreTests.logIDHex) 12 13\n", "parley-cursor 1 \(CursorStoreTests.logIDHex)\n",
            "parley-cursor 1 \(CursorStoreTests.logIDHex) 12\n\n",
            "parley-cursor 1 \(CursorStoreTests.logIDHex) 18446744073709551616\n",
        ])
    func aFileThatIsNotACursorIsRefused(contents: String) throws {
        try withTemporaryDirectory { dir in
            let store = Self.store(in: dir)
            try FileManager.default.createDirectory(atPath: store.directory, withIntermediateDirectories: false)
            try Files.write(Array(contents.utf8), to: store.directory + "/c")
            let error = #expect(throws: LogError.self) { try store.load("c") }
            #expect(error?.code == .corruption)
            #expect(error?.path == store.directory + "/c")
        }
    }

    @Test func listGivesEveryCursorByNameAndReportsFilesThatAreNotCursorsOfThisLog() throws {
        try withTemporaryDirectory { dir in
            let store = Self.store(in: dir)
            try store.save("b", seq: 2)
            try store.save("a", seq: 1)
            try store.save("c-3", seq: 3)
            try Self.store(in: dir, logID: Self.otherLogID).save("foreign", seq: 9)
            try Files.write(Array("garbage".utf8), to: store.directory + "/junk")
            try Files.write(Array("half-written".utf8), to: store.directory + "/.c.tmp-123")  // hidden: skipped
            let listing = try store.list()
            #expect(
                listing.cursors == [
                    CursorStore.Cursor(name: "a", seq: 1), CursorStore.Cursor(name: "b", seq: 2),
                    CursorStore.Cursor(name: "c-3", seq: 3),
                ])
            #expect(listing.problems.count == 2)
            #expect(listing.problems.allSatisfy { $0.code == .corruption })
            #expect(
                Set(listing.problems.compactMap(\.path)) == [store.directory + "/foreign", store.directory + "/junk"])
        }
    }

    @Test func saveFailsWithAnIOErrorWhenTheCursorFolderIsAFile() throws {
        try withTemporaryDirectory { dir in
            let store = Self.store(in: dir)
            try Files.write(Array("in the way".utf8), to: store.directory)
            let error = #expect(throws: LogError.self) { try store.save("c", seq: 1) }
            #expect(error?.code == .io)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func concurrentSavesOfOneCursorNeverFailNorShowATornFile() throws {
        try withTemporaryDirectory { dir in
            let store = Self.store(in: dir)
            try store.save("c", seq: 0)
            let problems = Shared<[String]>([])
            let done = Shared(false)
            let reader = Thread {
                while !done.value {
                    do {
                        if try store.load("c") == nil {
                            problems.withLock { $0.append("load: the cursor was missing") }
                        }
                    } catch {
                        problems.withLock { $0.append("load: \(error)") }
                    }
                }
            }
            reader.start()
            onThreads(4) { thread in
                for index in 0..<100 {
                    do {
                        try store.save("c", seq: UInt64(thread * 1000 + index))
                    } catch {
                        problems.withLock { $0.append("save: \(error)") }
                    }
                }
            }
            done.withLock { $0 = true }
            Thread.sleep(forTimeInterval: 0.05)
            let found = problems.value
            let saveFailures = found.filter { $0.hasPrefix("save") }.count
            let badLoads = found.filter { $0.hasPrefix("load") }.count
            #expect(saveFailures == 0, "saves that failed, e.g. \(found.first { $0.hasPrefix("save") } ?? "")")
            #expect(
                badLoads == 0,
                "loads that saw no cursor or a torn one, e.g. \(found.first { $0.hasPrefix("load") } ?? "")")
            let last = try store.load("c")
            #expect(last.map { [99, 1099, 2099, 3099].contains($0) } == true, "one of the threads' last saves")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory)
            #expect(leftovers == ["c"], "temporary files left: \(leftovers)")
        }
    }
}
