import ParleyEvents
import ParleyProjections

/// How SLA clocks read in tables and JSON, shared by `queue`, `sla` and `conversation`.
enum SLAText {
    /// A table cell: `met`, `late 27h05m business` (business time over the target; in business days of
    /// `businessDay` ns when the policy has one: `late 3 business days 3h05m`), `due in 35m` (calendar time
    /// to the deadline), `paused, 2h business left`, `running`, or `-` when no target applies.
    ///
    /// `compact` (narrow tables that cannot fit the words) leaves the word `business` out and writes business
    /// days `bd`: `late 3bd 3h05m`, `late 27h05m`, `paused, 2h left`; ``legend`` explains it.
    static func cell(_ clock: SLAClockState?, now: Int64, businessDay: Int64? = nil, compact: Bool = false) -> String {
        guard let clock else { return "-" }
        func business(_ nanos: Int64) -> String {
            DurationText.business(nanos: nanos, businessDay: businessDay, compact: compact)
        }
        switch clock.phase {
        case .met: return "met"
        case .breached: return "late " + business(-clock.remaining)
        case .paused: return "paused, " + business(clock.remaining) + " left"
        case .running:
            guard let deadline = clock.deadline else { return "running" }
            return "due in " + DurationText.between(now, deadline)
        }
    }

    /// The line under a table of ``cell(_:now:businessDay:compact:)`` cells in their compact form.
    static let legend = "(SLA: late and left count business time, bd = business day; due in counts calendar time)"

    /// A JSON object: phase, target, business seconds counted and left (negative: over the target), the
    /// deadline, and calendar seconds to the deadline (negative: since) — seconds at full precision.
    static func json(_ clock: SLAClockState?, now: Int64) -> String {
        guard let clock else { return "null" }
        var fields = JSONFields()
        fields.string("state", clock.phase.rawValue)
        fields.raw("target_minutes", String(clock.targetMinutes))
        fields.seconds("elapsed_business_seconds", nanos: clock.elapsed)
        fields.seconds("remaining_business_seconds", nanos: clock.remaining)
        fields.time("deadline", clock.deadline)
        if let deadline = clock.deadline {
            let (delta, overflow) = deadline.subtractingReportingOverflow(now)
            fields.seconds("due_in_seconds", nanos: overflow ? nil : delta)
        }
        return fields.json
    }

    /// The two CSV fields of a clock: its state (empty when no target applies) and the business seconds
    /// left (negative: over the target).
    static func csv(_ clock: SLAClockState?) -> [String] {
        guard let clock else { return ["", ""] }
        return [clock.phase.rawValue, DurationText.seconds(nanos: clock.remaining)]
    }
}
