import ParleyProjections

extension CLIError {
    /// "Not found" (exit 67): `what` is not in the log at `path`, with how much of the log was read, so that
    /// a reader can tell an id that is not there at all from one that is past `--until-seq`/`--as-of`:
    /// `no conversation "X" in parley.log (seq 1–2,000, the whole log)`,
    /// `… up to seq 500 (--until-seq; read seq 1–500)`, `… as committed by T (--as-of; read seq 1–412)`.
    /// - Parameters:
    ///   - what: e.g. `conversation "c9"`.
    ///   - path: the log.
    ///   - limit: the replay's limit.
    ///   - lastSeq: the last seq the replay read (0 for none).
    static func notFound(_ what: String, path: String, limit: ReplayLimit, lastSeq: UInt64) -> CLIError {
        let read = lastSeq > 0 ? "seq 1–\(Format.grouped(lastSeq))" : "no events"
        let scope: String
        if let until = limit.untilSeq {
            scope = " up to seq \(Format.grouped(until)) (--until-seq; read \(read))"
        } else if let asOf = limit.asOf {
            scope = " as committed by \(Format.time(asOf)) (--as-of; read \(read))"
        } else {
            scope = " (\(read), the whole log)"
        }
        // The business view keeps only events that had happened by then: say so, the id may come later.
        let happened =
            limit.eventsUntil.map { ", counting only events that happened by \(Format.time($0)) (--at)" } ?? ""
        return CLIError(.notFound, "no \(what) in \(path)\(scope)\(happened)")
    }
}
