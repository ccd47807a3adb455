import ParleyEvents
import ParleyLog

/// `parley verify`: checks every frame and event; never modifies the file.
enum VerifyCommand: Command {
    static let name = "verify"
    static let abstract = "Check every frame, checksum and event of the log, without modifying it."
    static let synopsis = "[--log PATH] [--json]"
    static let discussion = """
        Checks the file header, every frame's checksum, salt and length, that sequence numbers are dense
        from 1, and that every event decodes. Prints the event count, the first and last sequence numbers,
        the event-time and commit-time ranges, and counts by type.

        Exit 0 when the log is sound. Exit 1 when it is not, naming the offset and sequence numbers:
        a torn tail (an interrupted append; the next open for writing cuts it off), or damage that needs
        `parley repair`. Bytes after the last frame while a writer holds the log are an append in progress,
        not damage.
        """
    static let options: [OptionSpec] = [.log, .flag("json", "Print the report as one JSON object.")]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let path = context.logPath(arguments)
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
                "\"by_type\":{"
                    + EventKind.allCases.map { "\"\($0.name)\":\(counted.byKind[Int($0.rawValue)])" }.joined(
                        separator: ",") + "}",
                "\"unknown_events\":\(counted.unknown)",
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
            context.stdout.line(
                "  log id       \(survey.header.logIDHex) (format version \(LogFormat.version), created \(Format.time(survey.header.createdAt)))"
            )
            context.stdout.line(
                "  size         \(Format.grouped(survey.fileSize)) bytes in \(Format.grouped(survey.frames)) frames")
            context.stdout.line(
                "  events       \(Format.grouped(survey.events))"
                    + (survey.events > 0 ? " (seq 1–\(survey.lastSeq))" : ""))
            if let times = counted.eventTimes {
                context.stdout.line(
                    "  event time   \(Format.time(times.lowerBound)) – \(Format.time(times.upperBound))")
            }
            if let times = survey.commitTimes {
                context.stdout.line(
                    "  commit time  \(Format.time(times.lowerBound)) – \(Format.time(times.upperBound))")
            }
            for kind in EventKind.allCases where counted.byKind[Int(kind.rawValue)] > 0 {
                let padded = kind.name + String(repeating: " ", count: max(0, 17 - kind.name.count))
                context.stdout.line("  \(padded)\(Format.grouped(counted.byKind[Int(kind.rawValue)]))")
            }
            if counted.unknown > 0 {
                context.stdout.line(
                    "  unknown          \(Format.grouped(counted.unknown)) (type or schema version not known to this build; skipped)"
                )
            }
        }
        return problem == nil ? .success : .damaged
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
