import ParleyEvents
import ParleyService

/// The two actions of `policy` and `rules`: `set FILE.json` and `show`.
enum SetOrShow {
    /// Calls `set` with the file or `show`, as the positionals say.
    /// - Parameter noun: the command's name, for messages (`rules set: expected the rules file`).
    /// - Throws: ``CLIError`` (usage) for a missing or unknown action or a missing file.
    static func dispatch(
        _ arguments: ParsedArguments, noun: String,
        set: (String) throws(CLIError) -> CLIError.ExitCode, show: () throws(CLIError) -> CLIError.ExitCode
    ) throws(CLIError) -> CLIError.ExitCode {
        guard let action = arguments.positionals.first else { throw .usage("expected `set FILE.json` or `show`") }
        switch action {
        case "set":
            try arguments.expectPositionals(atMost: 2)
            guard arguments.positionals.count == 2 else { throw .usage("\(noun) set: expected the \(noun) file") }
            return try set(arguments.positionals[1])
        case "show":
            try arguments.expectPositionals(atMost: 1)
            return try show()
        default:
            throw .usage("unknown \(noun) action \"\(action)\" (expected set or show)")
        }
    }
}

extension SetOrShow {
    /// `set`'s write: the event (already checked by its command) at `--at` or now, appended alone, routed as
    /// every write is, then `NOUN set at seq N` on stdout.
    /// - Throws: ``CLIError``: a bad `--at` (usage), an event that does not check (exit 65, naming `file`), or
    ///   the log's errors.
    static func append(
        _ payload: EventPayload, noun: String, file: String, _ arguments: ParsedArguments, context: CommandContext
    ) throws(CLIError) -> CLIError.ExitCode {
        let at = try JSONDocument.eventTime(arguments, context: context)
        let events = [Event(at: at, payload: payload)]
        do {
            try EventAppender.check(events)
        } catch {
            throw CLIError(.dataError, "\(file): \(error.message)")
        }
        let path = context.logPath(arguments)
        let writer = try context.openWriter(path: path)
        defer { writer.close() }
        var appender = try context.appender(writer: writer, path: path, arguments: arguments)
        appender.policyCheck = .refuse
        do {
            let summary = try appender.append(events)
            let seq = appender.routing?.lastRoutedSeq ?? summary.committed?.lowerBound ?? writer.lastSeq
            context.stdout.line("\(noun) set at seq \(seq)")
        } catch {
            throw error.logError.map(CLIError.init) ?? CLIError(.dataError, "\(file): \(error.message)")
        }
        return .success
    }
}
