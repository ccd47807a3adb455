import ParleyEvents

/// SLA clocks at a moment: the book holds the policies and their calendars, the episodes their clocks.
extension ConversationBook {
    /// Where the SLA clocks of `episode` stand at `now` (ns); `nil` when no policy measures it.
    public mutating func slaState(of episode: Episode, at now: Int64) -> SLAState? {
        guard let clocks = episode.sla else { return nil }
        return slaState(
            clocks: clocks, start: episode.start, resolved: episode.resolved, priority: episode.priority, at: now)
    }

    /// Where SLA clocks stand at `now` for an episode that started at `start` (ns), was resolved at
    /// `resolved` (if it was) and has `priority`.
    /// `deadlines: false` leaves ``SLAClockState/deadline`` out (reports that only count phases).
    mutating func slaState(
        clocks: SLAClocks, start: Int64, resolved: Int64?, priority: Priority?, at now: Int64, deadlines: Bool = true
    ) -> SLAState {
        let targets = policies[clocks.policy].policy.targets(for: priority)
        var state = SLAState()
        if let minutes = targets?.firstResponse {
            let target = minutes * 60_000_000_000
            if let elapsed = clocks.responseElapsed {
                // A resolve without a response stops the clock: breached if it came too late, else not counted.
                if clocks.responded || elapsed > target {
                    state.firstResponse = SLAClockState(
                        phase: elapsed > target ? .breached : .met, targetMinutes: minutes, elapsed: elapsed,
                        deadline: nil)
                }
            } else {
                let elapsed = policies[clocks.policy].businessNanos(from: start, to: now)
                state.firstResponse = SLAClockState(
                    phase: elapsed > target ? .breached : .running, targetMinutes: minutes, elapsed: elapsed,
                    deadline: deadlines ? policies[clocks.policy].instant(after: target, from: start) : nil)
            }
        }
        if let minutes = targets?.resolution {
            let target = minutes * 60_000_000_000
            var elapsed = clocks.resolutionAccrued
            var deadline: Int64?
            if let since = clocks.runningSince {
                elapsed += policies[clocks.policy].businessNanos(from: since, to: now)
                if deadlines, clocks.resolutionAccrued < target {
                    deadline = policies[clocks.policy].instant(after: target - clocks.resolutionAccrued, from: since)
                }
            }
            let phase: SLAClockState.Phase
            if elapsed > target {
                phase = .breached
            } else if resolved != nil {
                phase = .met
            } else {
                phase = clocks.runningSince == nil ? .paused : .running
            }
            state.resolution = SLAClockState(
                phase: phase, targetMinutes: minutes, elapsed: elapsed, deadline: resolved == nil ? deadline : nil)
        }
        return state
    }
}
