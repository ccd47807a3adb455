import Foundation
import Testing

@testable import ParleyCLI

/// The three money types in a golden log of their own (`Fixtures/golden/insights-*`): fixed inputs, clock,
/// log id and salt give exactly the committed bytes, which `dump` and the independent reader
/// (`tools/read_log.py`) both read back to the committed dump. Regenerated like the other golden files
/// (`PARLEY_UPDATE_GOLDEN=1`, see ``GoldenLogTests``).
@Suite(.serialized, .dedicatedThread) struct InsightsGoldenLogTests {
    @Test func theMoneyTypesGoldenLogIsByteForByteStable() throws {
        let bytes = try GoldenLogTests.buildLog(from: "insights-events.jsonl", batchSize: 3)
        try GoldenLogTests.expectFixture("insights.log", equals: bytes)
    }

    @Test func itDumpsToItsGoldenDump() throws {
        let result = GoldenLogTests.dump(GoldenLogTests.golden.appendingPathComponent("insights.log").path)
        #expect(result.code == 0, "\(result.err)")
        try GoldenLogTests.expectFixture("insights.dump.jsonl", equals: result.out)
    }

    @Test func theIndependentReaderReadsItToTheSameDump() throws {
        try GoldenLogTests.expectIndependentReader(reads: "insights.log", to: "insights.dump.jsonl")
    }
}
