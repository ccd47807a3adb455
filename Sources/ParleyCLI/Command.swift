import ParleyEvents
import ParleyLog

/// What a command runs with: its arguments, standard streams and environment.
public final class CommandContext {
    /// Standard output.
    public let stdout: Output
    /// Standard error.
    public let stderr: Output
    /// Standard input, as bytes.
    var stdin: any ByteSource
    /// Environment variables.
    public let environment: [String: String]
    /// Clock for commit times (tests pin it).
    public let clock: @Sendable () -> Int64

    /// Creates a context.
    public init(
        stdout: Output, stderr: Output, stdin: any ByteSource, environment: [String: String],
        clock: (@Sendable () -> Int64)? = nil
    ) {
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin
        self.environment = environment
        self.clock = clock ?? SystemClock.now
    }

    /// The log path: `--log`, else `$PARLEY_LOG`, else `parley.log` in the working directory.
    func logPath(_ arguments: ParsedArguments) -> String {
        if let path = arguments.value("log"), !path.isEmpty { return path }
        if let path = environment["PARLEY_LOG"], !path.isEmpty { return path }
        return "parley.log"
    }

    /// Writes a warning line on stderr.
    func warn(_ text: String) {
        stderr.line("warning: " + text)
    }
}

/// One `parley` subcommand.
protocol Command {
    /// The word after `parley`.
    static var name: String { get }
    /// One line for the command list.
    static var abstract: String { get }
    /// The synopsis after `parley <name>`.
    static var synopsis: String { get }
    /// Paragraphs of help after the usage line.
    static var discussion: String { get }
    /// Options the command accepts (besides -h/--help).
    static var options: [OptionSpec] { get }
    /// Runs the command.
    /// - Returns: the exit code (0 on success).
    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode
}

extension Command {
    /// `Usage: parley append [--log PATH] …`, wrapped at 100 columns between bracketed groups, the
    /// continuation lines indented under the first option.
    static var usageLine: String {
        let lead = "Usage: parley \(name) "
        return HelpText.wrap(
            HelpText.groups(synopsis), first: lead, indent: String(repeating: " ", count: min(lead.count, 24)))
    }

    /// The full `--help` text.
    static var help: String {
        var text = "\(usageLine)\n\n\(abstract)\n"
        if !discussion.isEmpty { text += "\n\(discussion)\n" }
        text += "\nOptions:\n"
        let rows =
            options.map { spec in ("--\(spec.name)" + (spec.value.map { " \($0)" } ?? ""), spec.help) }
            + [("-h, --help", "Show this help.")]
        let width = rows.map(\.0.count).max() ?? 0
        for (left, right) in rows {
            let first = "  " + left + String(repeating: " ", count: width - left.count + 2)
            let words = right.split(separator: " ").map(String.init)
            text += HelpText.wrap(words, first: first, indent: String(repeating: " ", count: first.count)) + "\n"
        }
        text += "\n" + exitCodeHelp
        return HelpText.fit(text)
    }
}

/// The exit-code table every `--help` ends with.
let exitCodeHelp = """
    Exit codes: 0 success; 1 the log is damaged (verify, or a command that met the damage);
    64 usage error; 65 bad input data (nothing of the rejected batch was written); 66 no log at the path,
    or the log, the commit hint or a cursor is not a regular file (a FIFO, device, directory; for the hint
    and cursors also a symbolic link, or a file with other hard links); 67 no such conversation or
    customer in the log; 73 the log to create already exists; 74 I/O error (a failed read, write or sync,
    standard output included); 75 another writer holds the log.
    Damage: a command that reads the log and meets damage stops with exit 1, naming the offset and the
    seqs it cannot read, unless --until-seq or --as-of end before it; a torn tail (an interrupted append)
    is not damage. A reader that goes away (`| head`) ends a command quietly, with exit 0.

    """

/// Wrapping of `--help` text at 100 columns.
enum HelpText {
    /// The width help text fits.
    static let width = 100

    /// `words` after `first`, then on lines starting with `indent`, each line at most ``width`` columns
    /// (a word longer than a line stands alone on its line).
    static func wrap(_ words: [String], first: String, indent: String) -> String {
        var lines: [String] = []
        var line = first
        var empty = true
        for word in words {
            if !empty && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
                empty = true
            }
            line += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    /// `text` with every line longer than ``width`` wrapped at its spaces, the continuation lines indented
    /// like the line (or, for the `Usage:` line, under its first option).
    static func fit(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.count > width else { return String(line) }
            let leading = line.prefix { $0 == " " }
            var indent = String(leading)
            if line.hasPrefix("Usage: parley ") { indent = String(repeating: " ", count: 18) }
            let words = line.dropFirst(leading.count).split(separator: " ").map(String.init)
            return wrap(words, first: String(leading), indent: indent)
        }.joined(separator: "\n")
    }

    /// A synopsis cut at the spaces outside brackets and parentheses: `[--as-of TIME | --until-seq N]`
    /// stays whole.
    static func groups(_ synopsis: String) -> [String] {
        var groups: [String] = []
        var current = ""
        var depth = 0
        for character in synopsis {
            switch character {
            case "[", "(": depth += 1
            case "]", ")": depth = max(0, depth - 1)
            default: break
            }
            if character == " " && depth == 0 {
                if !current.isEmpty { groups.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }
}
