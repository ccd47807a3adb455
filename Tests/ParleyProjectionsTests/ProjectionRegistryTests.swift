import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyProjections

/// The plug-in projections and their checkpoint sections: a section id used twice, or a plug-in taking one
/// of the engine's ids, would make every checkpoint refused ("section N twice") and every query replay the
/// whole log without a word; a section that does not come back as it was written would answer wrongly.
@Suite struct ProjectionRegistryTests {
    @Test func everySectionIdIsUniqueAndPlugInsStayOutOfTheEnginesRange() {
        let plugIns = ProjectionState.registered.map { $0.section }
        let all = [Checkpoint.engineSection, Checkpoint.conversationsSection, KPIProjection.section] + plugIns
        #expect(Set(all.map(\.id)).count == all.count, "section ids: \(all.map(\.id))")
        #expect(Set(all.map(\.name)).count == all.count, "section names: \(all.map(\.name))")
        for section in [KPIProjection.section] + plugIns {
            #expect(section.id >= 16, "\(section.name) uses id \(section.id), in the engine's range 1 … 15")
        }
    }

    @Test func theCustomerDirectoryComesBackFromACheckpointAsItWasReplayed() throws {
        var random = SplitMix64(seed: 5)
        try withTemporaryPath { directory in
            let path = directory + "/log"
            _ = try CheckpointTests.writeLog(People.events, to: path, using: &random)
            let replayed = try ProjectionState.build(path: path, useCheckpoint: false).state
            var original = try #require(replayed.projection(CustomerDirectory.self))
            #expect(original.ids(of: "ann@work") == People.annIDs)

            var decoded = try Checkpoint.decode(
                Checkpoint.encode(replayed, logID: CheckpointTests.logID)[...], logID: CheckpointTests.logID)
            #expect(decoded.projection(CustomerDirectory.self) == nil, "deferred until loaded")
            try decoded.loadDeferredSections()
            var loaded = try #require(decoded.projection(CustomerDirectory.self))
            for id in ["ann", "ann-alt", "ann@work", "bob", "eve", "eve2", "nobody"] {
                #expect(loaded.ids(of: id) == original.ids(of: id), "ids of \(id)")
            }
        }
    }
}
