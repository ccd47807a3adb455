import ParleyEvents
import ParleyLog

/// `parley dump`: events back out as JSON Lines (or text), with `seq` and `recorded_at`.
enum DumpCommand: Command {
    static let name = "dump"
    static let abstract = "Write the log's events to stdout as JSON Lines (or readable text)."
    static let synopsis = "[--log PATH] [--from-seq N] [--to-seq N] [--format jsonl|text] [--salvage]"
    static let discussion = """
        JSON Lines output has the input's shape plus "seq" (the event's sequence number) and
        "recorded_at" (the commit time of its frame); extra fields come back as they were given.
        `parley append` ignores "seq" and "recorded_at", so a dump can be appended to another log.
        Only checksum-valid events are written (every valid frame in the file: dump does not stop at the
        commit hint). Events of a type or schema version this build does not know are skipped and counted
        on stderr. A malformed event stops the dump with exit code 1 after the events before it; damage
        does too, after the events before it. A torn tail is reported on stderr (exit 0).

        --salvage writes the events of every checksum-valid frame of the log found anywhere in the file,
        walking on past damage (as `parley repair` does), each with its own seq: use it on a damaged log or
        on the PATH.cut-OFFSET copy `parley repair` keeps. Frames repeating seqs already written, malformed
        events and unreadable byte ranges are named on stderr and make the exit code 1.
        """
    static let options: [OptionSpec] = [
        .log,
        .value("from-seq", "N", "First sequence number to write (default 1)."),
        .value("to-seq", "N", "Last sequence number to write (default: the end of the log)."),
        .value("format", "FORMAT", "jsonl (default) or text."),
        .flag("salvage", "Write the events of every valid frame, past damage too (e.g. of a repair's cut copy)."),
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
        var writer = EventWriter(from: from, to: to, text: text)
        if arguments.flag("salvage") {
            return try salvage(path: path, reader: reader, writer: &writer, context: context)
        }
        while let frame = try nextFrame(reader) {
            if frame.lastSeq < from { continue }
            if frame.firstSeq > to { break }
            if let bad = writer.write(frame, context: context) {
                context.stdout.flush()
                throw CLIError(
                    .damaged,
                    "\(path): seq \(bad.seq) (frame at offset \(frame.offset)): malformed event: \(bad.reason)")
            }
            if context.stdout.isClosed { return .success }
        }
        context.stdout.flush()
        writer.reportUnknown(context: context)
        return try reportStop(reader, path: path, context: context)
    }

    /// `--salvage`: every checksum-valid frame of the log, past damage.
    private static func salvage(path: String, reader: LogReader, writer: inout EventWriter, context: CommandContext)
        throws(CLIError) -> CLIError.ExitCode
    {
        var malformed: UInt64 = 0
        let report: SalvageReport
        do {
            report = try LogRepair.salvage(reader, from: Int64(LogFormat.fileHeaderBytes), after: 0) { frame in
                guard !context.stdout.isClosed, frame.lastSeq >= writer.from, frame.firstSeq <= writer.to else {
                    return
                }
                if let bad = writer.write(frame, context: context, stopAtMalformed: false) {
                    malformed += bad.count
                    context.warn(
                        "seq \(bad.seq) (frame at offset \(frame.offset)): malformed event not written: \(bad.reason)"
                            + (bad.count > 1 ? " (and \(bad.count - 1) more in this frame)" : ""))
                }
            }
        } catch {
            throw CLIError(error)
        }
        context.stdout.flush()
        if context.stdout.isClosed { return .success }
        writer.reportUnknown(context: context)
        for gap in report.unreadable {
            context.warn("\(gap.byteCount) bytes at offset \(gap.offset) are not part of any valid frame of this log")
        }
        for skipped in report.skippedFrames {
            context.warn(
                "valid frame at offset \(skipped.offset) (seq \(skipped.seqs.lowerBound)–\(skipped.seqs.upperBound)) "
                    + "repeats seqs already written; skipped")
        }
        if report.scanLimitReached {
            context.warn("the search for valid frames stopped at its limit; later frames, if any, were not written")
        }
        return report.isComplete && malformed == 0 ? .success : .damaged
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

/// Writes the events of frames to stdout, within a range of seqs, counting the unknown ones.
struct EventWriter {
    let from: UInt64
    let to: UInt64
    let text: Bool
    private let encoder = JSONLineEncoder()
    private(set) var unknown: UInt64 = 0

    init(from: UInt64, to: UInt64, text: Bool) {
        self.from = from
        self.to = to
        self.text = text
    }

    /// Writes the events of `frame` within the range. A malformed event stops the frame there, or with
    /// `stopAtMalformed: false` is left out; returns the first one's seq and reason and how many there were.
    mutating func write(_ frame: Frame, context: CommandContext, stopAtMalformed: Bool = true)
        -> (seq: UInt64, reason: String, count: UInt64)?
    {
        var bad: (seq: UInt64, reason: String, count: UInt64)?
        for record in frame.events(seqs: from...to) {
            let event: SequencedEvent
            switch record.decoded {
            case .failure(let error):
                if let first = bad {
                    bad = (first.seq, first.reason, first.count + 1)
                } else {
                    bad = (record.seq, error.reason, 1)
                }
                if stopAtMalformed { return bad }
                continue
            case .success(.unknown):
                unknown += 1
                continue
            case .success(.event(let decoded)):
                event = SequencedEvent(seq: record.seq, recordedAt: record.recordedAt, event: decoded)
            }
            if text {
                context.stdout.line(EventText.line(event))
            } else {
                context.stdout.withBuffer { out in
                    encoder.encode(event, into: &out)
                    out.append(0x0A)
                }
            }
            if context.stdout.isClosed { return bad }
        }
        return bad
    }

    func reportUnknown(context: CommandContext) {
        if unknown > 0 {
            context.warn("skipped \(unknown) events of a type or schema version this build does not know")
        }
    }
}
