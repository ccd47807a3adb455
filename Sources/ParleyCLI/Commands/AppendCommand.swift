import ParleyEvents
import ParleyLog
import ParleyService

/// `parley append`: JSON Lines on stdin → one (or several) all-or-nothing batches.
enum AppendCommand: Command {
    static let name = "append"
    static let abstract = "Append events read as JSON Lines from stdin."
    static let synopsis = "[--log PATH] [--batch-size N] < events.jsonl"
    static let discussion = """
        Each line is one JSON object with "type", "at" (RFC 3339 with a UTC offset) and the type's fields
        (see docs/EVENTS.md). By default the whole input is one batch: every line is validated, then the
        batch is written and fsynced, and only then acknowledged. If any line is bad, nothing is written.
        With --batch-size N, the input is appended in batches of N events, each all or nothing; a batch
        also closes early when it reaches the 64 MiB frame limit.

        On success, stdout gets the last committed sequence number and stderr the range appended. With
        --print-commits, stdout also gets "committed A-B" for each batch the moment its fsync returns, so a
        producer writing lines into a pipe (e.g. with --batch-size 1) learns when each one is durable.
        On bad input, stderr names the line, the field and the reason, and says which sequence numbers
        earlier batches committed; the exit code is 65.

        When routing rules are in force (`parley rules set`), each event is written with the routing decisions
        it causes right after it, in the same batch (docs/ROUTING.md); stderr counts them. --no-route writes
        the events alone.

        Opening the log for writing runs recovery: a torn tail left by a crash mid-append is cut off and
        reported on stderr; any other damage makes the command refuse (see `parley repair`).
        """
    static let options: [OptionSpec] = [
        .log,
        .value("batch-size", "N", "Commit every N events (default: the whole input as one batch)."),
        .flag(
            "print-commits",
            "Print \"committed A-B\" on stdout as soon as each batch is durable (for streaming producers)."),
        CommandContext.noRoute,
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let batchSize = try arguments.integer("batch-size", in: 1...UInt64(LogFormat.maxEventsPerFrame)).map { Int($0) }
        let path = context.logPath(arguments)
        let writer = try context.openWriter(path: path)
        defer { writer.close() }
        if let terminal = context.stdin as? FileDescriptorSource, Posix.isTerminal(terminal.fd) {
            context.stderr.line(
                "reading JSON Lines events from the terminal; end with Ctrl-D (see `parley append --help`)")
        }
        var appender = try context.appender(writer: writer, path: path, arguments: arguments, batchSize: batchSize)
        appender.onWarning = { warning in
            let command = warning.rulesError == nil ? "policy" : "rules"
            let user = warning.rulesError == nil ? "SLA projections" : "routing"
            context.warn(
                "\(warning.position): \(warning.eventType) stored, but \(user) will ignore it: field \"\(warning.field)\": "
                    + "\(warning.reason) (`parley \(command) set` checks it before appending it)")
        }
        if arguments.flag("print-commits"), let fd = context.stdout.fileDescriptor {
            // Straight to the descriptor from the commit thread, unbuffered: a producer waits for these.
            appender.onCommit = { commit in
                let line = Array("committed \(commit.seqs.lowerBound)-\(commit.seqs.upperBound)\n".utf8)
                _ = line.withUnsafeBytes { Posix.writeAll(fd, $0) }
            }
        }
        let summary: AppendSummary
        do {
            summary = try appender.append(jsonLines: context.stdin)
        } catch {
            throw CLIError(appending: error)
        }
        context.stdout.line(String(writer.lastSeq))
        if let committed = summary.committed {
            context.stderr.line(
                "appended \(summary.events) events: seq \(committed.lowerBound)–\(committed.upperBound)"
                    + (summary.batches > 1 ? " in \(summary.batches) batches" : "")
                    + (summary.decisions > 0 ? ", of which \(summary.decisions) routing decisions" : ""))
        } else {
            context.stderr.line("no events in the input; nothing appended")
        }
        return .success
    }
}
