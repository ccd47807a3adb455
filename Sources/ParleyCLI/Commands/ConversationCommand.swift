import ParleyService

/// `parley conversation ID`: one conversation's timeline, state and episodes.
enum ConversationCommand: Command {
    static let name = "conversation"
    static let abstract = "Show one conversation: its timeline across channels, owner, status and episodes."
    static let synopsis = "ID [--format text|json] [--wide] [--at TIME] [--as-of TIME | --until-seq N] [--log PATH]"
    static let discussion = """
        Replays the log and shows the conversation's current owner (one at any time), status, category and
        priority; its episodes with first response time, resolution time and touches (docs/PROJECTIONS.md);
        and every event of its timeline — messages, replies, notes, assignments, status and category
        changes — in log order. --as-of / --until-seq show it exactly as it stood then; --at TIME only what
        had happened by TIME. An id the log (up to the limit) does not mention exits 67, saying how much of
        the log was read.

        Durations are calendar time, never cut (1d14h59m; seconds under an hour); SLA lateness is business
        time (docs/PROJECTIONS.md). Times are UTC. The episodes table fits 100 columns (touches, then
        started, are left out when needed); --wide shows every column.

        --format json: one object {conversation, customer, channels, status, owner, team, category,
        priority, open, at, episodes, timeline}. Each episode: {episode, started, started_seq, channel,
        reopen, first_response_at, first_response_seconds, resolved_at, resolution_seconds, touches,
        category, priority, sla}; seconds are calendar seconds at full precision (null while there is no
        response or resolve); sla is null without a policy, else {first_response, resolution}, each null
        or {state, target_minutes, elapsed_business_seconds, remaining_business_seconds, deadline,
        due_in_seconds} judged at `at`. The timeline holds each event as `parley dump` writes it (seq,
        recorded_at, type, at, then its fields).
        """
    static let options: [OptionSpec] =
        [
            .log,
            .value("format", "FORMAT", "text (default) or json."),
            .flag("wide", "Show every column of the episodes table (it fits 100 columns otherwise)."),
        ] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        guard arguments.positionals.count == 1 else { throw .usage("expected one conversation ID") }
        let format = try arguments.choice("format", ["text", "json"], default: "text")
        let scope = try ScopeOptions.scope(arguments)
        let answer: ConversationAnswer
        do {
            answer = try context.queries(arguments).conversation(arguments.positionals[0], scope: scope)
        } catch {
            throw CLIError(querying: error)
        }
        context.report(answer.notices)
        if format == "json" {
            context.stdout.line(answer.json())
        } else {
            answer.render(to: context.stdout, wide: arguments.flag("wide"))
        }
        return .success
    }
}
