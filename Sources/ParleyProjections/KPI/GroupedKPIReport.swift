/// What `--group-by` splits a KPI report by. An episode's group: the channel that started it; its
/// category or priority, or its conversation's team or owner (agent), when it ended (or now, if open);
/// its customer's tier from the customer's latest `customer_profile` when it ended (or now).
public enum KPIGrouping: String, Sendable, CaseIterable {
    case channel, category, team, agent, priority, tier
}

/// One group of a grouped report.
public struct KPIGroup: Equatable, Sendable {
    /// The group's value (`email`, `billing`, `agent:maria`, …), or ``KPIReport/noGroup``.
    public var name: String
    public var report: KPIReport
}

/// A KPI report split by ``KPIGrouping``: one report per group value, in name order, `(none)` last.
public struct GroupedKPIReport: Equatable, Sendable {
    public var grouping: KPIGrouping
    public var groups: [KPIGroup]
    /// What a person should know about the answer: filters that matched nothing, with what exists.
    public var notes: [String]
}
