import ParleyLog
import ParleyService

extension CommandContext {
    /// The writer options of a command: this context's clock for commit times.
    private var writerOptions: LogWriter.Options {
        var options = LogWriter.Options()
        options.clock = clock
        return options
    }

    /// Opens the log at `path` for writing and reports on stderr a torn tail that recovery cut off.
    /// - Throws: ``CLIError`` mapped from the log layer's error.
    func openWriter(path: String) throws(CLIError) -> LogWriter {
        let writer: LogWriter
        do {
            writer = try LogWriter.open(at: path, options: writerOptions)
        } catch {
            throw CLIError(error)
        }
        if let torn = writer.recoveredTornTail {
            var text = "recovered from an interrupted append: cut \(torn.byteCount) bytes at offset \(torn.offset)"
            if let seqs = torn.claimedSeqs {
                text += " (an unacknowledged frame of seq \(seqs.lowerBound)–\(seqs.upperBound))"
            }
            warn(text)
        }
        return writer
    }

    /// Creates a new, empty log at `path` (never over an existing file).
    /// - Throws: ``CLIError`` mapped from the log layer's error (exit 73 when the file exists).
    func createWriter(path: String) throws(CLIError) -> LogWriter {
        do {
            return try LogWriter.create(at: path, options: writerOptions)
        } catch {
            throw CLIError(error)
        }
    }
}

extension CommandContext {
    /// `--no-route`, for the commands that write events.
    static let noRoute = OptionSpec.flag(
        "no-route",
        "Write the events as they come: no routing decisions (docs/ROUTING.md); `route --check` will flag them.")

    /// An appender to `writer` that routes as it appends (docs/ROUTING.md, "Decisions"), unless the arguments
    /// say `--no-route`. Routing starts from the state of the log (its checkpoint, then the events after it).
    /// - Throws: ``CLIError`` when the log cannot be replayed.
    func appender(writer: LogWriter, path: String, arguments: ParsedArguments, batchSize: Int? = nil) throws(CLIError)
        -> EventAppender
    {
        var appender = EventAppender(writer: writer, batchSize: batchSize)
        guard !arguments.flag("no-route") else { return appender }
        do {
            appender.routing = try RoutingSession.load(path: path, writer: writer)
        } catch {
            throw CLIError(
                .dataError, "cannot route: \(error.message) (append with --no-route to write without routing)")
        }
        return appender
    }
}
