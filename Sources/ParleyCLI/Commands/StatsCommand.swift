import ParleyEvents
import ParleyLog

/// `parley stats`: size, events, frames, per-type counts (one checksummed walk; no event decoding).
enum StatsCommand: Command {
    static let name = "stats"
    static let abstract = "Show the log's size, events, frames and counts by type."
    static let synopsis = "[--log PATH] [--json]"
    static let discussion = """
        One walk over the frames, checking each frame's checksum, and the event prefixes (events are not
        decoded: `parley verify` does that). A torn tail (an interrupted append) is reported after the
        figures. Damage is reported too, and then the exit code is 1: the figures cover only the frames
        before it.
        """
    static let options: [OptionSpec] = [.log, .flag("json", "Print the figures as one JSON object.")]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let path = context.logPath(arguments)
        var census = EventCensus(decodeFully: false)
        let survey: LogSurvey
        do {
            let reader = try LogReader(path: path)
            survey = try LogSurveyor.survey(reader, verifyChecksums: true) { census.add($0) }
        } catch {
            throw CLIError(error)
        }
        var trailing = ""
        switch survey.ending {
        case .clean: break
        case .tornTail(let torn): trailing = "\(torn.byteCount) bytes of an interrupted append at offset \(torn.offset)"
        case .damaged(let damage): trailing = damage.explanation
        }
        if arguments.flag("json") {
            var fields = [
                "\"path\":\(Format.json(path))", "\"log_id\":\"\(survey.header.logIDHex)\"",
                "\"size_bytes\":\(survey.fileSize)", "\"frames\":\(survey.frames)", "\"events\":\(survey.events)",
                "\"last_seq\":\(survey.lastSeq)",
                "\"by_type\":" + Format.countsByType(census.byKind),
                "\"bytes_by_type\":" + Format.countsByType(census.bytesByKind),
                "\"unknown_events\":\(census.unknown)",
            ]
            fields.append("\"trailing\":" + (trailing.isEmpty ? "null" : Format.json(trailing)))
            context.stdout.line("{" + fields.joined(separator: ",") + "}")
        } else {
            context.stdout.line("\(path)")
            context.stdout.line(
                "  size     \(Format.grouped(survey.fileSize)) bytes (\(Format.bytes(survey.fileSize)))")
            context.stdout.line("  events   \(Format.grouped(survey.events)) (last seq \(survey.lastSeq))")
            let perFrame = survey.frames > 0 ? Double(survey.events) / Double(survey.frames) : 0
            context.stdout.line(
                "  frames   \(Format.grouped(survey.frames)) (\(Int(perFrame.rounded())) events per frame on average)")
            for kind in EventKind.allCases where census.byKind[Int(kind.rawValue)] > 0 {
                let padded = kind.name + String(repeating: " ", count: max(1, 17 - kind.name.count))
                let count = census.byKind[Int(kind.rawValue)]
                context.stdout.line(
                    "  \(padded)\(Format.grouped(count)) events, \(Format.bytes(Int64(census.bytesByKind[Int(kind.rawValue)])))"
                )
            }
            if census.unknown > 0 { context.stdout.line("  unknown          \(Format.grouped(census.unknown)) events") }
            if !trailing.isEmpty { context.stdout.line("  after the last frame: \(trailing)") }
        }
        if case .damaged(let damage) = survey.ending {
            context.stdout.flush()
            throw CLIError(damage.readError(path: path))
        }
        return .success
    }
}
