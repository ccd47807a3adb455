import ParleyEvents
import ParleyLog
import ParleyService

/// `parley policy set FILE.json` / `parley policy show`: SLA policies, as `policy_set` events in the log.
enum PolicyCommand: Command {
    static let name = "policy"
    static let abstract = "Set the SLA policy (appends a policy_set event) or show the policies in the log."
    static let synopsis = "set FILE.json [--at TIME] [--log PATH] | show [--log PATH]"
    static let discussion = """
        `policy set FILE.json` checks the policy and appends it as one `policy_set` event; it is in force for
        episodes that start after it (an episode keeps the policy in force when it started). The file holds
        one JSON object (docs/PROJECTIONS.md, "SLA policies"):

          {"name": "Standard", "time_zone": "Europe/Paris",
           "business_hours": {"monday": ["09:00-12:30", "13:30-18:00"], "tuesday": ["09:00-18:00"], ...},
           "holidays": ["2026-12-25"],
           "targets": {"urgent": {"first_response": 30, "resolution": 240},
                       "normal": {"first_response": 240, "resolution": 2880}}}

        Weekdays left out are closed; targets are business minutes; an episode without a priority is
        measured as normal; a priority without a target has no SLA. A policy that does not check is refused
        with the field and the reason (exit 65) and nothing is written.

        `policy show` lists the policy_set events in the log in order: each valid one is in force for
        episodes that start after it; an invalid one (appended with `parley append`) is ignored.
        """
    static let options: [OptionSpec] = [
        .log,
        .value("at", "TIME", "Event time of the policy_set (RFC 3339; default: now)."),
        CommandContext.noRoute,
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try SetOrShow.dispatch(
            arguments, noun: "policy",
            set: { (file) throws(CLIError) in try set(file: file, arguments, context: context) },
            show: { () throws(CLIError) in try show(arguments, context: context) })
    }

    private static func set(file: String, _ arguments: ParsedArguments, context: CommandContext) throws(CLIError)
        -> CLIError.ExitCode
    {
        let json = try JSONDocument.read(file)
        let payload = EventPayload.policySet(PolicySet(policy: json))
        // The policy is checked before --at, and both before the log is opened.
        if let problem = EventAppender.policyProblem(Event(at: Timestamp(nanoseconds: 0), payload: payload)) {
            throw CLIError(.dataError, "\(file): \(problem)")
        }
        return try SetOrShow.append(payload, noun: "policy", file: file, arguments, context: context)
    }

    private static func show(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError)
        -> CLIError.ExitCode
    {
        let entries: [PolicyEntry]
        do {
            entries = try context.queries(arguments).policies()
        } catch {
            throw CLIError(querying: error)
        }
        guard !entries.isEmpty else {
            context.stdout.line("no SLA policy in the log")
            return .success
        }
        var rows = [["seq", "at", "name", "time zone", "state"]]
        for entry in entries {
            rows.append([
                String(entry.seq), entry.at.rfc3339, entry.policy?.name ?? "-", entry.policy?.timeZone ?? "-",
                entry.policy == nil ? "invalid (ignored)" : "valid",
            ])
        }
        Table.print(rows, to: context.stdout)
        return .success
    }
}
