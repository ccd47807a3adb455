import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The command line as a whole: help, version, usage errors and exit codes, and where the log is.
@Suite("Command line", .dedicatedThread)
struct CommandLineTests {
    static let commands = ["init", "append", "dump", "verify", "stats", "repair", "demo"]

    // MARK: Help and version

    @Test("--help, -h and help print the overview on stdout and exit 0", arguments: [["--help"], ["-h"], ["help"]])
    func overviewHelp(arguments: [String]) throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(arguments)
        #expect(result.succeeded, "\(result)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdoutText.contains("Usage: parley <command> [options]"))
        for command in Self.commands {
            #expect(result.stdoutLines.contains { $0.hasPrefix("  \(command) ") }, "command \(command) not listed")
        }
        for code in [
            "0 success", "64 usage error", "65 bad input data", "66 no log", "73 ", "74 I/O error", "75 another writer",
        ] {
            #expect(result.stdoutText.contains(code), "exit code \(code) not documented")
        }
    }

    @Test("Every command's --help, -h and `help <command>` print the same text", arguments: commands)
    func commandHelp(command: String) throws {
        let sandbox = try Sandbox()
        let long = try sandbox.run([command, "--help"])
        let short = try sandbox.run([command, "-h"])
        let viaHelp = try sandbox.run(["help", command])
        #expect(long.succeeded && short.succeeded && viaHelp.succeeded, "\(long)\n\(short)\n\(viaHelp)")
        #expect(long.stdoutText.hasPrefix("Usage: parley \(command)"))
        #expect(long.stdoutText.contains("-h, --help"))
        #expect(long.stdoutText.contains("Exit codes:"))
        #expect(long.stdout == short.stdout)
        #expect(long.stdout == viaHelp.stdout)
        #expect(long.stderr.isEmpty)
        // Help wins over everything else on the line and touches nothing.
        let withOthers = try sandbox.run([command, "--log", sandbox.path("x.log"), "--help"])
        #expect(withOthers.stdout == long.stdout)
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("x.log")))
    }

    @Test("--version prints the version and log format")
    func version() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["--version"])
        #expect(result.succeeded)
        #expect(result.stdoutLines.count == 1)
        #expect(result.stdoutText.hasPrefix("parley "))
        #expect(result.stdoutText.contains("log format 1"))
    }

    // MARK: Usage errors

    @Test("No command prints the overview on stderr and exits 64")
    func noCommand() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run([])
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText.contains("Usage: parley <command>"))
    }

    @Test("An unknown command exits 64 naming it")
    func unknownCommand() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["frobnicate"])
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.stderrText.hasPrefix("Error: unknown command \"frobnicate\""))
        #expect(result.stdout.isEmpty)
        let help = try sandbox.run(["help", "frobnicate"])
        #expect(help.exitCode == 64, "\(help)")
        #expect(help.stderrText.contains("frobnicate"))
    }

    struct UsageCase: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let usageCases: [UsageCase] = [
        UsageCase(arguments: ["dump", "--bogus"], message: "unknown option --bogus"),
        UsageCase(arguments: ["verify", "-x"], message: "unknown option -x"),
        UsageCase(arguments: ["dump", "--log"], message: "option --log needs a value"),
        UsageCase(arguments: ["dump", "--log", "a", "--log", "b"], message: "option --log given twice"),
        UsageCase(arguments: ["verify", "--json=yes"], message: "option --json takes no value"),
        UsageCase(arguments: ["init", "extra"], message: "unexpected argument \"extra\""),
        UsageCase(arguments: ["append", "--batch-size", "0"], message: "option --batch-size"),
        UsageCase(arguments: ["append", "--batch-size", "ten"], message: "option --batch-size"),
        UsageCase(arguments: ["append", "--batch-size=-1"], message: "option --batch-size"),
        UsageCase(arguments: ["dump", "--format", "xml"], message: "option --format"),
        UsageCase(arguments: ["demo", "--conversations", "0"], message: "option --conversations"),
    ]

    @Test("Usage errors print Error: and the usage line on stderr and exit 64", arguments: usageCases)
    func usageError(_ usage: UsageCase) throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let before = try LogFile.snapshot(sandbox.log)
        let result = try sandbox.run(usage.arguments, stdin: EventLines.input(EventLines.notes(1)))
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.stderrLines.first?.hasPrefix("Error: ") == true, "\(result)")
        #expect(result.stderrText.contains(usage.message), "\(result)")
        #expect(result.stderrText.contains("Usage: parley \(usage.arguments[0])"), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(try LogFile.snapshot(sandbox.log) == before, "a usage error changed the log")
    }

    // MARK: Where the log is

    @Test("Without --log or PARLEY_LOG the log is ./parley.log in the working directory")
    func defaultLogIsInWorkingDirectory() throws {
        let sandbox = try Sandbox()
        let created = try sandbox.run(["init"])
        #expect(created.succeeded, "\(created)")
        #expect(FileManager.default.fileExists(atPath: sandbox.path("parley.log")))
        let appended = try sandbox.run(["append"], stdin: EventLines.input(EventLines.notes(2)))
        #expect(appended.succeeded, "\(appended)")
        #expect(try sandbox.dump(sandbox.path("parley.log")).count == 2)
        // Another working directory has no log.
        let elsewhere = sandbox.root + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
        let missing = try sandbox.run(["dump"], currentDirectory: elsewhere)
        #expect(missing.exitCode == 66, "\(missing)")
    }

    @Test("PARLEY_LOG names the log when --log is not given; an empty PARLEY_LOG is ignored")
    func environmentVariableNamesTheLog() throws {
        let sandbox = try Sandbox()
        let fromEnvironment = sandbox.path("from-env.log")
        let created = try sandbox.run(["init"], environment: ["PARLEY_LOG": fromEnvironment])
        #expect(created.succeeded, "\(created)")
        #expect(FileManager.default.fileExists(atPath: fromEnvironment))
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("parley.log")))
        let appended = try sandbox.run(
            ["append"], stdin: EventLines.input(EventLines.notes(3)), environment: ["PARLEY_LOG": fromEnvironment])
        #expect(appended.succeeded, "\(appended)")
        #expect(try sandbox.dump(fromEnvironment).count == 3)

        let empty = try sandbox.run(["init"], environment: ["PARLEY_LOG": ""])
        #expect(empty.succeeded, "\(empty)")
        #expect(FileManager.default.fileExists(atPath: sandbox.path("parley.log")))
    }

    @Test("--log wins over PARLEY_LOG, and a relative --log is relative to the working directory")
    func logOptionWinsOverEnvironment() throws {
        let sandbox = try Sandbox()
        let fromEnvironment = sandbox.path("from-env.log")
        let result = try sandbox.run(["init", "--log", "given.log"], environment: ["PARLEY_LOG": fromEnvironment])
        #expect(result.succeeded, "\(result)")
        #expect(FileManager.default.fileExists(atPath: sandbox.path("given.log")))
        #expect(!FileManager.default.fileExists(atPath: fromEnvironment))
        let appended = try sandbox.run(
            ["append", "--log=given.log"], stdin: EventLines.input(EventLines.notes(1)),
            environment: ["PARLEY_LOG": fromEnvironment])
        #expect(appended.succeeded, "\(appended)")
        #expect(try sandbox.dump(sandbox.path("given.log")).count == 1)
    }

    // MARK: init

    @Test("init creates an empty log with mode 0600 and prints its path")
    func initCreatesAnEmptyPrivateLog() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["init", "--log", sandbox.log])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdoutText.contains(sandbox.log))
        let bytes = try sandbox.bytes()
        #expect(bytes.count == 64)
        #expect(Array(bytes.prefix(8)) == Array("PARLEYLG".utf8))
        let mode = try #require(
            try FileManager.default.attributesOfItem(atPath: sandbox.log)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)
        let verified = try sandbox.run(["verify", "--log", sandbox.log])
        #expect(verified.succeeded, "\(verified)")
        // No temporary files are left beside it.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: sandbox.directory).sorted() == [
                "parley.log", "parley.log.commit",
            ])
    }

    @Test("init twice exits 73 and leaves the first log as it was")
    func initTwiceRefusesToOverwrite() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        try sandbox.append(EventLines.notes(2))
        let before = try LogFile.snapshot(sandbox.log)
        let again = try sandbox.run(["init", "--log", sandbox.log])
        #expect(again.exitCode == 73, "\(again)")
        #expect(again.stderrText.contains("already exists"))
        #expect(try LogFile.snapshot(sandbox.log) == before)
    }

    @Test("init over any existing file, even an empty one, exits 73")
    func initRefusesAnyExistingFile() throws {
        let sandbox = try Sandbox()
        try sandbox.write([], to: sandbox.log)
        let result = try sandbox.run(["init", "--log", sandbox.log])
        #expect(result.exitCode == 73, "\(result)")
        #expect(try sandbox.bytes().isEmpty)
    }

    @Test("A command on a path with no log exits 66", arguments: ["append", "dump", "verify", "stats", "repair"])
    func missingLog(command: String) throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(
            [command, "--log", sandbox.path("missing.log")], stdin: EventLines.input(EventLines.notes(1)))
        #expect(result.exitCode == 66, "\(result)")
        #expect(result.stderrText.contains("missing.log"))
        #expect(result.stderrText.contains("no log file here"))
        if command != "repair" {  // creating a new log is no fix for one that repair cannot find
            #expect(result.stderrText.contains("parley init"), "\(result)")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("missing.log")), "\(command) created the log")
    }

    @Test(
        "A file that is not a Parley log is refused by every command, and left alone",
        arguments: ["append", "dump", "verify", "stats", "repair"])
    func notALog(command: String) throws {
        let sandbox = try Sandbox()
        let text = Array(String(repeating: "this is not a log\n", count: 10).utf8)
        try sandbox.write(text)
        let result = try sandbox.run([command, "--log", sandbox.log], stdin: EventLines.input(EventLines.notes(1)))
        #expect(result.exitCode == 1, "\(result)")
        #expect((result.stdoutText + result.stderrText).lowercased().contains("not a parley log"), "\(result)")
        #expect(try sandbox.bytes() == text)
    }

    // MARK: demo

    @Test("demo writes, verifies and shows a sample log, and exits 0")
    func demo() throws {
        let sandbox = try Sandbox()
        let log = sandbox.path("demo.log")
        let result = try sandbox.run(["demo", "--log", log, "--conversations", "12"])
        #expect(result.succeeded, "\(result)")
        let lines = result.stdoutLines
        let verifyHeading = try #require(lines.firstIndex(of: "== parley verify"), "\(result)")
        #expect(lines[verifyHeading + 1] == "\(log): OK")
        #expect(result.stdoutText.contains("== parley stats"))
        #expect(result.stdoutText.contains("#1 "))
        let verified = try sandbox.run(["verify", "--log", log])
        #expect(verified.succeeded, "\(verified)")
        // The projections: its policy is valid (SLA columns appear), a checkpoint is written, and the
        // queue and SLA views are judged at the last event.
        let kpiHeading = try #require(lines.firstIndex(of: "== parley kpi --by day"), "\(result)")
        let columns = try #require(lines[kpiHeading...].first { $0.hasPrefix("bucket ") }, "\(result)")
        #expect(columns.hasSuffix("SLA FRT  SLA res"), "\(columns)")
        #expect(FileManager.default.fileExists(atPath: log + ".checkpoint"))
        #expect(lines.contains { $0.hasPrefix("== parley queue --until-seq ") })
        #expect(lines.contains { $0.contains("breached or due within the hour at ") })
        // Routing: every decision the demo's rules made is explained; the agents' load is shown.
        let checkHeading = try #require(lines.firstIndex(of: "== parley route --check"), "\(result)")
        #expect(lines[checkHeading + 1].hasSuffix(": every one follows from the rules"), "\(lines[checkHeading + 1])")
        #expect(lines.contains { $0.hasPrefix("== parley workload --until-seq ") })
        #expect(!result.stderrText.contains("warning"), "\(result.stderrText)")
    }

    @Test("demo without --log writes into a new directory under TMPDIR")
    func demoWithoutLog() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["demo", "--conversations", "3"], environment: ["TMPDIR": sandbox.directory])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdoutText.contains(": OK"))
        let made = try FileManager.default.contentsOfDirectory(atPath: sandbox.directory)
        #expect(made.count == 1 && made[0].hasPrefix("parley-demo-"), "\(made)")
        #expect(result.stdoutText.contains(sandbox.directory + "/" + made[0] + "/parley.log"))
    }

    @Test("demo refuses to overwrite an existing log (73)")
    func demoRefusesExistingLog() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let before = try LogFile.snapshot(sandbox.log)
        let result = try sandbox.run(["demo", "--log", sandbox.log])
        #expect(result.exitCode == 73, "\(result)")
        #expect(try LogFile.snapshot(sandbox.log) == before)
    }
}
