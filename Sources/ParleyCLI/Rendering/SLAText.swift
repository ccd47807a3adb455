import ParleyEvents
import ParleyProjections

/// How SLA clocks read in tables and JSON, shared by `queue`, `sla` and `conversation`.
enum SLAText {
    /// A table cell: `met`, `late +1h05m` (business time over the target), `due in 35m` (calendar time
    /// to the deadline), `paused, 2h left`, `running`, or `-` when no target applies.
    static func cell(_ clock: SLAClockState?, now: Int64) -> String {
        guard let clock else { return "-" }
        let remaining = Double(clock.remaining) / 1e9
        switch clock.phase {
        case .met: return "met"
        case .breached: return "late +" + KPIReport.human(-remaining)
        case .paused: return "paused, " + KPIReport.human(remaining) + " left"
        case .running:
            guard let deadline = clock.deadline else { return "running" }
            return "due in " + KPIReport.human(Duration64.seconds(from: now, to: deadline).seconds)
        }
    }

    /// A JSON object: phase, target, business seconds counted and left, deadline, and calendar seconds
    /// to (or since) the deadline.
    static func json(_ clock: SLAClockState?, now: Int64) -> String {
        guard let clock else { return "null" }
        var fields = [
            "\"state\":\"\(clock.phase.rawValue)\"", "\"target_minutes\":\(clock.targetMinutes)",
            "\"elapsed_business_seconds\":\(seconds(clock.elapsed))",
            "\"remaining_business_seconds\":\(seconds(clock.remaining))",
        ]
        if let deadline = clock.deadline {
            fields.append("\"deadline\":\"\(Timestamp(nanoseconds: deadline).rfc3339)\"")
            let (delta, overflow) = deadline.subtractingReportingOverflow(now)
            fields.append("\"due_in_seconds\":" + (overflow ? "null" : seconds(delta)))
        } else {
            fields.append("\"deadline\":null")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    private static func seconds(_ nanos: Int64) -> String { KPIReport.number(Double(nanos) / 1e9) }
}
