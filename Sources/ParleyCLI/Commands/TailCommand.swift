import ParleyEvents
import ParleyLog

/// `parley tail`: committed events to stdout, following the log as it grows.
enum TailCommand: Command {
    static let name = "tail"
    static let abstract = "Write committed events to stdout and, with --follow, keep waiting for new ones."
    static let synopsis =
        "[--log PATH] [--from-seq N | --from-end] [--follow] [--format jsonl|binary] [--cursor NAME [--auto-ack]]"
    static let discussion = """
        Writes events as JSON Lines (the shape of `parley dump`, with "seq" and "recorded_at") or, with
        --format binary, as raw frames: the log's 64-byte file header, then whole frames exactly as they are
        in the log (docs/FORMAT.md), starting with the frame that holds the first event asked for.

        Only committed, checksum-valid events are written, in sequence order, each once per run: never a
        frame whose fsync has not returned, never a torn frame left by a killed writer. With --follow it waits
        (inotify, no CPU while idle) until interrupted (SIGINT or SIGTERM: exit 0) or until its reader goes
        away (a closed stdout is not an error).

        --cursor NAME starts after the position saved under NAME (or at --from-seq / --from-end / the start
        when there is none). Positions are saved by `parley ack NAME SEQ`, or by --auto-ack once events have
        been written to stdout: delivery is at least once, and after a restart only events after the last
        saved position come again. Cursors live in PATH.cursors/ and belong to their log.

        --from-end starts after the last committed event as the log's frames hold it (up to the commit hint;
        a hint that claims more is named in a warning). A cursor file that is not exactly what `ack` writes
        is exit 1; a cursor, commit hint or log that is not a regular file (a FIFO, device, directory; for
        the cursor and hint also a symbolic link) is exit 66, at once.
        """
    static let options: [OptionSpec] = [
        .log,
        .value("from-seq", "N", "Start at sequence number N (default 1)."),
        .flag("from-end", "Start after the last committed event."),
        .flag("follow", "Keep waiting for new events."),
        .value("format", "FORMAT", "jsonl (default) or binary."),
        .value("cursor", "NAME", "Start after the position saved under NAME."),
        .flag("auto-ack", "With --cursor: save the position once events are written to stdout."),
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let binary = try arguments.choice("format", ["jsonl", "binary"], default: "jsonl") == "binary"
        let fromSeq = try arguments.integer("from-seq")
        if fromSeq != nil && arguments.flag("from-end") { throw .usage("--from-seq and --from-end exclude each other") }
        let cursorName = arguments.value("cursor")
        if let cursorName, let problem = CursorStore.validate(name: cursorName) { throw .usage("--cursor: \(problem)") }
        if arguments.flag("auto-ack") && cursorName == nil { throw .usage("--auto-ack needs --cursor NAME") }
        let follow = arguments.flag("follow")
        let path = context.logPath(arguments)

        let stops = follow ? StopSignals() : nil
        do {
            let header = try LogReader(path: path).header
            let cursors = CursorStore(logPath: path, logID: header.logID)
            var start = fromSeq ?? 1
            if arguments.flag("from-end") {
                // The last seq of the frames the log holds (never more than the commit hint claims): + 1
                // cannot overflow.
                let probe = try LogFollower(path: path, fromSeq: 1)
                start = try probe.committedLastSeq() + 1
                if let problem = probe.hintProblem { context.warn(problem) }
            }
            // A loaded cursor is at most CursorStore.maxSeq (Int64.max): + 1 cannot overflow.
            if let cursorName, let saved = try cursors.load(cursorName) { start = saved + 1 }
            let follower = try LogFollower(path: path, fromSeq: start)
            if binary { context.stdout.withBuffer { $0.append(contentsOf: header.encoded()) } }
            var acknowledged: UInt64? = nil
            var lastAck = SystemClock.now()
            let encoder = JSONLineEncoder()

            /// Saves the cursor after a successful flush (events reached stdout).
            func autoAck(force: Bool) throws(LogError) {
                guard arguments.flag("auto-ack"), let cursorName, follower.nextSeq > start else { return }
                let upTo = follower.nextSeq - 1
                guard upTo != acknowledged, force || SystemClock.now() - lastAck >= 100_000_000 else { return }
                context.stdout.flush()
                guard !context.stdout.isClosed else { return }
                try cursors.save(cursorName, seq: upTo)
                acknowledged = upTo
                lastAck = SystemClock.now()
            }

            while true {
                while let frame = try follower.nextFrame() {
                    if binary {
                        context.stdout.withBuffer { $0.append(contentsOf: frame.bytes) }
                    } else {
                        try writeEvents(of: frame, from: start, encoder: encoder, context: context)
                    }
                    if context.stdout.isClosed { return .success }
                    try autoAck(force: false)
                    if stops?.received == true { break }
                }
                context.stdout.flush()
                if context.stdout.isClosed { return .success }
                try autoAck(force: true)
                guard follow, stops?.received == false else { break }
                let wake = try follower.waitForChange(
                    milliseconds: 1000, readable: [stops!.readEnd],
                    hangup: [context.stdout.fileDescriptor].compactMap { $0 })
                if case .descriptor = wake {
                    if stops?.received == true { break }
                    return .success  // stdout's reader went away
                }
            }
            context.stdout.flush()
            try autoAck(force: true)
        } catch {
            throw CLIError(any: error)
        }
        return .success
    }

    /// Writes the events of `frame` from `start` on as JSON Lines.
    private static func writeEvents(
        of frame: Frame, from start: UInt64, encoder: JSONLineEncoder, context: CommandContext
    )
        throws(CLIError)
    {
        for record in frame.events(seqs: start...UInt64.max) {
            if case .failure(let error) = record.decoded {
                throw CLIError(.damaged, "seq \(record.seq) (frame at offset \(frame.offset)): \(error.reason)")
            }
            guard let event = record.event else { continue }  // unknown type or version: skipped
            context.stdout.withBuffer { out in
                encoder.encode(event, into: &out)
                out.append(0x0A)
            }
        }
    }
}
