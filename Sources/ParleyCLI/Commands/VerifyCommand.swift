import ParleyEvents
import ParleyLog

/// `parley verify`: checks every frame and event; never modifies the file.
enum VerifyCommand: Command {
    static let name = "verify"
    static let abstract = "Check every frame, checksum and event of the log, without modifying it."
    static let synopsis = "[--log PATH] [--json] [--salvage]"
    static let discussion = """
        Checks the file header, every frame's checksum, salt and length, that sequence numbers are dense
        from 1, and that every event decodes. Prints the event count, the first and last sequence numbers,
        the event-time and commit-time ranges, and counts by type.

        Exit 0 when the log is sound. Exit 1 when it is not, naming the offset and sequence numbers:
        a torn tail (an interrupted append; the next open for writing cuts it off), damage that needs
        `parley repair`, an event that does not decode (malformed), or a bad file header. The report goes to
        stdout in every case; stderr stays empty unless the file cannot be opened or read. Bytes after the
        last frame while a writer holds the log are an append in progress, not damage. Every valid frame in
        the file is checked: verify does not stop at the commit hint. docs/FORMAT.md, "What dump and verify
        report", has the table and the --json fields. For the cut copy `parley repair` keeps, use
        `parley dump --salvage`, and `parley verify --salvage` to check it.

        --salvage checks every checksum-valid frame of the log found anywhere in the file, walking on past
        damage as `parley repair` does, each frame with its own seq: it reports the seqs found, the byte
        ranges that are not part of a valid frame and frames repeating seqs already read. Exit 0 when
        every byte belongs to a valid frame and every event decodes, else 1.
        """
    static let options: [OptionSpec] = [
        .log, .flag("json", "Print the report as one JSON object."),
        .flag("salvage", "Check every valid frame, past damage too (e.g. of a repair's cut copy)."),
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let path = context.logPath(arguments)
        if arguments.flag("salvage") { return try salvage(path: path, json: arguments.flag("json"), context: context) }
        // Frames are read and checksummed here while their events are validated on a second thread.
        let census = ConcurrentCensus(decodeFully: true)
        var survey: LogSurvey
        do {
            let reader = try LogReader(path: path)
            survey = try LogSurveyor.survey(reader, verifyChecksums: true) { census.add($0) }
            if case .tornTail = survey.ending, try !LogWriter.hasActiveWriter(at: path) {
                // A writer may have completed that frame and exited between the read and the probe:
                // look once more from where the valid frames ended before calling it torn.
                let again = try LogReader(path: path)
                again.seek(toFrameAt: survey.validEnd, nextSeq: survey.lastSeq + 1)
                survey.extend(with: try LogSurveyor.survey(again, verifyChecksums: true) { census.add($0) })
            }
        } catch {
            _ = census.finish()
            if error.code == .notFound || error.code == .io || error.code == .notRegularFile { throw CLIError(error) }
            return report(path: path, headerError: error, json: arguments.flag("json"), context: context)
        }
        let counted = census.finish()
        var problem: (kind: String, offset: Int64?, seq: UInt64?, message: String)?
        switch survey.ending {
        case .clean: break
        case .tornTail(let torn):
            let active = (try? LogWriter.hasActiveWriter(at: path)) == true
            if !active {
                problem = (
                    "torn_tail", torn.offset, torn.firstSeq,
                    "torn tail: \(torn.byteCount) bytes at offset \(torn.offset) are an interrupted append"
                        + (torn.claimedSeqs.map { " (unacknowledged seq \($0.lowerBound)–\($0.upperBound))" } ?? "")
                        + "; the next open for writing cuts them off"
                )
            }
        case .damaged(let damage):
            problem = (
                "damaged", damage.offset, damage.expectedSeq,
                damage.explanation + "; `parley repair` truncates at offset \(damage.offset)"
            )
        }
        if problem == nil, let bad = counted.firstMalformed {
            problem = (
                "malformed_event", nil, bad.seq,
                "\(counted.malformed) events do not decode; first: seq \(bad.seq): \(bad.reason)"
            )
        }
        if arguments.flag("json") {
            var fields: [String] = [
                "\"path\":\(Format.json(path))", "\"ok\":\(problem == nil)",
                "\"log_id\":\"\(survey.header.logIDHex)\"", "\"format_version\":\(LogFormat.version)",
                "\"size_bytes\":\(survey.fileSize)", "\"frames\":\(survey.frames)", "\"events\":\(survey.events)",
                "\"first_seq\":\(survey.events > 0 ? "1" : "null")",
                "\"last_seq\":\(survey.events > 0 ? String(survey.lastSeq) : "null")",
                "\"event_time\":" + range(counted.eventTimes), "\"commit_time\":" + range(survey.commitTimes),
                "\"by_type\":" + Format.countsByType(counted.byKind),
                "\"unknown_events\":\(counted.unknown)", "\"malformed_events\":\(counted.malformed)",
            ]
            if let problem {
                fields.append(
                    "\"problem\":{\"kind\":\"\(problem.kind)\",\"offset\":\(problem.offset.map(String.init) ?? "null"),"
                        + "\"seq\":\(problem.seq.map(String.init) ?? "null"),\"message\":\(Format.json(problem.message))}"
                )
            } else {
                fields.append("\"problem\":null")
            }
            context.stdout.line("{" + fields.joined(separator: ",") + "}")
        } else {
            context.stdout.line("\(path): " + (problem == nil ? "OK" : "NOT OK"))
            if let problem { context.stdout.line("  problem      \(problem.message)") }
            context.stdout.line("  log id       \(survey.header.logIDHex)")
            context.stdout.line(
                "  format       version \(LogFormat.version), created \(Format.time(survey.header.createdAt))")
            context.stdout.line(
                "  size         \(Format.grouped(survey.fileSize)) bytes in \(Format.grouped(survey.frames)) frames")
            context.stdout.line(
                "  events       \(Format.grouped(survey.events))"
                    + (survey.events > 0 ? " (seq 1–\(survey.lastSeq))" : ""))
            closingLines(
                counted, commitTimes: survey.commitTimes,
                unknown: "type or schema version not known to this build; skipped", to: context.stdout)
        }
        return problem == nil ? .success : .damaged
    }

    /// `--salvage`: every checksum-valid frame of the file, past damage.
    private static func salvage(path: String, json: Bool, context: CommandContext) throws(CLIError)
        -> CLIError.ExitCode
    {
        var census = EventCensus(decodeFully: true)
        var commitTimes: ClosedRange<Int64>?
        let report: SalvageReport
        let header: LogHeader
        let size: Int64
        do {
            let reader = try LogReader(path: path)
            header = reader.header
            report = try LogRepair.salvage(reader, from: Int64(LogFormat.fileHeaderBytes), after: 0) { frame in
                census.add(frame)
                let time = frame.commitTime
                commitTimes = min(commitTimes?.lowerBound ?? time, time)...max(commitTimes?.upperBound ?? time, time)
            }
            size = try reader.fileSize()
        } catch {
            if error.code == .notFound || error.code == .io { throw CLIError(error) }
            return Self.report(path: path, headerError: error, json: json, context: context)
        }
        let ok = report.isComplete && census.malformed == 0
        let runs = report.seqRuns.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)" }
        if json {
            var fields: [String] = [
                "\"path\":\(Format.json(path))", "\"ok\":\(ok)", "\"salvage\":true",
                "\"log_id\":\"\(header.logIDHex)\"", "\"size_bytes\":\(size)", "\"frames\":\(report.frames)",
                "\"events\":\(report.events)",
                "\"seq_runs\":[" + report.seqRuns.map { "[\($0.lowerBound),\($0.upperBound)]" }.joined(separator: ",")
                    + "]",
                "\"event_time\":" + range(census.eventTimes), "\"commit_time\":" + range(commitTimes),
                "\"by_type\":" + Format.countsByType(census.byKind),
                "\"unknown_events\":\(census.unknown)", "\"malformed_events\":\(census.malformed)",
            ]
            fields.append(
                "\"first_malformed\":"
                    + (census.firstMalformed.map { "{\"seq\":\($0.seq),\"message\":\(Format.json($0.reason))}" }
                        ?? "null"))
            fields.append(
                "\"unreadable\":["
                    + report.unreadable.map { "{\"offset\":\($0.offset),\"bytes\":\($0.byteCount)}" }.joined(
                        separator: ",")
                    + "]")
            fields.append(
                "\"skipped_frames\":["
                    + report.skippedFrames.map {
                        "{\"offset\":\($0.offset),\"first_seq\":\($0.seqs.lowerBound),\"last_seq\":\($0.seqs.upperBound)}"
                    }.joined(separator: ",") + "]")
            fields.append("\"scan_limit_reached\":\(report.scanLimitReached)")
            context.stdout.line("{" + fields.joined(separator: ",") + "}")
        } else {
            context.stdout.line("\(path): salvage " + (ok ? "OK" : "NOT OK"))
            context.stdout.line("  log id       \(header.logIDHex)")
            context.stdout.line(
                "  found        \(Format.grouped(report.events)) events in \(Format.grouped(report.frames)) valid frames"
                    + (runs.isEmpty ? "" : " (seq \(runs.joined(separator: ", ")))")
                    + " of \(Format.grouped(size)) bytes")
            for gap in report.unreadable {
                context.stdout.line(
                    "  unreadable   \(Format.grouped(gap.byteCount)) bytes at offset \(gap.offset) (not part of a valid frame)"
                )
            }
            for skipped in report.skippedFrames {
                context.stdout.line(
                    "  skipped      frame at offset \(skipped.offset) (seq \(skipped.seqs.lowerBound)–"
                        + "\(skipped.seqs.upperBound)) repeats seqs already read")
            }
            if report.scanLimitReached {
                context.stdout.line("  limit        the search for valid frames stopped at its limit")
            }
            if let bad = census.firstMalformed {
                context.stdout.line(
                    "  malformed    \(census.malformed) events do not decode; first: seq \(bad.seq): \(bad.reason)")
            }
            closingLines(census, commitTimes: commitTimes, unknown: "skipped", to: context.stdout)
        }
        return ok ? .success : .damaged
    }

    /// The last lines of a text report: the event-time and commit-time ranges, the counts by type, and the
    /// events of unknown types with `unknown` saying what became of them.
    private static func closingLines(
        _ census: EventCensus, commitTimes: ClosedRange<Int64>?, unknown: String, to out: Output
    ) {
        for (label, times) in [("event time ", census.eventTimes), ("commit time", commitTimes)] {
            guard let times else { continue }
            out.line("  \(label)  \(Format.time(times.lowerBound)) – \(Format.time(times.upperBound))")
        }
        for kind in EventKind.allCases where census.byKind[Int(kind.rawValue)] > 0 {
            // At least one space after the longest type name (compensation_given).
            let padded = kind.name + String(repeating: " ", count: max(1, 17 - kind.name.count))
            out.line("  \(padded)\(Format.grouped(census.byKind[Int(kind.rawValue)]))")
        }
        if census.unknown > 0 { out.line("  unknown          \(Format.grouped(census.unknown)) (\(unknown))") }
    }

    private static func range(_ range: ClosedRange<Int64>?) -> String {
        guard let range else { return "null" }
        return "{\"min\":\"\(Format.time(range.lowerBound))\",\"max\":\"\(Format.time(range.upperBound))\"}"
    }

    private static func report(path: String, headerError: LogError, json: Bool, context: CommandContext)
        -> CLIError.ExitCode
    {
        if json {
            context.stdout.line(
                "{\"path\":\(Format.json(path)),\"ok\":false,\"problem\":{\"kind\":\"header\",\"offset\":\(headerError.offset.map(String.init) ?? "null"),"
                    + "\"seq\":null,\"message\":\(Format.json(headerError.reason))}}")
        } else {
            context.stdout.line("\(path): NOT OK")
            context.stdout.line("  problem      \(headerError.reason)")
        }
        return .damaged
    }
}
