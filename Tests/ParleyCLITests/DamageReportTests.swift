import Foundation
import Testing

/// Damage is never answered with a silent partial result: every command that reads the log and meets damage
/// exits 1 naming the offset and the sequence numbers it could not read, unless the range asked for ends
/// before the damage. A torn tail (an interrupted append) is not damage.
@Suite("damage is never answered silently", .dedicatedThread)
struct DamageReportTests {
    /// Commands that read the whole log (none of them uses a checkpoint here: the demo's is removed).
    static let readers: [[String]] = [
        ["kpi", "--by", "day"], ["kpi", "--by", "week", "--format", "json"], ["queue"], ["sla"],
        ["policy", "show"], ["conversation", "conv-1009"], ["customer", "cust-114"], ["tail"], ["stats"], ["cursors"],
        ["rebuild"], ["dump"], ["verify"],
    ]

    /// The demo log (frames seq 1–100, 101–200, 201–276), without its checkpoint, with one bit of the second
    /// frame's payload flipped. Returns the sandbox and the damaged frame.
    /// The demo runs as its own process, so that its frames get distinct commit times.
    static func damagedDemo() throws -> (Sandbox, LogFile.FrameInfo) {
        let sandbox = try Sandbox()
        let made = try sandbox.run(["demo", "--log", sandbox.log])
        #expect(made.succeeded, "\(made)")
        try FileManager.default.removeItem(atPath: sandbox.log + ".checkpoint")
        let frames = try LogFile.frames(at: sandbox.log)
        try #require(frames.count >= 3)
        try LogFile.flipByte(at: frames[1].offset + frames[1].length / 2, in: sandbox.log)
        return (sandbox, frames[1])
    }

    @Test("a command that meets damage exits 1 and names its offset and seq", arguments: readers)
    func damageIsExitOne(command: [String]) throws {
        let (sandbox, frame) = try Self.damagedDemo()
        let result = InProcess.run(command + ["--log", sandbox.log])
        #expect(result.code == 1, "\(command): \(result)")
        #expect(result.stderr.contains("offset \(frame.offset)") || result.stdout.contains("offset \(frame.offset)"))
        #expect(result.stderr.contains("seq \(frame.firstSeq)") || result.stdout.contains("seq \(frame.firstSeq)"))
    }

    @Test("rebuild writes no checkpoint of a damaged log, and leaves an earlier one as it was")
    func rebuildKeepsNoCheckpoint() throws {
        let (sandbox, _) = try Self.damagedDemo()
        let checkpoint = sandbox.log + ".checkpoint"
        #expect(InProcess.run(["rebuild", "--log", sandbox.log]).code == 1)
        #expect(!FileManager.default.fileExists(atPath: checkpoint))
        // A checkpoint that does not match the log is ignored and would be rewritten after a whole replay:
        // not when that replay meets damage.
        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: checkpoint))
        for command in [["rebuild"], ["kpi", "--by", "day"], ["queue"]] {
            #expect(InProcess.run(command + ["--log", sandbox.log]).code == 1, "\(command)")
            #expect(try sandbox.bytes(checkpoint) == Array("not a checkpoint".utf8), "\(command)")
        }
    }

    @Test("a range that ends before the damage is answered; one that reaches it is not")
    func rangesBeforeTheDamageKeepWorking() throws {
        let (sandbox, frame) = try Self.damagedDemo()
        let before = frame.firstSeq - 1
        for command in [["kpi", "--by", "day"], ["queue"], ["sla"], ["conversation", "conv-1014"]] {
            let inside = InProcess.run(command + ["--until-seq", String(before), "--log", sandbox.log])
            #expect(inside.code == 0, "\(command) --until-seq \(before): \(inside)")
            let reaching = InProcess.run(command + ["--until-seq", String(before + 1), "--log", sandbox.log])
            #expect(reaching.code == 1, "\(command) --until-seq \(before + 1): \(reaching)")
        }
        // --as-of the first frame's commit time ends before the damage; the last frame's does not.
        let dumped = InProcess.run(["dump", "--to-seq", "1", "--log", sandbox.log])
        let firstCommit = try #require(
            try TestJSON.parse(dumped.stdout.split(separator: "\n")[0].description)["recorded_at"]?.stringValue)
        let early = InProcess.run(["kpi", "--by", "day", "--as-of", firstCommit, "--log", sandbox.log])
        #expect(early.code == 0, "\(early)")
        let late = InProcess.run(["kpi", "--by", "day", "--as-of", "2100-01-01T00:00:00Z", "--log", sandbox.log])
        #expect(late.code == 1, "\(late)")
    }

    @Test("an id whose events lie after the damage is damage, not 'not found'")
    func unknownIdBehindDamageIsDamage() throws {
        let (sandbox, _) = try Self.damagedDemo()
        let result = InProcess.run(["conversation", "conv-no-such", "--log", sandbox.log])
        #expect(result.code == 1, "\(result)")
        #expect(!result.stderr.contains("no conversation"), "\(result)")
    }

    @Test("a torn tail is not damage: readers answer with what was committed", arguments: readers)
    func tornTailIsNotDamage(command: [String]) throws {
        let sandbox = try Sandbox()
        #expect(InProcess.run(["demo", "--log", sandbox.log]).code == 0)
        try FileManager.default.removeItem(atPath: sandbox.log + ".checkpoint")
        // The first 50 bytes of a copy of the last frame, as a crash in the middle of an append leaves them.
        let bytes = try sandbox.bytes()
        let last = try #require(LogFile.frames(bytes).last)
        try LogFile.appendBytes(Array(bytes[last.offset..<(last.offset + 50)]), to: sandbox.log)
        let result = InProcess.run(command + ["--log", sandbox.log])
        // verify reports a torn tail with exit 1 (documented); every other reader answers.
        #expect(result.code == (command == ["verify"] ? 1 : 0), "\(command): \(result)")
    }
}
