import ParleyService

/// `parley conversation ID`: one conversation's timeline, state and episodes.
enum ConversationCommand: Command {
    static let name = "conversation"
    static let abstract = "Show one conversation: its timeline across channels, owner, status and episodes."
    static let synopsis = "ID [--at TIME] [--as-of TIME | --until-seq N] [--log PATH]"
    static let discussion = """
        Replays the log and shows the conversation's current owner (one at any time), status, category and
        priority; its episodes with first response time, resolution time and touches (docs/PROJECTIONS.md);
        and every event of its timeline — messages, replies, notes, assignments, status and category
        changes — in log order. --as-of / --until-seq show it exactly as it stood then; --at TIME only what
        had happened by TIME. An id the log (up to the limit) does not mention exits 67, saying how much of
        the log was read.
        """
    static let options: [OptionSpec] = [.log] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        guard arguments.positionals.count == 1 else { throw .usage("expected one conversation ID") }
        let scope = try ScopeOptions.scope(arguments)
        do {
            try context.queries(arguments).conversation(arguments.positionals[0], scope: scope).render(
                to: context.stdout)
        } catch {
            throw CLIError(querying: error)
        }
        return .success
    }
}
