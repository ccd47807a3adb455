import ParleyLog

/// `parley repair`: truncate at the first damage, keeping a copy of what is cut.
enum RepairCommand: Command {
    static let name = "repair"
    static let abstract = "Truncate a damaged log at its first bad frame, keeping a copy of what is cut."
    static let synopsis = "[--log PATH]"
    static let discussion = """
        Checks every frame like `parley verify`. If the log is sound, nothing changes. Otherwise the bytes
        from the first bad frame to the end of the file are copied to PATH.cut-OFFSET (mode 0600, fsynced),
        and only then is the log truncated there and fsynced. Events in or after the damaged frame leave the
        log (they stay in the copy); the command prints which. A writer must not be running.
        A damaged file header cannot be repaired by truncation.
        """
    static let options: [OptionSpec] = [.log]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let path = context.logPath(arguments)
        let outcome: LogRepair.Outcome?
        do { outcome = try LogRepair.repair(path: path) } catch { throw CLIError(error) }
        guard let outcome else {
            context.stdout.line("\(path): sound; nothing to repair")
            return .success
        }
        var what: String
        switch outcome.ending {
        case .clean: what = ""
        case .tornTail(let torn):
            what = "torn tail (an interrupted append, seq \(torn.firstSeq) on was never acknowledged)"
        case .damaged(let damage):
            what = damage.explanation
            if let after = damage.seqsAfterDamage {
                what += ". Dropped from the log: seq \(damage.expectedSeq)–\(after.upperBound)"
            }
        }
        context.stdout.line("\(path): \(what)")
        context.stdout.line(
            "cut \(outcome.cutBytes) bytes at offset \(outcome.cutOffset); saved them to \(outcome.savedCopyPath)")
        context.stdout.line("the log now holds \(outcome.eventsKept) events (last seq \(outcome.eventsKept))")
        return .success
    }
}
