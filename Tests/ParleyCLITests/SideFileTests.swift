import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The files beside a log (cursor, commit hint, checkpoint) and the log itself, crafted or replaced by
/// something that is not a regular file: no command traps, hangs, or trusts a side file beyond the log
/// (issue #10, item 3). Every run is waited for off the cooperative pool and killed at a generous limit.
@Suite("side files", .dedicatedThread)
struct SideFileTests {
    /// A log of `count` mixed events, in frames of 3.
    static func log(events count: Int) async throws -> Sandbox {
        let sandbox = try Sandbox()
        let made = try await sandbox.runBounded(["init", "--log", sandbox.log])
        #expect(made.succeeded, "\(made)")
        let appended = try await sandbox.runBounded(
            ["append", "--log", sandbox.log, "--batch-size", "3"], stdin: EventLines.input(EventLines.mixed(count)))
        #expect(appended.succeeded, "\(appended)")
        return sandbox
    }

    /// The 16-byte log id in the header of the log at `path`.
    static func logID(_ path: String) throws -> [UInt8] { Array(try ParleyProcess.readBytes(path)[16..<32]) }

    /// A commit hint file's bytes (docs/FORMAT.md) with a valid checksum and the given numbers.
    static func hint(logID: [UInt8], end: UInt64, lastSeq: UInt64) -> [UInt8] {
        var bytes = Array("PRLYCMT1".utf8) + logID
        LogFile.appendLittleEndian(end, size: 8, to: &bytes)
        LogFile.appendLittleEndian(lastSeq, size: 8, to: &bytes)
        LogFile.appendLittleEndian(UInt64(LogFile.crc32c(bytes)), size: 4, to: &bytes)
        return bytes
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    // MARK: numbers

    @Test(
        "tail --cursor with a cursor beyond any log is an error naming the file, not a trap",
        arguments: ["18446744073709551615", "9223372036854775808", "99999999999999999999", "0012", "+12"])
    func tailWithACursorBeyondAnyLogIsAnError(seq: String) async throws {
        let sandbox = try await Self.log(events: 10)
        let hex = try TailOutput.logID(of: sandbox.log)
        try FileManager.default.createDirectory(atPath: sandbox.log + ".cursors", withIntermediateDirectories: false)
        let path = sandbox.log + ".cursors/c"
        try Self.write(Array("parley-cursor 1 \(hex) \(seq)\n".utf8), to: path)
        for arguments in [["tail", "--cursor", "c"], ["tail", "--cursor", "c", "--auto-ack"], ["cursors"]] {
            let run = try await sandbox.runBounded(arguments + ["--log", sandbox.log])
            #expect(run.exitedNormally && !run.timedOut, "\(arguments): \(run)")
            #expect(run.exitCode == 1, "\(arguments): \(run)")
            #expect(run.stderrText.contains(path), "\(arguments): \(run)")
            #expect(!run.stdoutText.contains("{\"seq\""), "\(arguments): \(run)")
        }
        #expect(try ParleyProcess.readBytes(path) == Array("parley-cursor 1 \(hex) \(seq)\n".utf8))
    }

    @Test func tailWithACursorAtTheLargestSeqWaitsAfterTheEndAndPrintsNothing() async throws {
        let sandbox = try await Self.log(events: 10)
        let hex = try TailOutput.logID(of: sandbox.log)
        try FileManager.default.createDirectory(atPath: sandbox.log + ".cursors", withIntermediateDirectories: false)
        try Self.write(Array("parley-cursor 1 \(hex) 9223372036854775807\n".utf8), to: sandbox.log + ".cursors/c")
        let run = try await sandbox.runBounded(["tail", "--log", sandbox.log, "--cursor", "c"])
        #expect(run.succeeded, "\(run)")
        #expect(run.stdout.isEmpty)
    }

    @Test(
        "tail --from-end with a checksum-valid hint of huge numbers is not a trap and starts after the log's end",
        arguments: [
            (UInt64(1_000_000_000_000), UInt64.max), (UInt64(Int64.max), UInt64(Int64.max) - 64),
            (UInt64.max, UInt64.max), (UInt64(1_000_000_000_000), UInt64(99_999)),
        ])
    func tailFromEndWithAHugeHintIsNotATrap(end: UInt64, lastSeq: UInt64) async throws {
        let sandbox = try await Self.log(events: 10)
        try Self.write(
            Self.hint(logID: try Self.logID(sandbox.log), end: end, lastSeq: lastSeq), to: sandbox.log + ".commit")
        let run = try await sandbox.runBounded(["tail", "--log", sandbox.log, "--from-end"])
        #expect(run.succeeded, "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
        let all = try await sandbox.runBounded(["tail", "--log", sandbox.log])
        #expect(all.succeeded, "\(all)")
        #expect(TailOutput.seqs(ParleyRun.lines(all.stdoutText)) == Array(1...10), "\(all)")
    }

    @Test func aForgedHintNeverLetsAckPassTheLog() async throws {
        let sandbox = try await Self.log(events: 2001)
        let id = try Self.logID(sandbox.log)
        let size = UInt64(try ParleyProcess.readBytes(sandbox.log).count)
        // The forged hint of the issue, then one that even names the log's true size.
        for (end, lastSeq) in [(UInt64(1_000_000_000_000), UInt64(99_999)), (size, UInt64(99_999))] {
            try Self.write(Self.hint(logID: id, end: end, lastSeq: lastSeq), to: sandbox.log + ".commit")
            let ack = try await sandbox.runBounded(["ack", "--log", sandbox.log, "c9", "2011"])
            #expect(ack.exitCode == 65, "\(ack)")
            #expect(ack.stderrText.contains("seq 2001"), "names the log's last seq: \(ack)")
            #expect(!FileManager.default.fileExists(atPath: sandbox.log + ".cursors/c9"))
            let cursors = try await sandbox.runBounded(["cursors", "--log", sandbox.log, "--json"])
            #expect(cursors.succeeded, "\(cursors)")
            #expect(cursors.stdoutText.hasPrefix("{\"last_seq\":2001,"), "\(cursors)")
            let atEnd = try await sandbox.runBounded(["ack", "--log", sandbox.log, "c9", "2001"])
            #expect(atEnd.succeeded, "\(atEnd)")
            #expect(atEnd.stdoutText == "c9 at seq 2001 (lag 0)\n", "\(atEnd)")
            try FileManager.default.removeItem(atPath: sandbox.log + ".cursors/c9")
        }
        // The hint whose end is the log's size but whose seq is not is named in a warning.
        let ack = try await sandbox.runBounded(["ack", "--log", sandbox.log, "c9", "5"])
        #expect(ack.succeeded, "\(ack)")
        #expect(ack.stderrText.contains("commit hint") && ack.stderrText.contains("99999"), "\(ack)")
    }

    // MARK: symbolic links

    @Test func aSymlinkPlantedAsTheCommitHintLeavesItsTargetUntouched() async throws {
        let sandbox = try await Self.log(events: 4)
        let victim = sandbox.path("victim")
        let original = Array(repeating: UInt8(ascii: "v"), count: 100)
        try Self.write(original, to: victim)
        try FileManager.default.removeItem(atPath: sandbox.log + ".commit")
        try FileManager.default.createSymbolicLink(atPath: sandbox.log + ".commit", withDestinationPath: victim)
        let before = try ParleyProcess.readBytes(sandbox.log)
        let append = try await sandbox.runBounded(
            ["append", "--log", sandbox.log], stdin: EventLines.input(EventLines.notes(2)))
        #expect(append.exitCode == 66, "\(append)")
        #expect(append.stderrText.contains(".commit") && append.stderrText.contains("symbolic link"), "\(append)")
        for arguments in [["tail"], ["tail", "--from-end"], ["cursors"], ["ack", "c", "1"]] {
            let run = try await sandbox.runBounded(arguments + ["--log", sandbox.log])
            #expect(run.exitCode == 66, "\(arguments): \(run)")
            #expect(run.stderrText.contains(".commit"), "\(arguments): \(run)")
        }
        #expect(try ParleyProcess.readBytes(victim) == original)
        #expect(try ParleyProcess.readBytes(sandbox.log) == before, "nothing appended under a planted hint")
        // Removing it is the remedy: the next writer recreates the hint.
        try FileManager.default.removeItem(atPath: sandbox.log + ".commit")
        let again = try await sandbox.runBounded(
            ["append", "--log", sandbox.log], stdin: EventLines.input(EventLines.notes(2)))
        #expect(again.succeeded, "\(again)")
        #expect(Self.kind(sandbox.log + ".commit") == S_IFREG)
    }

    @Test func aSymlinkPlantedAsACursorIsRefusedAndItsTargetUntouched() async throws {
        let sandbox = try await Self.log(events: 4)
        let hex = try TailOutput.logID(of: sandbox.log)
        let victim = sandbox.path("victim")
        let original = Array("parley-cursor 1 \(hex) 2\n".utf8)
        try Self.write(original, to: victim)
        try FileManager.default.createDirectory(atPath: sandbox.log + ".cursors", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: sandbox.log + ".cursors/c", withDestinationPath: victim)
        for arguments in [["ack", "c", "3"], ["tail", "--cursor", "c", "--auto-ack"]] {
            let run = try await sandbox.runBounded(arguments + ["--log", sandbox.log])
            #expect(run.exitCode == 66, "\(arguments): \(run)")
            #expect(run.stderrText.contains(".cursors/c") && run.stderrText.contains("symbolic link"), "\(run)")
        }
        let cursors = try await sandbox.runBounded(["cursors", "--log", sandbox.log])
        #expect(cursors.exitCode == 1, "\(cursors)")
        #expect(cursors.stderrText.contains("symbolic link"), "\(cursors)")
        #expect(try ParleyProcess.readBytes(victim) == original)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.log + ".cursors/c") == victim)
    }

    @Test func aSymlinkPlantedAsTheCheckpointIsIgnoredAndReplacedNeverFollowed() async throws {
        let sandbox = try await Self.log(events: 12)
        let rebuilt = try await sandbox.runBounded(["rebuild", "--log", sandbox.log])
        #expect(rebuilt.succeeded, "\(rebuilt)")
        let checkpoint = sandbox.log + ".checkpoint"
        let victim = sandbox.path("victim")
        // A valid checkpoint behind the link: still not read through it.
        try FileManager.default.moveItem(atPath: checkpoint, toPath: victim)
        let original = try ParleyProcess.readBytes(victim)
        try FileManager.default.createSymbolicLink(atPath: checkpoint, withDestinationPath: victim)
        let kpi = try await sandbox.runBounded(["kpi", "--log", sandbox.log, "--by", "day", "--format", "json"])
        #expect(kpi.succeeded, "\(kpi)")
        #expect(kpi.stderrText.contains("symbolic link") && kpi.stderrText.contains("replayed the whole log"), "\(kpi)")
        #expect(try ParleyProcess.readBytes(victim) == original)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: checkpoint)) == nil, "replaced by a file")
        try FileManager.default.removeItem(atPath: checkpoint)
        try FileManager.default.createSymbolicLink(atPath: checkpoint, withDestinationPath: victim)
        try Self.write([1, 2, 3], to: victim)
        let again = try await sandbox.runBounded(["rebuild", "--log", sandbox.log])
        #expect(again.succeeded, "\(again)")
        #expect(try ParleyProcess.readBytes(victim) == [1, 2, 3])
        #expect(try ParleyProcess.readBytes(checkpoint) == original, "a regular file in the link's place")
    }

    @Test func theLogItselfMayBeASymlinkTheUserChose() async throws {
        let sandbox = try await Self.log(events: 5)
        let link = sandbox.path("link.log")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: sandbox.log)
        let append = try await sandbox.runBounded(
            ["append", "--log", link], stdin: EventLines.input(EventLines.notes(2)))
        #expect(append.succeeded, "\(append)")
        let dump = try await sandbox.runBounded(["dump", "--log", link])
        #expect(TailOutput.seqs(ParleyRun.lines(dump.stdoutText)) == Array(1...7), "\(dump)")
        let verify = try await sandbox.runBounded(["verify", "--log", link])
        #expect(verify.succeeded, "\(verify)")
        // The side files sit beside the path given (link.log.commit), as for any path.
        #expect(FileManager.default.fileExists(atPath: link + ".commit"))
    }

    // MARK: FIFOs, directories and devices

    /// What is put in a file's place.
    enum Planted: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case fifo, directory, characterDevice, symlinkToDevNull

        var testDescription: String { rawValue }

        /// Its file kind (`S_IFMT` bits).
        var kind: mode_t {
            switch self {
            case .fifo: S_IFIFO
            case .directory: S_IFDIR
            case .characterDevice: S_IFCHR
            case .symlinkToDevNull: S_IFLNK
            }
        }

        /// Puts it at `path`; false when this system does not allow it (mknod needs privileges).
        func plant(at path: String) -> Bool {
            switch self {
            case .fifo: return mkfifo(path, 0o600) == 0
            case .directory: return mkdir(path, 0o700) == 0
            case .characterDevice: return mknod(path, S_IFCHR | 0o600, (1 << 8) | 5) == 0  // 1,5: like /dev/zero
            case .symlinkToDevNull: return symlink("/dev/null", path) == 0
            }
        }
    }

    /// Every command of the issue, reading the log at `log`.
    static func commands(_ log: String) -> [[String]] {
        [
            ["verify"], ["dump"], ["kpi", "--by", "day"], ["rebuild"], ["queue"], ["sla"], ["tail"],
            ["tail", "--from-end"],
            ["tail", "--cursor", "c"], ["cursors"], ["ack", "c", "1"], ["append"],
        ].map { $0 + ["--log", log] }
    }

    @Test(
        "Something not a regular file as the log: every command fails at once with exit 66", arguments: Planted.allCases
    )
    func notARegularFileAsTheLog(planted: Planted) async throws {
        let sandbox = try Sandbox()
        let log = sandbox.path("odd.log")
        guard planted.plant(at: log) else {
            #expect(planted == .characterDevice, "could not plant \(planted) at \(log)")
            return
        }
        for arguments in Self.commands(log) {
            let run = try await sandbox.runBounded(arguments)
            #expect(!run.timedOut && run.exitedNormally, "\(arguments): \(run)")
            #expect(run.exitCode == 66, "\(arguments): \(run)")
            #expect(
                run.stderrText.contains(log) && run.stderrText.contains("not a regular file"), "\(arguments): \(run)")
        }
    }

    @Test(
        "/dev/null and /dev/zero as the log: every command fails at once with exit 66",
        arguments: ["/dev/null", "/dev/zero"])
    func aDeviceAsTheLog(device: String) async throws {
        let sandbox = try Sandbox()
        for arguments in Self.commands(device) {
            let run = try await sandbox.runBounded(arguments)
            #expect(run.exitCode == 66 && !run.timedOut, "\(arguments): \(run)")
            #expect(run.stderrText.contains("character device"), "\(arguments): \(run)")
        }
    }

    /// The side files, by the commands that read them.
    enum SideFile: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case hint, cursor, checkpoint

        var testDescription: String { rawValue }

        func path(_ log: String) -> String {
            switch self {
            case .hint: log + ".commit"
            case .cursor: log + ".cursors/c"
            case .checkpoint: log + ".checkpoint"
            }
        }

        /// The exit code each command must give with something other than a regular file in this file's place.
        func expectedExit(_ arguments: [String], planted: Planted) -> Int32 {
            switch self {
            case .hint:
                // Read by the followers and the writer; the others never open it.
                return ["tail", "cursors", "ack", "append"].contains(arguments[0]) ? 66 : 0
            case .cursor:
                if arguments[0] == "cursors" { return 1 }  // listed as a problem
                return arguments.contains("--cursor") || arguments[0] == "ack" ? 66 : 0
            case .checkpoint:
                // kpi, queue and sla ignore it with a warning and answer from the log; rebuild replaces
                // it, which rename(2) cannot do to a directory.
                return arguments[0] == "rebuild" && planted == .directory ? 66 : 0
            }
        }
    }

    @Test(
        "Something not a regular file beside the log: no command blocks; each fails or goes on as documented",
        arguments: SideFile.allCases, Planted.allCases)
    func notARegularFileBesideTheLog(file: SideFile, planted: Planted) async throws {
        let sandbox = try await Self.log(events: 6)
        let path = file.path(sandbox.log)
        if file == .cursor {
            try FileManager.default.createDirectory(
                atPath: sandbox.log + ".cursors", withIntermediateDirectories: false)
        }
        try? FileManager.default.removeItem(atPath: path)
        guard planted.plant(at: path) else {
            #expect(planted == .characterDevice, "could not plant \(planted) at \(path)")
            return
        }
        let before = try ParleyProcess.readBytes(sandbox.log)
        for arguments in Self.commands(sandbox.log) {
            // Planted again where a command replaced it (kpi, queue, sla and rebuild write a checkpoint).
            if Self.kind(path) != planted.kind {
                try? FileManager.default.removeItem(atPath: path)
                #expect(planted.plant(at: path))
            }
            let run = try await sandbox.runBounded(arguments)
            #expect(!run.timedOut && run.exitedNormally, "\(arguments): \(run)")
            let expected = file.expectedExit(arguments, planted: planted)
            #expect(run.exitCode == expected, "\(arguments): \(run)")
            if expected != 0 || (file == .checkpoint && ["kpi", "queue", "sla"].contains(arguments[0])) {
                #expect(run.stderrText.contains(path), "\(arguments) names the file: \(run)")
            }
        }
        #expect(try ParleyProcess.readBytes(sandbox.log) == before, "nothing appended beside a planted \(file)")
    }

    /// The kind of file at `path` (`lstat`), or nil when there is none.
    static func kind(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }
}
