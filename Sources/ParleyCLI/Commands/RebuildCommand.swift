import ParleyProjections
import ParleyService

/// `parley rebuild`: replays the whole log and writes the checkpoint beside it.
enum RebuildCommand: Command {
    static let name = "rebuild"
    static let abstract = "Replay the whole log and write the projections' checkpoint beside it."
    static let synopsis = "[--log PATH]"
    static let discussion = """
        Replays every event and saves the state of the projections (conversations, episodes, SLA clocks, KPI
        records) in LOG.checkpoint, with the log id and the frame it reaches (offset, seq, CRC). `kpi`,
        `queue` and `sla` then load it and replay only the events after it. A checkpoint that does not match
        the log (another log id, a frame that is not there, a damaged file, another format version) is
        ignored with a warning and rebuilt; it never changes an answer. The file is written atomically
        (temporary file, fsync, rename): a crash leaves the old checkpoint or the new one.
        """
    static let options: [OptionSpec] = [.log]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let path = context.logPath(arguments)
        let state: ProjectionState
        do {
            state = try LogQueries(path: path, useCheckpoint: false, clock: context.clock).rebuildCheckpoint()
        } catch {
            throw CLIError(querying: error)
        }
        context.stdout.line(
            "checkpoint \(Checkpoint.path(for: path)) at seq \(state.position.lastSeq): "
                + "\(state.conversations.all.count) conversations, \(state.summary.events) events replayed")
        return .success
    }
}
