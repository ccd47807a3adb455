import Foundation
import Testing

/// Output that cannot be written is a failed command: exit 74 and a message on stderr. A reader that went
/// away (`| head`) is a quiet, successful end, as before.
@Suite("output errors", .dedicatedThread)
struct OutputErrorTests {
    /// Commands that print what they read, run on the demo log.
    static let printers: [[String]] = [
        ["dump"], ["dump", "--format", "text"], ["tail"], ["kpi", "--by", "day"], ["verify"], ["verify", "--json"],
        ["stats"], ["conversation", "conv-1009"], ["customer", "cust-114"], ["queue"], ["sla"], ["policy", "show"],
        ["cursors"], ["--help"], ["dump", "--help"],
    ]

    @Test("writing to a full device (/dev/full) exits 74 with the reason on stderr", arguments: printers)
    func fullDeviceIsAnError(command: [String]) throws {
        let sandbox = try ClosedDescriptorTests.demo()
        _ = try sandbox.run(["ack", "indexer", "3", "--log", sandbox.log])
        let result = try sandbox.shell(#""$0" "$@" > /dev/full"#, arguments: command + ["--log", sandbox.log])
        #expect(result.exitedNormally && result.exitCode == 74, "\(command): \(result)")
        #expect(result.stderrText.contains("writing to standard output failed: No space left on device"), "\(result)")
    }

    @Test("tail --follow stops with exit 74 when its output fails")
    func followerStopsOnOutputError() throws {
        let sandbox = try ClosedDescriptorTests.demo()
        let result = try sandbox.shell(
            #""$0" tail --follow --log "$1" > /dev/full"#, arguments: [sandbox.log])
        #expect(result.exitCode == 74, "\(result)")
    }

    @Test("a reader that goes away is a quiet end: dump and tail exit 0 with nothing on stderr")
    func closedPipeIsQuiet() throws {
        // Far more output than a pipe buffers (about 850 KB of JSON Lines), so the writes after `head` exits fail.
        let sandbox = try Sandbox()
        let made = try sandbox.run(["demo", "--conversations", "600", "--log", sandbox.log])
        #expect(made.succeeded, "\(made)")
        for command in ["dump", "tail"] {
            let result = try sandbox.shell(
                #"{ "$0" "$1" --log "$2"; echo "status $?" >&2; } | head -c 10 > /dev/null"#,
                arguments: [command, sandbox.log])
            #expect(result.stderrText == "status 0\n", "\(command): \(result)")
        }
    }

    @Test("a failure the command already reported keeps its own exit code")
    func earlierFailureKeepsItsCode() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.shell(#""$0" dump --log "$1" > /dev/full"#, arguments: [sandbox.path("none.log")])
        #expect(result.exitCode == 66, "\(result)")
    }
}
