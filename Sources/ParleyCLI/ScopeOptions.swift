import ParleyEvents
import ParleyService

/// The options of the commands that read the log as it stood (`--as-of TIME`, `--until-seq N`, `sla --at
/// TIME`) or from a checkpoint (`--no-checkpoint`), declared once; the rule they follow is
/// ``QueryScope``'s.
enum ScopeOptions {
    /// `--as-of TIME`.
    static let asOf = OptionSpec.value("as-of", "TIME", "Only what was committed at TIME (RFC 3339).")
    /// `--until-seq N`.
    static let untilSeq = OptionSpec.value("until-seq", "N", "Only events up to seq N.")
    /// `sla`'s: `--at TIME` (judged then), `--as-of TIME` as its other name, and `--until-seq N` judged at
    /// the latest event time.
    static let judgedAt: [OptionSpec] = [
        .value("at", "TIME", "Judge at TIME, with only what was committed by then (RFC 3339)."),
        .value("as-of", "TIME", "Same as --at."),
        .value("until-seq", "N", "Only events up to seq N, judged at the latest event time."),
    ]
    /// `--no-checkpoint`, for the commands that read checkpoints.
    static let noCheckpoint = OptionSpec.flag("no-checkpoint", "Replay the whole log; ignore the checkpoint beside it.")

    /// The scope the arguments ask for.
    /// - Parameter alias: another name of `--as-of` the command accepts (`at` for `sla --at`), which then
    ///   names the pair in messages.
    /// - Throws: ``CLIError`` (usage) for a time that is not RFC 3339, both names of one option, or both
    ///   limits.
    static func scope(_ arguments: ParsedArguments, alias: String? = nil) throws(CLIError) -> QueryScope {
        let untilSeq = try arguments.integer("until-seq")
        var asOf: Timestamp?
        for option in [alias, "as-of"].compactMap({ $0 }) {
            guard let text = arguments.value(option) else { continue }
            guard let time = Timestamp(rfc3339: text) else {
                throw .usage("--\(option): expected an RFC 3339 time such as 2026-03-02T18:00:00Z, got \"\(text)\"")
            }
            if asOf != nil { throw .usage("--\(alias ?? option) and --as-of are the same option; give one") }
            asOf = time
        }
        do {
            return try QueryScope(asOf: asOf, untilSeq: untilSeq)
        } catch {
            throw .usage("--\(alias ?? "as-of") and --until-seq exclude each other")
        }
    }
}

extension CommandContext {
    /// The queries over the log the arguments name, with this context's clock; `--no-checkpoint` replays
    /// the whole log.
    func queries(_ arguments: ParsedArguments) -> LogQueries {
        LogQueries(path: logPath(arguments), useCheckpoint: !arguments.flag("no-checkpoint"), clock: clock)
    }

    /// Warns on stderr about a checkpoint that was ignored, and says whether it was rebuilt.
    func report(_ checkpoint: CheckpointReport) {
        guard let reason = checkpoint.ignoredReason else { return }
        warn("checkpoint \(checkpoint.path) ignored: \(reason); replayed the whole log")
        switch checkpoint.rebuild {
        case .saved(let lastSeq)?: warn("checkpoint rebuilt at seq \(lastSeq)")
        case .failed(let reason)?: warn("could not rebuild the checkpoint: \(reason)")
        case nil: break
        }
    }
}
