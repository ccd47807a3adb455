import ParleyEvents
import ParleyLog

/// The `parley` command line: dispatches to a subcommand, prints help and errors, returns the exit code.
/// A library type so that tests can run commands in-process.
public enum ParleyCommandLine {
    /// The version `parley --version` prints.
    public static let version = "0.1.0 (log format \(LogFormat.version))"

    static var commands: [any Command.Type] {
        [
            InitCommand.self, AppendCommand.self, DumpCommand.self, VerifyCommand.self, StatsCommand.self,
            RepairCommand.self, TailCommand.self, AckCommand.self, CursorsCommand.self, ConversationCommand.self,
            CustomerCommand.self, RulesCommand.self, RouteCommand.self, ExplainCommand.self, WorkloadCommand.self,
            QueueCommand.self, SLACommand.self, KPICommand.self, PolicyCommand.self, RebuildCommand.self,
            DemoCommand.self, InsightsCommand.self, QuestionsCommand.self, ReportCommand.self,
        ]
    }

    /// Runs the process: real stdin/stdout/stderr and environment. Returns the exit code.
    public static func main(_ arguments: [String]) -> Int32 {
        // Before any file is opened: a closed stdin/stdout/stderr must not be handed to a log.
        guard StandardDescriptors.ensureOpen() else { return CLIError.ExitCode.ioError.rawValue }
        Posix.ignoreWriteSignals()
        let context = CommandContext(
            stdout: .standardOutput(), stderr: .standardError(), stdin: FileDescriptorSource(fd: 0),
            environment: Posix.environment())
        return run(Array(arguments.dropFirst()), context: context)
    }

    /// Runs one command line (without the program name) in `context`.
    /// - Returns: the exit code.
    public static func run(_ arguments: [String], context: CommandContext) -> Int32 {
        let code = dispatch(arguments, context: context)
        context.stdout.flush()
        defer { context.stderr.flush() }
        // Output that could not be written is a failed command, whatever it computed (a reader that
        // went away, EPIPE, is not: `parley dump | head` ends quietly).
        if let error = context.stdout.writeError {
            context.stderr.line("Error: writing to standard output failed: \(Posix.describe(errno: error))")
            if code == CLIError.ExitCode.success.rawValue { return CLIError.ExitCode.ioError.rawValue }
        }
        return code
    }

    /// Parses the command line and runs the command; output may still be buffered.
    private static func dispatch(_ arguments: [String], context: CommandContext) -> Int32 {
        guard let first = arguments.first else {
            context.stderr.write(overview)
            return CLIError.ExitCode.usage.rawValue
        }
        switch first {
        case "-h", "--help":
            context.stdout.write(overview)
            return 0
        case "--version", "version":
            context.stdout.line("parley \(version)")
            return 0
        case "help":
            guard arguments.count > 1 else {
                context.stdout.write(overview)
                return 0
            }
            guard let command = resolve(Array(arguments.dropFirst()))?.command else {
                context.stderr.line("Error: no command \"\(arguments.dropFirst().prefix(2).joined(separator: " "))\"")
                context.stderr.write(overview)
                return CLIError.ExitCode.usage.rawValue
            }
            context.stdout.write(command.help)
            return 0
        default:
            break
        }
        guard let resolved = resolve(arguments) else {
            let family = commands.map { $0.name }.filter { $0.hasPrefix(first + " ") }
            if family.isEmpty {
                context.stderr.line("Error: unknown command \"\(first)\"")
            } else {
                let given = arguments.count > 1 ? " \"\(arguments[1])\"" : ""
                context.stderr.line(
                    "Error: `parley \(first)` needs one of: \(family.joined(separator: ", "))\(given.isEmpty ? "" : ";")"
                        + (given.isEmpty ? "" : given + " is not one"))
            }
            context.stderr.write(overview)
            return CLIError.ExitCode.usage.rawValue
        }
        let command = resolved.command
        do {
            let parsed = try ParsedArguments(Array(arguments.dropFirst(resolved.words)), options: command.options)
            if parsed.flag("help") {
                context.stdout.write(command.help)
                return 0
            }
            return try command.run(parsed, context: context).rawValue
        } catch {
            context.stdout.flush()
            context.stderr.line("Error: \(error.message)")
            if error.showUsage {
                context.stderr.line(command.usageLine)
                context.stderr.line("See `parley \(command.name) --help`.")
            }
            return error.exitCode.rawValue
        }
    }

    /// The command `arguments` start with, and how many words its name takes: commands are named by one
    /// word (`append`) or two (`import mail`).
    static func resolve(_ arguments: [String]) -> (command: any Command.Type, words: Int)? {
        guard let first = arguments.first else { return nil }
        if arguments.count > 1, let command = commands.first(where: { $0.name == first + " " + arguments[1] }) {
            return (command, 2)
        }
        return commands.first(where: { $0.name == first }).map { ($0, 1) }
    }

    /// `parley --help`.
    static var overview: String {
        var text = """
            parley \(version): an event-sourced conversation log.

            Usage: parley <command> [options]

            Commands:

            """
        var rows: [(name: String, abstract: String)] = []
        for command in commands { rows.append((command.name, command.abstract)) }
        let width = rows.reduce(0) { max($0, $1.name.count) }
        for row in rows {
            text += "  " + row.name + String(repeating: " ", count: width - row.name.count + 2) + row.abstract + "\n"
        }
        text += """

            The log is ./parley.log unless --log PATH or $PARLEY_LOG says otherwise.
            Run `parley help <command>` or `parley <command> --help` for a command's options.

            """
        return text + "\n" + exitCodeHelp
    }
}
