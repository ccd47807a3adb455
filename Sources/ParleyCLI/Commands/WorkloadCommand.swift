import ParleyService

/// `parley workload`: agents, bots and team queues as routing sees them.
enum WorkloadCommand: Command {
    static let name = "workload"
    static let abstract = "Show each agent's status and load, the bots' conversations, and each team's queue."
    static let synopsis =
        "[--format text|json] [--at TIME] [--as-of TIME | --until-seq N] [--no-checkpoint] [--log PATH]"
    static let discussion = """
        Per agent: status (online, away, offline, or unknown for an agent only hand assignments named), since
        when, teams, open conversations (those with an open episode it owns), capacity and skills. Bots
        separately, with the conversations they own. Per team (named by an agent, the rules or a queue):
        members, those online, those online with room for one more conversation, and the conversations
        waiting in its queue for an owner (docs/ROUTING.md), with the oldest and how long it has waited —
        from its episode's start, as `queue` counts waiting — judged now, or at --at / --as-of TIME (with
        --until-seq, at the latest event time replayed).
        """
    static let options: [OptionSpec] =
        [
            .log,
            .value("format", "FORMAT", "text (default) or json."),
            ScopeOptions.noCheckpoint,
        ] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let format = try arguments.choice("format", ["text", "json"], default: "text")
        let scope = try ScopeOptions.scope(arguments)
        let answer: WorkloadAnswer
        do {
            answer = try context.queries(arguments).workload(scope: scope)
        } catch {
            throw CLIError(querying: error)
        }
        context.report(answer.checkpoint)
        if format == "json" {
            context.stdout.line(answer.json())
        } else {
            answer.render(to: context.stdout)
        }
        return .success
    }
}
