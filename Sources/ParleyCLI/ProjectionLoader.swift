import ParleyEvents
import ParleyLog
import ParleyProjections

/// How `kpi`, `queue` and `sla` get their state: from the checkpoint beside the log plus the events
/// after it, or by replaying the whole log. A checkpoint that does not match the log is reported as a
/// warning, and (when the whole log was replayed) written anew so the next command can use it.
enum ProjectionLoader {
    /// `--no-checkpoint`, shared by the commands that read checkpoints.
    static let option = OptionSpec.flag("no-checkpoint", "Replay the whole log; ignore the checkpoint beside it.")

    /// - Parameter needsConversations: `false` for a command that reads only the KPI records (`kpi`).
    static func load(
        _ arguments: ParsedArguments, path: String, limit: ReplayLimit, context: CommandContext,
        needsConversations: Bool = true
    ) throws(CLIError) -> ProjectionState {
        let built: (state: ProjectionState, checkpoint: ProjectionState.CheckpointUse)
        do {
            built = try ProjectionState.build(
                path: path, limit: limit, useCheckpoint: !arguments.flag("no-checkpoint"),
                needsConversations: needsConversations)
        } catch {
            throw CLIError(replaying: error, path: path)
        }
        if case .ignored(let reason) = built.checkpoint {
            context.warn("checkpoint \(Checkpoint.path(for: path)) ignored: \(reason); replayed the whole log")
            // Only a state of the whole log is worth saving.
            if limit == ReplayLimit() {
                do {
                    let header = try LogReader(path: path).header
                    try Checkpoint.save(built.state, logPath: path, logID: header.logID)
                    context.warn("checkpoint rebuilt at seq \(built.state.position.lastSeq)")
                } catch {
                    context.warn("could not rebuild the checkpoint: \(error)")
                }
            }
        }
        return built.state
    }
}
