import ParleyEvents
import ParleyService

/// The options of the commands that read the log at a moment — the business view (`--at TIME`: what had
/// happened by TIME) and the audit view (`--as-of TIME`: what had been committed by TIME; `--until-seq N`)
/// — or from a checkpoint (`--no-checkpoint`), declared once; the rule they follow is ``QueryScope``'s.
enum ScopeOptions {
    /// `--at TIME`: the business view.
    static let at = OptionSpec.value(
        "at", "TIME", "Business view: only events that happened by TIME (their `at`), judged at TIME.")
    /// `--as-of TIME`: the audit view.
    static let asOf = OptionSpec.value(
        "as-of", "TIME", "Audit view: only what had been committed by TIME, judged at TIME.")
    /// `--until-seq N`.
    static let untilSeq = OptionSpec.value(
        "until-seq", "N", "Audit view: only events up to seq N, judged at the latest event time.")
    /// The limits every command that reads the log at a moment takes: `--at`, `--as-of`, `--until-seq`.
    /// `--at` combines with either of the others; those two exclude each other.
    static let limits: [OptionSpec] = [at, asOf, untilSeq]
    /// `sla`'s limits: the same as every command's (``limits``). `sla --at` once meant `--as-of`; it is now
    /// the business view.
    static let judgedAt: [OptionSpec] = limits
    /// `--no-checkpoint`, for the commands that read checkpoints.
    static let noCheckpoint = OptionSpec.flag("no-checkpoint", "Replay the whole log; ignore the checkpoint beside it.")

    /// The discussion paragraph every command with ``limits`` can quote.
    static let limitsHelp = """
        --at TIME is the business view: only events whose event time is at or before TIME count, and
        "now" is TIME (for history imported later: "what was the backlog on 1 November?"). --as-of TIME is
        the audit view: the log as it stood when TIME was committed. Both combine (--at T1 --as-of T2: of
        what had been committed by T2, the events that had happened by T1). --at reads the whole log and
        never starts from a checkpoint. Without either, a historical log (its latest conversation event
        more than 24 h before its latest commit) is judged at that event's time, and stderr says so.
        """

    /// The scope the arguments ask for.
    /// - Parameter alias: another name of `--as-of` the command accepts, which then names the pair in
    ///   messages.
    /// - Throws: ``CLIError`` (usage) for a time that is not RFC 3339, both names of one option, or both
    ///   `--as-of` and `--until-seq`.
    static func scope(_ arguments: ParsedArguments, alias: String? = nil) throws(CLIError) -> QueryScope {
        let untilSeq = try arguments.integer("until-seq")
        var asOf: Timestamp?
        for option in [alias, "as-of"].compactMap({ $0 }) {
            guard let text = arguments.value(option) else { continue }
            let time = try self.time(option, text)
            if asOf != nil { throw .usage("--\(alias ?? option) and --as-of are the same option; give one") }
            asOf = time
        }
        var at: Timestamp?
        if alias != "at", let text = arguments.value("at") { at = try time("at", text) }
        do {
            return try QueryScope(asOf: asOf, untilSeq: untilSeq, at: at)
        } catch {
            throw .usage("--\(alias ?? "as-of") and --until-seq exclude each other")
        }
    }

    static func time(_ option: String, _ text: String) throws(CLIError) -> Timestamp {
        guard let time = Timestamp(rfc3339: text) else {
            throw .usage("--\(option): expected an RFC 3339 time such as 2026-03-02T18:00:00Z, got \"\(text)\"")
        }
        return time
    }
}

extension CommandContext {
    /// The queries over the log the arguments name, with this context's clock; `--no-checkpoint` replays
    /// the whole log.
    func queries(_ arguments: ParsedArguments) -> LogQueries {
        LogQueries(path: logPath(arguments), useCheckpoint: !arguments.flag("no-checkpoint"), clock: clock)
    }

    /// Warns on stderr about a checkpoint that was ignored, and says whether it was rebuilt; then says
    /// what the scope did to the answer (``report(_:)-notices``).
    func report(_ checkpoint: CheckpointReport) {
        report(checkpoint.notices)
        guard let reason = checkpoint.ignoredReason else { return }
        warn("checkpoint \(checkpoint.path) ignored: \(reason); replayed the whole log")
        switch checkpoint.rebuild {
        case .saved(let lastSeq)?: warn("checkpoint rebuilt at seq \(lastSeq)")
        case .failed(let reason)?: warn("could not rebuild the checkpoint: \(reason)")
        case nil: break
        }
    }

    /// Says on stderr, one line each, why an answer is empty or which moment it was judged at.
    func report(_ notices: [QueryScope.Notice]) {
        for notice in notices { stderr.line("note: " + notice.message) }
    }
}

extension ScopeOptions {
    /// The audit scope only (`--as-of`, `--until-seq`), for the commands whose `--at` means something
    /// else (`route --tick --at`, `rules set --at`): replaying routing re-derives decisions in log order,
    /// which an event-time view cannot do.
    static func auditScope(_ arguments: ParsedArguments) throws(CLIError) -> QueryScope {
        let untilSeq = try arguments.integer("until-seq")
        var asOf: Timestamp?
        if let text = arguments.value("as-of") { asOf = try time("as-of", text) }
        do {
            return try QueryScope(asOf: asOf, untilSeq: untilSeq)
        } catch {
            throw .usage("--as-of and --until-seq exclude each other")
        }
    }
}
