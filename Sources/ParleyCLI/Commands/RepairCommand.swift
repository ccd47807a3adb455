import ParleyEvents
import ParleyLog

/// `parley repair`: truncate at the first damage, keeping a copy of what is cut and exporting the events of
/// every checksum-valid frame after the damage.
enum RepairCommand: Command {
    static let name = "repair"
    static let abstract = "Truncate a damaged log at its first bad frame, keeping a copy and the events after it."
    static let synopsis = "[--log PATH]"
    static let discussion = """
        Checks every frame like `parley verify`. If the log is sound, nothing changes. Otherwise the log's
        file header and the bytes from the first bad frame to the end of the file are copied to
        PATH.cut-OFFSET (mode 0600, fsynced; `parley dump --salvage --log PATH.cut-OFFSET` reads it).
        When the bad frame is damage (not a torn tail) and checksum-valid frames of the log follow it, their
        events are exported as JSON Lines to PATH.cut-OFFSET.recovered.jsonl (written to a temporary file,
        fsynced, then put in place), each with its original "recovered_seq" and "recovered_recorded_at" as
        extra fields, ready for `parley append`; stderr says how many events, which seqs, and the file.
        Only then is the log truncated at the bad frame and fsynced. If the copy or the export fails, nothing
        is left behind and the log is unchanged. A writer must not be running.
        A damaged file header cannot be repaired by truncation.
        """
    static let options: [OptionSpec] = [.log]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let path = context.logPath(arguments)
        var export = RecoveredExport()
        let outcome: LogRepair.Outcome?
        do { outcome = try LogRepair.repair(path: path) { export.lines(of: $0) } } catch { throw CLIError(error) }
        guard let outcome else {
            context.stdout.line("\(path): sound; nothing to repair")
            return .success
        }
        var what: String
        switch outcome.ending {
        case .clean: what = ""
        case .tornTail(let torn):
            what = "torn tail (an interrupted append, seq \(torn.firstSeq) on was never acknowledged)"
        case .damaged(let damage):
            what = damage.explanation
            if let after = damage.seqsAfterDamage {
                what += ". Cut from the log: seq \(damage.expectedSeq)–\(after.upperBound)"
            }
        }
        context.stdout.line("\(path): \(what)")
        context.stdout.line(
            "cut \(outcome.cutBytes) bytes at offset \(outcome.cutOffset); saved them to \(outcome.savedCopyPath)")
        context.stdout.line("the log now holds \(outcome.eventsKept) events (last seq \(outcome.eventsKept))")
        if let salvage = outcome.salvage {
            report(salvage, export: export, outcome: outcome, path: path, context: context)
        }
        return .success
    }

    /// Says on stderr what was recovered after the damage, and what was not.
    private static func report(
        _ salvage: SalvageReport, export: RecoveredExport, outcome: LogRepair.Outcome, path: String,
        context: CommandContext
    ) {
        if let recovered = outcome.recoveredPath {
            context.stderr.line(
                "recovered \(export.exported) events (seq \(seqList(salvage.seqRuns))) from valid frames after the "
                    + "damage into \(recovered); re-append them with `parley append --log \(path) < \(recovered)` "
                    + "(their original seq and commit time are kept as \"recovered_seq\" and \"recovered_recorded_at\")"
            )
        } else if salvage.frames > 0 {
            context.stderr.line(
                "valid frames after the damage hold seq \(seqList(salvage.seqRuns)), but none of their events could "
                    + "be exported (they stay in \(outcome.savedCopyPath))")
        } else {
            context.stderr.line("no valid frame of this log follows the damage: no events to recover")
        }
        var warnings: [String] = []
        if let first = export.firstMalformed {
            warnings.append(
                "\(export.malformed) recovered events do not decode and were not exported; first: seq \(first.seq): "
                    + first.reason)
        }
        if export.unknown > 0 {
            warnings.append(
                "\(export.unknown) recovered events of a type or schema version this build does not know were not "
                    + "exported (they stay in \(outcome.savedCopyPath))")
        }
        warnings += salvage.skippedFrames.map { frame in
            "valid frame at offset \(frame.offset) (seq \(frame.seqs.lowerBound)–\(frame.seqs.upperBound)) repeats seqs "
                + "already held; not exported"
        }
        if salvage.scanLimitReached {
            warnings.append("the search for valid frames stopped at its limit; later frames, if any, were not exported")
        }
        for warning in warnings { context.warn(warning) }
    }

    private static func seqList(_ runs: [ClosedRange<UInt64>]) -> String {
        runs.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)" }.joined(separator: ", ")
    }
}

/// Turns recovered frames into JSON Lines for `parley append`, counting what it cannot export.
struct RecoveredExport {
    /// The extra-field names that carry a recovered event's original place in the log.
    static let seqKey = "recovered_seq"
    static let recordedAtKey = "recovered_recorded_at"

    var exported: UInt64 = 0
    var malformed: UInt64 = 0
    var unknown: UInt64 = 0
    var firstMalformed: (seq: UInt64, reason: String)?
    private let encoder = JSONLineEncoder()

    /// One line per decodable event of `frame`.
    mutating func lines(of frame: Frame) -> [UInt8] {
        var out: [UInt8] = []
        for record in frame.events() {
            let decoded: DecodedRecord
            switch record.decoded {
            case .success(let value): decoded = value
            case .failure(let error):
                malformed += 1
                if firstMalformed == nil { firstMalformed = (record.seq, error.reason) }
                continue
            }
            guard case .event(var event) = decoded else {
                unknown += 1
                continue
            }
            event.extras += Self.origin(seq: record.seq, commitTime: frame.commitTime, besides: event.extras)
            encoder.encode(event, into: &out)
            out.append(0x0A)
            exported += 1
        }
        return out
    }

    /// `recovered_seq` and `recovered_recorded_at`; when the event already has either (it was recovered
    /// before), `recovered_seq_2` and `recovered_recorded_at_2`, and so on, so no key repeats.
    static func origin(seq: UInt64, commitTime: Int64, besides extras: [JSONMember]) -> [JSONMember] {
        let keys = Set(extras.map(\.key))
        var suffix = ""
        var n = 1
        while keys.contains(seqKey + suffix) || keys.contains(recordedAtKey + suffix) {
            n += 1
            suffix = "_\(n)"
        }
        return [
            JSONMember(key: seqKey + suffix, value: .number(String(seq))),
            JSONMember(key: recordedAtKey + suffix, value: .string(Timestamp(nanoseconds: commitTime).rfc3339)),
        ]
    }
}
