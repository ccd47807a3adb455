import ParleyService

/// `parley sla`: open episodes whose SLA is breached or falls due within the hour.
enum SLACommand: Command {
    static let name = "sla"
    static let abstract = "List open episodes whose SLA is breached or due within the next hour."
    static let synopsis =
        "[--at TIME] [--as-of TIME | --until-seq N] [--format table|json] [--no-checkpoint] [--log PATH]"
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
        the log the command says so and lists nothing.
        """
    static let options: [OptionSpec] =
        [.log] + ScopeOptions.limits + [
            .value("format", "FORMAT", "table (default) or json."), ScopeOptions.noCheckpoint,
        ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let format = try arguments.choice("format", ["table", "json"], default: "table")
        let scope = try ScopeOptions.scope(arguments)
        let answer: SLAAnswer
        do {
            answer = try context.queries(arguments).slaAlerts(scope: scope)
        } catch {
            throw CLIError(querying: error)
        }
        context.report(answer.checkpoint)
        if format == "json" {
            context.stdout.line(answer.json())
        } else {
            answer.renderTable(to: context.stdout)
        }
        return .success
    }
}
