import ParleyEvents
import ParleyLog

/// `parley dump`: events back out as JSON Lines (or text), with `seq` and `recorded_at`.
enum DumpCommand: Command {
    static let name = "dump"
    static let abstract = "Write the log's events to stdout as JSON Lines (or readable text)."
    static let synopsis = "[--log PATH] [--from-seq N] [--to-seq N] [--format jsonl|text]"
    static let discussion = """
        JSON Lines output has the input's shape plus "seq" (the event's sequence number) and
        "recorded_at" (its commit time); extra fields come back as they were given. `parley append`
        ignores "seq" and "recorded_at", so a dump can be appended to another log.
        Only committed, checksum-valid events are written. Events of a type or schema version this build
        does not know are skipped and counted on stderr. Damage stops the dump with exit code 1.
        """
    static let options: [OptionSpec] = [
        .log,
        .value("from-seq", "N", "First sequence number to write (default 1)."),
        .value("to-seq", "N", "Last sequence number to write (default: the end of the log)."),
        .value("format", "FORMAT", "jsonl (default) or text."),
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let from = try arguments.integer("from-seq") ?? 1
        let to = try arguments.integer("to-seq") ?? UInt64.max
        guard from <= to else { throw .usage("--from-seq \(from) is after --to-seq \(to)") }
        let text = try arguments.choice("format", ["jsonl", "text"], default: "jsonl") == "text"
        let path = context.logPath(arguments)
        let reader: LogReader
        do { reader = try LogReader(path: path) } catch { throw CLIError(error) }
        let encoder = JSONLineEncoder()
        var unknown: UInt64 = 0
        while let frame = try nextFrame(reader) {
            if frame.lastSeq < from { continue }
            if frame.firstSeq > to { break }
            var seq = frame.firstSeq
            for record in frame.records {
                defer { seq += 1 }
                guard seq >= from, seq <= to else { continue }
                let decoded: DecodedRecord
                do {
                    decoded = try EventCodec.decode(record)
                } catch {
                    context.stdout.flush()
                    throw CLIError(.damaged, "\(path): seq \(seq) (frame at offset \(frame.offset)): \(error.reason)")
                }
                guard case .event(let event) = decoded else {
                    unknown += 1
                    continue
                }
                let sequenced = SequencedEvent(
                    seq: seq, recordedAt: Timestamp(nanoseconds: frame.commitTime), event: event)
                if text {
                    context.stdout.line(TextFormat.line(sequenced))
                } else {
                    context.stdout.withBuffer { out in
                        encoder.encode(sequenced, into: &out)
                        out.append(0x0A)
                    }
                }
                if context.stdout.isClosed { return .success }
            }
        }
        context.stdout.flush()
        if unknown > 0 {
            context.warn("skipped \(unknown) events of a type or schema version this build does not know")
        }
        return try reportStop(reader, path: path, context: context)
    }

    private static func nextFrame(_ reader: LogReader) throws(CLIError) -> Frame? {
        do { return try reader.nextFrame() } catch { throw CLIError(error) }
    }

    /// After the last valid frame: clean end, an append in progress, a torn tail, or damage.
    static func reportStop(_ reader: LogReader, path: String, context: CommandContext) throws(CLIError)
        -> CLIError.ExitCode
    {
        guard let stop = reader.stop, stop != .endOfFile else { return .success }
        let survey: LogSurvey
        do {
            let fresh = try LogReader(path: path)
            fresh.seek(toFrameAt: reader.position, nextSeq: reader.nextSeq)
            survey = try LogSurveyor.survey(fresh)
        } catch {
            throw CLIError(error)
        }
        switch survey.ending {
        case .clean: return .success
        case .tornTail(let torn):
            if (try? LogWriter.hasActiveWriter(at: path)) == true { return .success }
            context.warn(
                "\(torn.byteCount) bytes of an interrupted append at offset \(torn.offset) were not written out; "
                    + "the next open for writing cuts them off")
            return .success
        case .damaged(let damage):
            throw CLIError(.damaged, "\(path): \(damage.explanation). Events after the damage were not written out.")
        }
    }
}

/// The `--format text` rendering of an event: one readable line.
enum TextFormat {
    static func line(_ sequenced: SequencedEvent) -> String {
        let event = sequenced.event
        var parts = ["#\(sequenced.seq)", event.at.rfc3339, event.kind.name]
        if let conversation = event.payload.conversation { parts.append("[\(conversation)]") }
        switch event.payload {
        case .messageReceived(let e):
            parts.append("from \(e.customer) via \(e.channel.name)")
            if let subject = e.subject { parts.append("subject " + Format.json(clip(subject))) }
            parts.append(Format.json(clip(e.body)))
        case .replySent(let e):
            parts.append("by \(e.author)" + (e.isAutomatic ? " (automatic)" : ""))
            parts.append(Format.json(clip(e.body)))
        case .assigned(let e):
            parts.append(e.assignee.map { "to \($0)" } ?? "unassigned")
            if let team = e.team { parts.append("team \(team)") }
        case .statusChanged(let e):
            parts.append("→ \(e.status.name)")
        case .categorized(let e):
            parts.append(e.category + (e.priority.map { ", priority \($0.name)" } ?? ""))
        case .noteAdded(let e):
            parts.append("by \(e.author)")
            parts.append(Format.json(clip(e.body)))
        case .customerLinked(let e):
            parts.append("\(e.customer) = \(e.sameAs)")
        case .policySet(let e):
            var out: [UInt8] = []
            JSONLineEncoder.appendJSON(e.policy, to: &out)
            parts.append(clip(String(decoding: out, as: UTF8.self)))
        }
        if !event.extras.isEmpty { parts.append("+\(event.extras.count) extra fields") }
        return parts.joined(separator: " ")
    }

    private static func clip(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(57)) + "..."
    }
}
