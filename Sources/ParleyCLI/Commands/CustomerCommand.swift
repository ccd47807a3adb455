import ParleyService

/// `parley customer ID`: the 360° view of one person across every linked id and channel.
enum CustomerCommand: Command {
    static let name = "customer"
    static let abstract = "Show one person across every linked customer id and channel."
    static let synopsis = "ID [--format text|json] [--at TIME] [--as-of TIME | --until-seq N] [--log PATH]"
    static let discussion = """
        Customers linked by `customer_linked` events (directly or through others) are one person: any of
        their ids gives the same answer. Shows the person's ids, the channels their messages came on, every
        conversation any of their ids wrote in (also one someone else started) with its status, owner and
        episodes, and the messages and replies of those conversations in log order. Two passes over the log:
        the first finds the ids and conversations, the second reads the texts of those conversations only.
        An id the log (up to the limit) does not mention exits 67, saying how much of the log was read.
        Times are UTC.

        --format json: one object {customer, ids, channels, at, conversations, timeline}. Each conversation:
        {conversation, started_by, channels, status, owner, team, category, priority, open, episodes}, its
        episodes as `parley conversation --format json` writes them (SLA clocks judged at `at`); the
        timeline holds the messages and replies as `parley dump` writes them.
        """
    static let options: [OptionSpec] =
        [.log, .value("format", "FORMAT", "text (default) or json.")] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        guard arguments.positionals.count == 1 else { throw .usage("expected one customer ID") }
        let format = try arguments.choice("format", ["text", "json"], default: "text")
        let scope = try ScopeOptions.scope(arguments)
        let answer: CustomerAnswer
        do {
            answer = try context.queries(arguments).customer(arguments.positionals[0], scope: scope)
        } catch {
            throw CLIError(querying: error)
        }
        context.report(answer.notices)
        if format == "json" {
            context.stdout.line(answer.json())
        } else {
            answer.render(to: context.stdout)
        }
        return .success
    }
}
