import ParleyEvents
import ParleyProjections
import ParleyService

/// `parley rules set FILE.json` / `parley rules show`: the routing rules, as `rules_set` events in the log.
enum RulesCommand: Command {
    static let name = "rules"
    static let abstract = "Set the routing rules (appends a rules_set event) or show the rules in force."
    static let synopsis =
        "set FILE.json [--at TIME] [--log PATH] | show [--format text|json] [--as-of TIME | --until-seq N]"
    static let discussion = """
        `rules set FILE.json` checks the rules and appends them as one `rules_set` event. From then on every
        episode that starts is routed by them as it is appended: its team, priority, handling mode (human or
        automation) and owner, each decision an event with the rule and inputs that made it (docs/ROUTING.md,
        which gives the file's format with an example). Episodes already open keep their owner. Rules that
        do not check are refused with the field and the reason (exit 65), for example
        `rules field "rules[2].when.channel[0]": unknown channel "fax"`, and nothing is written.

        `rules show` lists the rules in force, in order (the first that matches decides), the default action
        and the timers; `--format json` prints the document as it was set.
        """
    static let options: [OptionSpec] = [
        .log,
        .value("at", "TIME", "Event time of the rules_set (RFC 3339; default: now)."),
        .value("format", "FORMAT", "show: text (default) or json."),
        ScopeOptions.asOf, ScopeOptions.untilSeq, CommandContext.noRoute,
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try SetOrShow.dispatch(
            arguments, noun: "rules",
            set: { (file) throws(CLIError) in try set(file: file, arguments, context: context) },
            show: { () throws(CLIError) in try show(arguments, context: context) })
    }

    private static func set(file: String, _ arguments: ParsedArguments, context: CommandContext) throws(CLIError)
        -> CLIError.ExitCode
    {
        let json = try JSONDocument.read(file)
        do {
            _ = try RoutingRules(json: json)
        } catch {
            throw CLIError(.dataError, "\(file): \(error)")
        }
        return try SetOrShow.append(
            .rulesSet(RulesSet(rules: json)), noun: "rules", file: file, arguments, context: context)
    }

    private static func show(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError)
        -> CLIError.ExitCode
    {
        let format = arguments.value("format") ?? "text"
        guard format == "text" || format == "json" else {
            throw .usage("--format: expected text or json, got \"\(format)\"")
        }
        let scope = try ScopeOptions.auditScope(arguments)
        let router: Router?
        do {
            router = try context.queries(arguments).state(scope).state.router
        } catch {
            throw CLIError(querying: error)
        }
        guard let router, let rules = router.rules, let document = router.rulesDocument else {
            context.stdout.line("no routing rules in force (set them with `parley rules set FILE.json`)")
            return .success
        }
        if format == "json" {
            context.stdout.line(Format.json(document))
            return .success
        }
        var header = "rules in force"
        if let name = rules.name { header += ": \(Format.json(name))" }
        var facts: [String] = []
        if let bot = rules.bot { facts.append("bot \(bot)") }
        if let humanFrom = rules.humanFrom { facts.append("human from score \(humanFrom)") }
        facts.append("offline grace \(rules.offlineGraceMinutes) min")
        facts.append(rules.sticky ? "sticky" : "not sticky")
        context.stdout.line(header + " (" + facts.joined(separator: ", ") + ")")
        var rows = [["#", "rule", "when", "then"]]
        let members = Self.members(of: document)
        for (index, rule) in (members["rules"]?.arrayValue ?? []).enumerated() {
            let fields = Self.members(of: rule)
            rows.append([
                String(index + 1), fields["name"].map(Self.plain) ?? "-", fields["when"].map(Self.compact) ?? "{}",
                fields["then"].map(Self.compact) ?? "{}",
            ])
        }
        rows.append(["", "default", "", members["default"].map(Self.compact) ?? "{}"])
        Table.print(rows, to: context.stdout)
        for timer in members["timers"]?.arrayValue ?? [] {
            context.stdout.line("timer " + Self.compact(timer))
        }
        if router.invalidRules > 0 {
            context.warn("\(router.invalidRules) rules_set event(s) in the log did not check and were ignored")
        }
        return .success
    }

    private static func members(of value: JSONValue) -> [String: JSONValue] {
        guard case .object(let members) = value else { return [:] }
        return Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    private static func plain(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return compact(value)
    }

    /// Compact JSON, clipped to fit a terminal.
    private static func compact(_ value: JSONValue) -> String {
        let text = Format.json(value)
        return text.count <= 44 ? text : String(text.prefix(41)) + "..."
    }
}

extension JSONValue {
    fileprivate var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}
