import ParleyEvents

extension KPIReportBuilder {
    /// What to tell a person whose filters matched nothing: which value was not found and which exist.
    /// `matched` counts the episodes that passed the filters; `messages` the messages kept, per channel.
    func filterNotes(
        collector: KPIProjection, query: KPIReport.Query, matched: Int, messages: [Int]
    ) -> [String] {
        var notes: [String] = []
        if let category = query.category, collector.categoryIDs[category] == nil {
            let known = collector.categories.sorted()
            notes.append(
                "no episode has category \(category) "
                    + (known.isEmpty ? "(no episode has a category)" : "(categories: \(known.joined(separator: ", ")))")
            )
        }
        if let channel = query.channel, messages.allSatisfy({ $0 == 0 }), matched == 0 {
            var traffic = Set<Channel>()
            for (index, value) in collector.slotCounts.enumerated() where value > 0 {
                if let channel = Channel(rawValue: UInt8(index % KPIProjection.channels)) { traffic.insert(channel) }
            }
            for record in collector.episodes { if let channel = record.channel { traffic.insert(channel) } }
            let names = Channel.allCases.filter { traffic.contains($0) }.map(\.name)
            notes.append(
                "no message or episode on channel \(channel.name) "
                    + (names.isEmpty
                        ? "(no traffic at all)" : "(channels with traffic: \(names.joined(separator: ", ")))"))
        }
        if notes.isEmpty, matched == 0, query.channel != nil || query.category != nil {
            notes.append("no episode matches the filters together")
        }
        return notes
    }
}
