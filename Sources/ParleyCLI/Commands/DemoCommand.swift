import ParleyProjections
import ParleyService

/// `parley demo`: writes a sample log end to end, verifies it and shows what it holds.
enum DemoCommand: Command {
    static let name = "demo"
    static let abstract = "Write a small sample log, verify it and show what it holds (no set-up needed)."
    static let synopsis = "[--log PATH] [--conversations N]"
    static let discussion = """
        Generates a deterministic week of support traffic across channels (as JSON Lines, with an SLA
        policy), appends it through the same path as `parley append`, runs `verify` and `stats` on the
        result, prints the first events, the daily KPIs, and the queue and SLA breaches as they stood at the
        last event, and writes a checkpoint (`rebuild`); then the routing check, the agents' load, the
        insights per category and channel (satisfaction, compensations, orders), the recurring questions,
        and writes the weekly report (report-2026-W10.html, beside the log). Without --log the log goes into
        a new temporary directory, whose path is printed.
        """
    static let options: [OptionSpec] = [
        .value("log", "PATH", "Where to write the sample log (must not exist; default: a new temporary directory)."),
        .value("conversations", "N", "How many conversations to generate (default 40)."),
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let conversations = Int(try arguments.integer("conversations", in: 1...100_000) ?? 40)
        let path: String
        if let given = arguments.value("log") {
            path = given
        } else {
            guard let directory = Posix.makeTemporaryDirectory(prefix: "parley-demo-", environment: context.environment)
            else {
                throw CLIError(.ioError, "could not create a temporary directory")
            }
            path = directory + "/parley.log"
        }
        let input = DemoScenario(conversations: conversations, seed: 2026).jsonLines()
        context.stdout.line("== parley demo: \(conversations) conversations over one week → \(path)")
        context.stdout.line("")
        let writer = try context.createWriter(path: path)
        let summary: AppendSummary
        do {
            defer { writer.close() }
            var appender = EventAppender(writer: writer, batchSize: 100)
            // A new log: routing starts from the empty state.
            appender.routing = RoutingSession(state: ProjectionState(), nextSeq: 1)
            summary = try appender.append(jsonLines: MemorySource(input))
        } catch {
            throw CLIError(appending: error)
        }
        context.stdout.line(
            "appended \(summary.events) events in \(summary.batches) batches (\(input.count) bytes of JSON Lines)")
        context.stdout.line("")
        var logArguments = try ParsedArguments(["--log", path], options: [.log])
        context.stdout.line("== parley verify")
        let verified = try VerifyCommand.run(logArguments, context: context)
        context.stdout.line("")
        context.stdout.line("== parley stats")
        _ = try StatsCommand.run(logArguments, context: context)
        context.stdout.line("")
        context.stdout.line("== parley dump --format text --to-seq 12")
        logArguments = try ParsedArguments(
            ["--log", path, "--format", "text", "--to-seq", "12"], options: DumpCommand.options)
        _ = try DumpCommand.run(logArguments, context: context)
        context.stdout.line("")
        context.stdout.line("== parley rebuild")
        _ = try RebuildCommand.run(
            try ParsedArguments(["--log", path], options: RebuildCommand.options), context: context)
        context.stdout.line("")
        context.stdout.line("== parley kpi --by day")
        _ = try KPICommand.run(
            try ParsedArguments(["--log", path, "--by", "day"], options: KPICommand.options), context: context)
        // Judged at the last event (the demo's week is in the past): --until-seq with the last seq.
        let last = String(summary.committed?.upperBound ?? 0)
        context.stdout.line("")
        context.stdout.line("== parley queue --until-seq \(last)")
        _ = try QueueCommand.run(
            try ParsedArguments(["--log", path, "--until-seq", last], options: QueueCommand.options), context: context)
        context.stdout.line("")
        context.stdout.line("== parley sla --until-seq \(last)")
        _ = try SLACommand.run(
            try ParsedArguments(["--log", path, "--until-seq", last], options: SLACommand.options), context: context)
        context.stdout.line("")
        context.stdout.line("== parley route --check")
        let checked = try RouteCommand.run(
            try ParsedArguments(["--check", "--log", path], options: RouteCommand.options), context: context)
        context.stdout.line("")
        context.stdout.line("== parley workload --until-seq \(last)")
        _ = try WorkloadCommand.run(
            try ParsedArguments(["--log", path, "--until-seq", last], options: WorkloadCommand.options),
            context: context)
        context.stdout.line("")
        context.stdout.line("== parley insights --cost-per-touch 2.50 --cost-per-hour 30 --currency EUR")
        _ = try InsightsCommand.run(
            try ParsedArguments(
                ["--log", path, "--cost-per-touch", "2.50", "--cost-per-hour", "30", "--currency", "EUR"],
                options: InsightsCommand.options),
            context: context)
        context.stdout.line("")
        context.stdout.line("== parley questions --min 3")
        _ = try QuestionsCommand.run(
            try ParsedArguments(["--log", path, "--min", "3"], options: QuestionsCommand.options), context: context)
        // The weekly report, beside the log: the demo's traffic is the ISO week 2026-W10.
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let report = directory + "/report-2026-W10.html"
        context.stdout.line("")
        context.stdout.line("== parley report --week 2026-W10 --out \(report)")
        _ = try ReportCommand.run(
            try ParsedArguments(
                ["--log", path, "--week", "2026-W10", "--out", report], options: ReportCommand.options),
            context: context)
        context.stdout.line("")
        context.stdout.line("Try: parley dump --log \(path) | head; parley explain CONVERSATION --log \(path)")
        context.stdout.line("Open the weekly report in a browser: \(report)")
        guard checked == .success else { return checked }
        return verified
    }
}
