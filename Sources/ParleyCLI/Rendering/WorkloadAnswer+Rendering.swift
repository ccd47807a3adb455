import ParleyEvents
import ParleyProjections
import ParleyService

extension WorkloadAnswer {
    /// `workload at TIME`, then tables of agents, bots and teams; or a sentence saying there is nothing to
    /// show.
    func render(to out: Output) {
        out.line(
            "workload at \(Timestamp(nanoseconds: now).rfc3339)" + (hasRules ? "" : " (no routing rules in force)"))
        if !hasRules && agents.isEmpty && bots.isEmpty {
            out.line("no routing rules and no agents in the log: nothing to show")
            return
        }
        out.line("")
        if agents.isEmpty {
            out.line("no agents in the log")
        } else {
            out.line("agents (\(agents.count))")
            var table = [["agent", "status", "since", "teams", "open", "capacity", "skills"]]
            for agent in agents {
                table.append([
                    agent.id, agent.status?.name ?? "unknown",
                    agent.since.map { Timestamp(nanoseconds: $0).rfc3339 } ?? "-",
                    Self.list(agent.teams), String(agent.open.count), agent.capacity.map { String($0) } ?? "-",
                    Self.list(agent.skills),
                ])
            }
            Table.print(table, to: out)
        }
        if !bots.isEmpty {
            out.line("")
            out.line("bots (\(bots.count))")
            var table = [["bot", "open", "conversations"]]
            for bot in bots { table.append([bot.id, String(bot.open.count), Self.list(bot.open, limit: 60)]) }
            Table.print(table, to: out)
        }
        guard !teams.isEmpty else { return }
        out.line("")
        out.line("teams (\(teams.count))")
        var table = [["team", "members", "online", "with room", "waiting", "oldest waiting", "since", "waited"]]
        for team in teams {
            table.append([
                team.team, String(team.members), String(team.online), String(team.withRoom), String(team.waiting.count),
                team.oldest ?? "-", team.oldestSince.map { Timestamp(nanoseconds: $0).rfc3339 } ?? "-",
                DurationText.calendar(seconds: team.oldestWaitSeconds),
            ])
        }
        Table.print(table, to: out)
    }

    /// `a, b, c`, cut to `limit` characters; `-` for none.
    private static func list(_ items: [String], limit: Int = 40) -> String {
        guard !items.isEmpty else { return "-" }
        let text = items.joined(separator: ", ")
        return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// `parley workload --format json`: one object with `at`, `rules`, `agents`, `bots` and `teams`; every
    /// list whole.
    func json() -> String {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func time(_ value: Int64?) -> JSONValue { value.map { .string(Timestamp(nanoseconds: $0).rfc3339) } ?? .null }
        func number(_ value: Int?) -> JSONValue { value.map { .number(String($0)) } ?? .null }
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        let agentValues = agents.map { agent in
            JSONValue.object([
                JSONMember(key: "agent", value: .string(agent.id)),
                JSONMember(key: "status", value: .string(agent.status?.name ?? "unknown")),
                JSONMember(key: "since", value: time(agent.since)),
                JSONMember(key: "teams", value: strings(agent.teams)),
                JSONMember(key: "open", value: number(agent.open.count)),
                JSONMember(key: "conversations", value: strings(agent.open)),
                JSONMember(key: "capacity", value: number(agent.capacity)),
                JSONMember(key: "skills", value: strings(agent.skills)),
            ])
        }
        let botValues = bots.map { bot in
            JSONValue.object([
                JSONMember(key: "bot", value: .string(bot.id)), JSONMember(key: "open", value: number(bot.open.count)),
                JSONMember(key: "conversations", value: strings(bot.open)),
            ])
        }
        let teamValues = teams.map { team in
            JSONValue.object([
                JSONMember(key: "team", value: .string(team.team)),
                JSONMember(key: "members", value: number(team.members)),
                JSONMember(key: "online", value: number(team.online)),
                JSONMember(key: "with_room", value: number(team.withRoom)),
                JSONMember(key: "waiting", value: number(team.waiting.count)),
                JSONMember(key: "queue", value: strings(team.waiting)),
                JSONMember(key: "oldest_waiting", value: text(team.oldest)),
                JSONMember(key: "oldest_since", value: time(team.oldestSince)),
                JSONMember(
                    key: "oldest_wait_seconds", value: team.oldestWaitSeconds.map { .number(Self.seconds($0)) } ?? .null
                ),
            ])
        }
        return Format.json(
            JSONValue.object([
                JSONMember(key: "at", value: time(now)), JSONMember(key: "rules", value: .bool(hasRules)),
                JSONMember(key: "agents", value: .array(agentValues)),
                JSONMember(key: "bots", value: .array(botValues)),
                JSONMember(key: "teams", value: .array(teamValues)),
            ]))
    }

    /// Seconds as a JSON number: whole seconds without a fraction, otherwise to the millisecond.
    private static func seconds(_ value: Double) -> String {
        let millis = Int64((value * 1000).rounded())
        if millis % 1000 == 0 { return String(millis / 1000) }
        let fraction = String(abs(millis) % 1000)
        return (millis < 0 && millis > -1000 ? "-" : "") + String(millis / 1000) + "."
            + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
