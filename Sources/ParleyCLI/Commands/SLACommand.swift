import ParleyService

/// `parley sla`: open episodes whose SLA is breached or falls due within the hour.
enum SLACommand: Command {
    static let name = "sla"
    static let abstract = "List open episodes whose SLA is breached or due within the next hour."
    static let synopsis =
        "[--at TIME] [--as-of TIME | --until-seq N] [--limit N] [--format table|json|csv] [--wide] [--no-checkpoint] [--log PATH]"
    static let discussion = """
        Every open episode that an SLA policy measures is judged at a moment — now, or --at TIME (the
        business view: only the events that had happened by TIME count; before, --at meant --as-of), or
        --as-of TIME (the audit view: what had been committed by TIME), or with --until-seq N the latest
        event time replayed. A log of history imported later is judged at its latest event time. An episode
        is listed when its first-response or resolution clock is breached (over its target in business
        time), or is running and its deadline falls within the next hour (at risk). Each row
        gives the owner, and for each clock how late (business time over the target) or how close
        (calendar time to the deadline). Most urgent first: breached by the most, then the nearest deadline.

        A paused resolution clock (pending) is listed only when already breached. Without any policy in
        the log the command says so and lists nothing. Lateness is business time: in business hours
        (`late 27h05m business`), or in business days when every open day of the policy has the same length
        (`late 3 business days 3h05m`). Times are UTC.

        The table fits 100 columns (started, priority, episode and owner are left out in that order when
        needed, long ids cut with …); --wide shows every column whole. --limit N lists the N most urgent
        and says how many more there are.

        --format json: one object {at, policy, total, shown, episodes: [{conversation, episode, owner, team,
        priority, started, waiting_seconds, first_response, resolution}]}; times RFC 3339, seconds at full
        precision; each clock is null or {state (met|breached|running|paused), target_minutes,
        elapsed_business_seconds, remaining_business_seconds (negative: late), deadline, due_in_seconds}.
        --format csv: a header, then one record per episode (RFC 4180 quoting).
        """
    static let options: [OptionSpec] =
        [.log] + ScopeOptions.limits + [
            .value("limit", "N", "Only the N most urgent episodes (default: all)."),
            .value("format", "FORMAT", "table (default), json or csv."),
            .flag("wide", "Show every column, no value cut (tables fit 100 columns otherwise)."),
            ScopeOptions.noCheckpoint,
        ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let format = try arguments.choice("format", ["table", "json", "csv"], default: "table")
        let limit = try arguments.integer("limit", in: 1...1_000_000_000).map { Int($0) }
        let scope = try ScopeOptions.scope(arguments)
        let answer: SLAAnswer
        do {
            answer = try context.queries(arguments).slaAlerts(scope: scope)
        } catch {
            throw CLIError(querying: error)
        }
        context.report(answer.checkpoint)
        switch format {
        case "json": context.stdout.line(answer.json(limit: limit))
        case "csv": context.stdout.write(answer.csv(limit: limit))
        default: answer.renderTable(to: context.stdout, limit: limit, wide: arguments.flag("wide"))
        }
        return .success
    }
}
