import ParleyEvents

/// One episode of a conversation: from the message (or reopening status change) that opened it to the
/// `resolved` that ended it. A conversation never closes; its life is a sequence of episodes.
public struct Episode: Equatable, Sendable {
    /// The conversation.
    public var conversation: String
    /// 1 for the conversation's first episode, 2 for the next, …
    public var number: Int
    /// Event time (ns) of the event that started it.
    public var start: Int64
    /// Sequence number of that event.
    public var startSeq: UInt64
    /// Channel of the message that started it (`nil` when a status change started it).
    public var channel: Channel?
    /// Event time (ns) of the first non-automatic reply inside it, in log order.
    public var firstResponse: Int64?
    /// Non-automatic replies inside it.
    public var touches: Int
    /// Event time (ns) of the `resolved` that ended it; `nil` while it is open.
    public var resolved: Int64?
    /// The conversation's category and priority when the episode ended (or now, if open).
    public var category: String?
    public var priority: Priority?
    /// Its SLA clocks, when a policy was in force at its start.
    public var sla: SLAClocks?

    /// A new episode on a conversation that had one before.
    public var isReopen: Bool { number > 1 }

    /// Whether it is still open.
    public var isOpen: Bool { resolved == nil }
}

/// Durations in seconds, with the rule for events that arrive late: a negative duration is clamped
/// to 0 and counted as an anomaly.
public struct Duration64: Sendable {
    /// Seconds from `from` to `to` (ns), clamped at 0; `clamped` tells whether it had to be.
    public static func seconds(from: Int64, to: Int64) -> (seconds: Double, clamped: Bool) {
        let (delta, overflow) = to.subtractingReportingOverflow(from)
        // More than ~292 years apart: the difference does not fit in Int64 ns, but it does in a Double.
        let seconds = overflow ? (Double(to) - Double(from)) / 1e9 : Double(delta) / 1e9
        return seconds < 0 ? (0, true) : (seconds, false)
    }
}
