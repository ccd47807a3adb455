import ParleyService

/// `parley explain CONV`: every change of a conversation's handling, and why.
enum ExplainCommand: Command {
    static let name = "explain"
    static let abstract = "Show why a conversation is where it is: every owner, team, priority and mode change."
    static let synopsis =
        "CONV [--format text|json] [--at TIME] [--as-of TIME | --until-seq N] [--no-checkpoint] [--log PATH]"
    static let discussion = """
        Replays the log and lists, in log order, every change of the conversation's handling with the rule,
        strategy and inputs that decided it: each episode's start (the message that started it: channel,
        customer, subject), each routing decision (`routed`: rule, team, priority, mode, policy, score,
        topics, reason), each change of owner (`assigned`: the strategy that chose, or "by hand", and the
        reason), each hand-over by a bot (`escalated`: why, what it understood and tried), each category and
        status change. Then the conversation as it stands: owner, team, mode, priority, status, and whether
        it waits in its team's queue (docs/ROUTING.md).

        --as-of / --until-seq show it as it stood then; --at TIME only what had happened by TIME. Text lines
        fit 100 columns (long reasons are cut); --format json gives one object with every text whole. An id
        the log (up to the limit) does not mention exits 67.
        """
    static let options: [OptionSpec] =
        [
            .log,
            .value("format", "FORMAT", "text (default) or json."),
            ScopeOptions.noCheckpoint,
        ] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        guard arguments.positionals.count == 1 else { throw .usage("expected one conversation ID") }
        let format = try arguments.choice("format", ["text", "json"], default: "text")
        let scope = try ScopeOptions.scope(arguments)
        let answer: ExplainAnswer
        do {
            answer = try context.queries(arguments).explain(arguments.positionals[0], scope: scope)
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
