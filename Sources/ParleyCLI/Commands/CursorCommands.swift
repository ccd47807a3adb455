import ParleyLog

/// `parley ack NAME SEQ`: saves a consumer's position.
enum AckCommand: Command {
    static let name = "ack"
    static let abstract = "Save a consumer's position: events up to SEQ are processed."
    static let synopsis = "[--log PATH] NAME SEQ"
    static let discussion = """
        Saves SEQ under the cursor NAME (atomically: write, fsync, rename). `parley tail --cursor NAME` then
        starts after it. SEQ may not be beyond the last committed event; a lower SEQ than before rewinds the
        cursor (those events come again). The cursor records the log's id: it cannot be used with another log.

        The last committed event is read from the log's frames, up to the commit hint (PATH.commit): a hint
        that claims more than the log holds (stale after a repair, or forged) is named in a warning and never
        lets a cursor pass the log. A cursor, hint or log that is not a regular file (a FIFO, device,
        directory; for the cursor and hint also a symbolic link) is exit 66; a cursor file that is not
        exactly what `ack` writes (or holds a seq beyond 2^63 - 1) is exit 1.
        """
    static let options: [OptionSpec] = [.log]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        guard arguments.positionals.count == 2 else { throw .usage("expected a cursor NAME and a SEQ") }
        let name = arguments.positionals[0]
        if let problem = CursorStore.validate(name: name) { throw .usage(problem) }
        guard let seq = UInt64(arguments.positionals[1]) else {
            throw .usage("SEQ: expected a sequence number, got \"\(arguments.positionals[1])\"")
        }
        let path = context.logPath(arguments)
        do {
            let follower = try LogFollower(path: path, fromSeq: 1)
            // From the frames the log holds: a commit hint claiming more never lets a cursor pass them.
            let last = try follower.committedLastSeq()
            if let problem = follower.hintProblem { context.warn(problem) }
            guard seq <= last else {
                throw CLIError(.dataError, "seq \(seq) is beyond the last committed event (seq \(last))")
            }
            let store = CursorStore(logPath: path, logID: follower.header.logID)
            _ = try store.load(name)  // refuses a cursor of another log
            try store.save(name, seq: seq)
            context.stdout.line("\(name) at seq \(seq) (lag \(last - seq))")
        } catch {
            throw CLIError(any: error)
        }
        return .success
    }
}

/// `parley cursors`: every cursor with its lag.
enum CursorsCommand: Command {
    static let name = "cursors"
    static let abstract = "List the log's consumer cursors and how far each lags behind the end."
    static let synopsis = "[--log PATH] [--json]"
    static let discussion = """
        Lag is the number of committed events after the cursor's position; the last committed event is read
        from the log's frames, up to the commit hint (a hint that claims more is named in a warning). Files in
        PATH.cursors/ that are not cursors of this log (another log's, crafted, a FIFO, directory or symbolic
        link) are listed on stderr, and the exit is then 1. Every frame's checksum is checked: a damaged
        log is exit 1, naming the offset and the seqs that cannot be read.
        """
    static let options: [OptionSpec] = [.log, .flag("json", "Print one JSON object.")]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let path = context.logPath(arguments)
        let listing: (cursors: [CursorStore.Cursor], problems: [LogError])
        let last: UInt64
        do {
            let follower = try LogFollower(path: path, fromSeq: 1)
            last = try follower.committedLastSeq()
            if let problem = follower.hintProblem { context.warn(problem) }
            listing = try CursorStore(logPath: path, logID: follower.header.logID).list()
            // Lags measured against a damaged log would be a silent partial answer: every frame's checksum
            // is checked, as `verify` does (events are not decoded). A torn tail is not damage.
            let survey = try LogSurveyor.survey(try LogReader(path: path), verifyChecksums: true)
            if case .damaged(let damage) = survey.ending { throw damage.readError(path: path) }
        } catch {
            throw CLIError(any: error)
        }
        if arguments.flag("json") {
            let rows = listing.cursors.map { cursor in
                "{\"name\":\(Format.json(cursor.name)),\"seq\":\(cursor.seq),\"lag\":\(last >= cursor.seq ? last - cursor.seq : 0)}"
            }
            context.stdout.line("{\"last_seq\":\(last),\"cursors\":[" + rows.joined(separator: ",") + "]}")
        } else if listing.cursors.isEmpty {
            context.stdout.line("no cursors (last seq \(last))")
        } else {
            let width = max(4, listing.cursors.map(\.name.count).max() ?? 0)
            context.stdout.line("name" + String(repeating: " ", count: width - 2) + "seq        lag")
            for cursor in listing.cursors {
                let lag = last >= cursor.seq ? last - cursor.seq : 0
                let seqText = String(cursor.seq)
                context.stdout.line(
                    cursor.name + String(repeating: " ", count: width - cursor.name.count + 2) + seqText
                        + String(repeating: " ", count: max(1, 11 - seqText.count)) + String(lag))
            }
        }
        for problem in listing.problems { context.warn(problem.description) }
        return listing.problems.isEmpty ? .success : .damaged
    }
}
