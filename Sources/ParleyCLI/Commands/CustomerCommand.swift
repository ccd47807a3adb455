import ParleyEvents
import ParleyLog
import ParleyProjections

/// `parley customer ID`: the 360° view of one person across every linked id and channel.
enum CustomerCommand: Command {
    static let name = "customer"
    static let abstract = "Show one person across every linked customer id and channel."
    static let synopsis = "ID [--as-of TIME | --until-seq N] [--log PATH]"
    static let discussion = """
        Customers linked by `customer_linked` events (directly or through others) are one person. Shows the
        person's ids, the channels they used, each of their conversations with its status, owner and
        episodes, and their messages and the replies to them in log order. Two passes over the log: the first
        finds the ids and conversations, the second reads the texts of those conversations only.
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
        var directory = CustomerDirectory()
        var customerOf: [String: String] = [:]
        do {
            _ = try Replay.run(path: path, limit: limit) { event, _ in
                switch event.payload {
                case .customerLinked(let link): directory.link(link.customer, link.sameAs)
                case .messageReceived(let message):
                    if customerOf[message.conversation] == nil { customerOf[message.conversation] = message.customer }
                default: break
                }
            }
        } catch {
            throw CLIError(replaying: error, path: path)
        }
        let ids = directory.ids(of: id)
        let idSet = Set(ids)
        // A conversation belongs to the person of the customer who wrote its first message.
        let conversations = customerOf.filter { idSet.contains($0.value) }.map(\.key).sorted()
        guard !conversations.isEmpty || ids.count > 1 else {
            throw CLIError(.dataError, "no customer \"\(id)\" in \(path)")
        }
        var views = Dictionary(uniqueKeysWithValues: conversations.map { ($0, ConversationView(id: $0)) })
        var timeline: [SequencedEvent] = []
        do {
            let members = Set(conversations)
            let wanted: (Event) -> Bool = { event in event.payload.conversation.map(members.contains) ?? false }
            _ = try Replay.run(path: path, limit: limit, wants: wanted) { event in
                if let conversation = event.event.payload.conversation { views[conversation]?.apply(event) }
                switch event.event.payload {
                case .messageReceived, .replySent: timeline.append(event)
                default: break
                }
            }
        } catch {
            throw CLIError(replaying: error, path: path)
        }
        let out = context.stdout
        out.line("customer \(id)")
        out.line("  ids            \(ids.joined(separator: ", "))")
        var channels: [Channel] = []
        for conversation in conversations {
            for channel in views[conversation]?.channels ?? [] where !channels.contains(channel) {
                channels.append(channel)
            }
        }
        out.line("  channels       \(channels.isEmpty ? "-" : channels.map(\.name).joined(separator: ", "))")
        out.line("  conversations  \(conversations.count)")
        out.line("")
        for conversation in conversations {
            guard let view = views[conversation], let state = view.state else { continue }
            let open = state.openEpisode != nil ? "open episode" : "no open episode"
            out.line(
                "  \(conversation): \(state.status?.name ?? "-"), owner \(state.owner ?? "unassigned"), "
                    + "\(view.episodes.count) episode(s), \(open)" + (state.category.map { ", \($0)" } ?? ""))
        }
        out.line("")
        out.line("messages and replies (\(timeline.count))")
        for event in timeline { out.line("  " + TextFormat.line(event)) }
        return .success
    }
}
