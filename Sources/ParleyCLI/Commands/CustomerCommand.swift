import ParleyEvents
import ParleyLog
import ParleyProjections

/// `parley customer ID`: the 360° view of one person across every linked id and channel.
enum CustomerCommand: Command {
    static let name = "customer"
    static let abstract = "Show one person across every linked customer id and channel."
    static let synopsis = "ID [--as-of TIME | --until-seq N] [--log PATH]"
    static let discussion = """
        Customers linked by `customer_linked` events (directly or through others) are one person: any of
        their ids gives the same answer. Shows the person's ids, the channels their messages came on, every
        conversation any of their ids wrote in (also one someone else started) with its status, owner and
        episodes, and the messages and replies of those conversations in log order. Two passes over the log:
        the first finds the ids and conversations, the second reads the texts of those conversations only.
        An id the log (up to the limit) does not mention exits 67, saying how much of the log was read.
        """
    static let options: [OptionSpec] = [
        .log,
        .value("as-of", "TIME", "Only what was committed at TIME (RFC 3339)."),
        .value("until-seq", "N", "Only events up to seq N."),
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        guard arguments.positionals.count == 1 else { throw .usage("expected one customer ID") }
        let id = arguments.positionals[0]
        let limit = try KPICommand.replayLimit(arguments)
        let path = context.logPath(arguments)
        let view: CustomerView
        let summary: Replay.Summary
        do {
            (view, summary) = try CustomerView.replay(id: id, path: path, limit: limit)
        } catch {
            throw CLIError(replaying: error, path: path)
        }
        guard view.isFound else {
            throw CLIError.notFound("customer \"\(id)\"", path: path, limit: limit, summary: summary)
        }
        let out = context.stdout
        out.line("customer \(id)")
        out.line("  ids            \(view.ids.joined(separator: ", "))")
        out.line("  channels       \(view.channels.isEmpty ? "-" : view.channels.map(\.name).joined(separator: ", "))")
        out.line("  conversations  \(view.conversations.count)")
        out.line("")
        let ids = Set(view.ids)
        for conversation in view.conversations {
            guard let state = conversation.state else { continue }
            let open = state.openEpisode != nil ? "open episode" : "no open episode"
            // A conversation someone else started: say who.
            let starter = state.customer.map { ids.contains($0) ? "" : ", started by \($0)" } ?? ""
            out.line(
                "  \(conversation.id): \(state.status?.name ?? "-"), owner \(state.owner ?? "unassigned"), "
                    + "\(conversation.episodes.count) episode(s), \(open)" + (state.category.map { ", \($0)" } ?? "")
                    + starter)
        }
        out.line("")
        out.line("messages and replies (\(view.timeline.count))")
        for event in view.timeline { out.line("  " + TextFormat.line(event)) }
        return .success
    }
}
