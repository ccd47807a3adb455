/// The length of a business day under a policy, for showing business time in business days (the views
/// of `queue`, `sla` and `conversation`).
extension SLAPolicy {
    /// Business time (ns) of one open day when every open weekday has the same business time (`9h` for
    /// nine to five-thirty with a half-hour break, Monday to Friday); `nil` when open days differ (a short
    /// Saturday) or no day is open: then business time is shown in hours.
    public var businessDayNanos: Int64? {
        let lengths = Set(week.map { $0.reduce(Int64(0)) { $0 + Int64($1.end - $1.start) } }.filter { $0 > 0 })
        guard lengths.count == 1, let seconds = lengths.first else { return nil }
        return seconds * 1_000_000_000
    }
}

extension ConversationBook {
    /// The business-day length (ns) of the policy that measures `episode`, if it has one
    /// (``SLAPolicy/businessDayNanos``).
    public func businessDayNanos(of episode: Episode) -> Int64? {
        guard let index = episode.sla?.policy, policies.indices.contains(index) else { return nil }
        return policies[index].policy.businessDayNanos
    }
}
