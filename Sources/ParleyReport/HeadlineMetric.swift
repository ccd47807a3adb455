/// A headline figure of the weekly report: how it is named, formatted and judged.
public enum HeadlineMetric: String, CaseIterable, Equatable, Sendable {
    /// Messages received.
    case messages
    /// Episodes started.
    case episodes
    /// First response time p50 (seconds).
    case firstResponseP50
    /// First response time p90 (seconds).
    case firstResponseP90
    /// Resolution time p50 (seconds).
    case resolutionP50
    /// Resolution time p90 (seconds).
    case resolutionP90
    /// First-response SLA attainment (a ratio).
    case slaFirstResponse
    /// Resolution SLA attainment (a ratio).
    case slaResolution
    /// Conversations with an episode open at the end of the week.
    case backlog
    /// Mean CSAT score (1–5).
    case csat

    /// Which way is better.
    public enum Direction: Sendable {
        /// Up is better (SLA attainment, CSAT).
        case higher
        /// Down is better (times, backlog).
        case lower
        /// Neither (volume).
        case neutral
    }

    /// How the page names it.
    public var title: String {
        switch self {
        case .messages: "Messages received"
        case .episodes: "Episodes started"
        case .firstResponseP50: "First response p50"
        case .firstResponseP90: "First response p90"
        case .resolutionP50: "Resolution p50"
        case .resolutionP90: "Resolution p90"
        case .slaFirstResponse: "SLA met: first response"
        case .slaResolution: "SLA met: resolution"
        case .backlog: "Backlog at week end"
        case .csat: "CSAT (mean, 1–5)"
        }
    }

    /// Which way is better.
    public var direction: Direction {
        switch self {
        case .messages, .episodes: .neutral
        case .firstResponseP50, .firstResponseP90, .resolutionP50, .resolutionP90, .backlog: .lower
        case .slaFirstResponse, .slaResolution, .csat: .higher
        }
    }

    /// A value of this figure as the page prints it.
    /// - Parameter value: a count, seconds, a ratio or a mean score; `nil` is ``ReportFormat/absent``.
    public func format(_ value: Double?) -> String {
        guard let value else { return ReportFormat.absent }
        switch self {
        case .messages, .episodes, .backlog: return ReportFormat.integer(Int(value.rounded()))
        case .firstResponseP50, .firstResponseP90, .resolutionP50, .resolutionP90: return ReportFormat.duration(value)
        case .slaFirstResponse, .slaResolution: return ReportFormat.percent(value)
        case .csat: return ReportFormat.decimal(value, digits: 2)
        }
    }

    /// The change from `previous` to `current` as the page prints it, and whether it is good: a relative
    /// change (`↑ 12.5%`) for counts, times and scores; a change in percentage points (`↓ 3.0 pts`) for
    /// attainment. `nil` when either value is absent, or the previous one is zero for a relative change.
    /// - Returns: the text, a word (`better` or `worse`; `more` or `fewer` for volume; `no change`) and the
    ///   verdict (`nil` for volume or no change).
    public func change(from previous: Double?, to current: Double?) -> (text: String, word: String, good: Bool?)? {
        guard let previous, let current else { return nil }
        let delta: Double
        let unit: String
        if direction == .higher && self != .csat {
            delta = (current - previous) * 100
            unit = " pts"
        } else {
            guard previous != 0 else { return nil }
            delta = (current - previous) / abs(previous) * 100
            unit = "%"
        }
        let rounded = ReportFormat.decimal(abs(delta), digits: 1)
        if rounded == "0.0" { return ("= 0.0" + unit, "no change", nil) }
        let arrow = delta > 0 ? "↑ " : "↓ "
        switch direction {
        case .neutral: return (arrow + rounded + unit, delta > 0 ? "more" : "fewer", nil)
        case .higher: return (arrow + rounded + unit, delta > 0 ? "better" : "worse", delta > 0)
        case .lower: return (arrow + rounded + unit, delta < 0 ? "better" : "worse", delta < 0)
        }
    }
}
