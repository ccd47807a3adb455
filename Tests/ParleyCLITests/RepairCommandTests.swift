import Foundation
import Testing

/// Damage that is not a torn tail: the writer refuses it, and `parley repair` is the explicit fix.
@Suite("repair", .dedicatedThread)
struct RepairCommandTests {
    /// A log of frames seq 1–3, 4–6, 7–9 (bodies long enough that "the middle" of a frame is body text).
    static func threeFrameLog() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(9, bodyBytes: 60), batchSize: 3)
        return sandbox
    }

    /// Damage that a crash cannot leave.
    enum Damage: String, CaseIterable, Sendable {
        /// One bit of body text in the middle of the first frame.
        case firstFramePayload
        /// One bit of body text in the middle of the second frame.
        case middleFramePayload
        /// The first-seq field of the second frame.
        case middleFrameSeq
        /// The length field of the first frame.
        case firstFrameLength
        /// The last frame written again after itself.
        case duplicatedFrame

        /// Applies the damage; returns the offset of the first bad frame and the seq it should start at.
        func apply(to sandbox: Sandbox) throws -> (offset: Int, seq: Int) {
            let bytes = try sandbox.bytes()
            let frames = LogFile.frames(bytes)
            switch self {
            case .firstFramePayload:
                try LogFile.flipByte(at: frames[0].offset + frames[0].length / 2, in: sandbox.log)
                return (frames[0].offset, 1)
            case .middleFramePayload:
                try LogFile.flipByte(at: frames[1].offset + frames[1].length / 2, in: sandbox.log)
                return (frames[1].offset, 4)
            case .middleFrameSeq:
                try LogFile.flipByte(at: frames[1].offset + 16, in: sandbox.log, mask: 0x02)
                return (frames[1].offset, 4)
            case .firstFrameLength:
                try LogFile.flipByte(at: frames[0].offset + 4, in: sandbox.log, mask: 0x08)
                return (frames[0].offset, 1)
            case .duplicatedFrame:
                try LogFile.appendBytes(Array(bytes[frames[2].offset..<frames[2].end]), to: sandbox.log)
                return (bytes.count, 10)
            }
        }
    }

    @Test(
        "append refuses a log with mid-file damage: exit 1, offset, seq and `parley repair` named, file unchanged",
        arguments: Damage.allCases)
    func appendRefusesDamage(damage: Damage) throws {
        let sandbox = try Self.threeFrameLog()
        let (offset, seq) = try damage.apply(to: sandbox)
        let before = try LogFile.snapshot(sandbox.log)
        let result = try sandbox.run(
            ["append", "--log", sandbox.log], stdin: EventLines.input(EventLines.notes(1, from: 10)))
        #expect(try LogFile.snapshot(sandbox.log) == before, "\(damage): the damaged log was written to")
        guard result.exitCode == 1 else {
            Issue.record("\(damage): append did not refuse the damaged log (expected exit 1): \(result)")
            return
        }
        #expect(result.stdout.isEmpty, "\(damage): \(result)")
        #expect(result.stderrText.contains("offset \(offset)"), "\(damage): \(result)")
        #expect(result.stderrText.contains("seq \(seq)"), "\(damage): \(result)")
        #expect(result.stderrText.contains("parley repair"), "\(damage): \(result)")
    }

    @Test(
        "repair cuts at the damage, keeps the header and the cut bytes in PATH.cut-OFFSET; then verify is OK and append works",
        arguments: Damage.allCases)
    func repairCutsAndKeepsACopy(damage: Damage) throws {
        let sandbox = try Self.threeFrameLog()
        let (offset, seq) = try damage.apply(to: sandbox)
        let damaged = try sandbox.bytes()

        let result = try sandbox.run(["repair", "--log", sandbox.log])
        #expect(result.succeeded, "\(damage): \(result)")
        let copyPath = sandbox.log + ".cut-\(offset)"
        #expect(
            result.stdoutText.contains("cut \(damaged.count - offset) bytes at offset \(offset)"),
            "\(damage): \(result)")
        #expect(result.stdoutText.contains(copyPath), "\(damage): \(result)")
        #expect(result.stdoutText.contains("the log now holds \(seq - 1) events"), "\(damage): \(result)")

        #expect(
            try sandbox.bytes() == Array(damaged.prefix(offset)), "\(damage): the log is not the part before the damage"
        )
        #expect(
            try sandbox.bytes(copyPath) == Array(damaged.prefix(64) + damaged.suffix(from: offset)),
            "\(damage): the copy is not the log's header and the cut bytes")
        let mode = try FileManager.default.attributesOfItem(atPath: copyPath)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o777 } == 0o600)

        let verified = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(verified.succeeded, "\(damage): \(verified)")
        let appended = try sandbox.append(EventLines.notes(2, from: 100))
        #expect(appended.stdoutText == "\(seq + 1)\n", "\(damage): \(appended)")
        #expect(try sandbox.dump().count == seq + 1)
    }

    @Test("repair of a sound log changes nothing and makes no copy")
    func repairSoundLog() throws {
        let sandbox = try Self.threeFrameLog()
        let before = try LogFile.snapshot(sandbox.log)
        let result = try sandbox.run(["repair", "--log", sandbox.log])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdoutText.contains("nothing to repair"))
        #expect(try LogFile.snapshot(sandbox.log) == before)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: sandbox.directory).sorted() == [
                "parley.log", "parley.log.commit",
            ])
    }

    @Test("repair of a torn tail cuts it and keeps a copy too")
    func repairTornTail() throws {
        let sandbox = try Self.threeFrameLog()
        let last = try #require(try LogFile.frames(at: sandbox.log).last)
        try LogFile.truncate(sandbox.log, to: last.end - 3)
        let torn = try sandbox.bytes()
        let result = try sandbox.run(["repair", "--log", sandbox.log])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdoutText.contains("torn tail"), "\(result)")
        #expect(try sandbox.bytes() == Array(torn.prefix(last.offset)))
        #expect(
            try sandbox.bytes(sandbox.log + ".cut-\(last.offset)")
                == Array(torn.prefix(64) + torn.suffix(from: last.offset)))
    }

    @Test("A second repair at the same offset does not overwrite the first copy")
    func secondCopyGetsANewName() throws {
        let sandbox = try Self.threeFrameLog()
        _ = try Damage.firstFramePayload.apply(to: sandbox)
        let first = try sandbox.run(["repair", "--log", sandbox.log])
        #expect(first.succeeded, "\(first)")
        let firstCopy = try sandbox.bytes(sandbox.log + ".cut-64")

        try sandbox.append(EventLines.notes(6, from: 20, bodyBytes: 60), batchSize: 3)
        _ = try Damage.firstFramePayload.apply(to: sandbox)
        let second = try sandbox.run(["repair", "--log", sandbox.log])
        #expect(second.succeeded, "\(second)")
        #expect(second.stdoutText.contains(sandbox.log + ".cut-64-1"), "\(second)")
        #expect(try sandbox.bytes(sandbox.log + ".cut-64") == firstCopy)
        #expect(FileManager.default.fileExists(atPath: sandbox.log + ".cut-64-1"))
    }

    @Test("A damaged file header cannot be repaired: exit 1 and nothing changes")
    func damagedHeaderIsNotRepaired() throws {
        let sandbox = try Self.threeFrameLog()
        try LogFile.flipByte(at: 33, in: sandbox.log)  // the salt
        let before = try LogFile.snapshot(sandbox.log)
        let result = try sandbox.run(["repair", "--log", sandbox.log])
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderrText.contains("header"), "\(result)")
        #expect(try LogFile.snapshot(sandbox.log) == before)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: sandbox.directory).sorted() == [
                "parley.log", "parley.log.commit",
            ])
    }
}
