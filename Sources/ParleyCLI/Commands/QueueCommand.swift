import ParleyService

/// `parley queue`: open episodes now, oldest first.
enum QueueCommand: Command {
    static let name = "queue"
    static let abstract = "List open episodes, oldest first, with owner, priority, waiting time and SLA state."
    static let synopsis =
        "[--team T] [--owner A] [--limit N] [--format table|json|csv] [--wide] "
        + "[--at TIME] [--as-of TIME | --until-seq N] [--no-checkpoint] [--log PATH]"
    static let discussion = """
        Lists every conversation with an open episode (open or pending), oldest episode first. Waiting time
        runs from the episode's start to now — or to --at TIME (business view: only what had happened by
        then) or --as-of TIME (audit view: what had been committed by then); with --until-seq, to the latest
        event time replayed; a log of history imported later is judged at its latest event time. When an SLA
        policy measures the episode, two columns show its first-response and resolution clocks: met, due in
        (calendar time to the deadline), paused (business time left), or late (business time over the
        target: in business hours, or in business days when every open day of the policy has the same
        length). Without any policy in the log they are absent. Times are UTC.

        The table fits 100 columns: long ids are cut with …, then started, priority, team and touches are
        left out in that order when needed (a last line says which); --wide shows every column whole.
        --limit N lists the N oldest and says how many more there are.

        --format json: one object {at, policy, total, shown, episodes: [{conversation, episode, status,
        owner, team, priority, category, started, waiting_seconds, touches, first_response, resolution}]};
        times RFC 3339, seconds at full precision; each clock is null or {state (met|breached|running|
        paused), target_minutes, elapsed_business_seconds, remaining_business_seconds (negative: late),
        deadline, due_in_seconds}. --format csv: a header, then one record per episode (RFC 4180 quoting).

        A --team or --owner that matches nothing says so on stderr (exit 0): a team that no conversation
        or agent names lists the teams that exist; an owner without its kind (maria for agent:maria) gets a
        suggestion; a known one with nothing open says that.
        """
    static let options: [OptionSpec] =
        [
            .log,
            .value("team", "T", "Only conversations of team T."),
            .value("owner", "A", "Only conversations owned by A (e.g. agent:ana)."),
            .value("limit", "N", "Only the N oldest episodes (default: all)."),
            .value("format", "FORMAT", "table (default), json or csv."),
            .flag("wide", "Show every column, no value cut (tables fit 100 columns otherwise)."),
            ScopeOptions.noCheckpoint,
        ] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let format = try arguments.choice("format", ["table", "json", "csv"], default: "table")
        let limit = try arguments.integer("limit", in: 1...1_000_000_000).map { Int($0) }
        let scope = try ScopeOptions.scope(arguments)
        let answer: QueueAnswer
        do {
            answer = try context.queries(arguments).queue(
                team: arguments.value("team"), owner: arguments.value("owner"), limit: limit, scope: scope)
        } catch {
            throw CLIError(querying: error)
        }
        context.report(answer.checkpoint)
        if let message = answer.filterMessage { context.warn(message) }
        switch format {
        case "json": context.stdout.line(answer.json())
        case "csv": context.stdout.write(answer.csv())
        default: answer.render(to: context.stdout, wide: arguments.flag("wide"))
        }
        return .success
    }
}
