import ParleyService

/// `parley queue`: open episodes now, oldest first.
enum QueueCommand: Command {
    static let name = "queue"
    static let abstract = "List open episodes, oldest first, with owner, priority, waiting time and SLA state."
    static let synopsis =
        "[--team T] [--owner A] [--at TIME] [--as-of TIME | --until-seq N] [--no-checkpoint] [--log PATH]"
    static let discussion = """
        Lists every conversation with an open episode (open or pending), oldest episode first. Waiting time
        runs from the episode's start to now — or to --at TIME (business view: only what had happened by
        then) or --as-of TIME (audit view: what had been committed by then); with --until-seq, to the latest
        event time replayed; a log of history imported later is judged at its latest event time. When an SLA
        policy measures the episode, two columns show its first-response and resolution clocks: met, due in
        (calendar time to the deadline), paused (business time left), or late (business time over the
        target). Without any policy in the log they are absent.
        """
    static let options: [OptionSpec] =
        [
            .log,
            .value("team", "T", "Only conversations of team T."),
            .value("owner", "A", "Only conversations owned by A (e.g. agent:ana)."),
            ScopeOptions.noCheckpoint,
        ] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let scope = try ScopeOptions.scope(arguments)
        let answer: QueueAnswer
        do {
            answer = try context.queries(arguments).queue(
                team: arguments.value("team"), owner: arguments.value("owner"), scope: scope)
        } catch {
            throw CLIError(querying: error)
        }
        context.report(answer.checkpoint)
        answer.render(to: context.stdout)
        return .success
    }
}
