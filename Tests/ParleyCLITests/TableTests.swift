import Testing

@testable import ParleyCLI

/// The human tables: fitted to a width by cutting ids, then dropping columns in rank order, and saying
/// so; whole with no width. And CSV quoting.
@Suite struct TableTests {
    static func table() -> Table {
        var table = Table([
            Table.Column("id", cutTo: 6), Table.Column("started", dropRank: 1), Table.Column("team", dropRank: 2),
            Table.Column("waiting"),
        ])
        table.append(["conversation-0001", "2026-03-02T09:00:00Z", "support", "1d14h59m"])
        table.append(["c2", "2026-03-02T10:00:00Z", "sales", "5m"])
        return table
    }

    @Test func wideShowsEveryCellWhole() {
        let rendered = Self.table().render(width: nil)
        #expect(rendered.lines[1] == "conversation-0001  2026-03-02T09:00:00Z  support  1d14h59m")
        #expect(rendered.dropped.isEmpty && !rendered.cut)
    }

    @Test func narrowCutsIdsFirstThenDropsColumnsInRankOrder() {
        // Whole: 17 + 20 + 7 + 8 + 6 = 58. Cutting the id to 6 gives 47; 40 needs `started` gone.
        let cutOnly = Self.table().render(width: 47)
        #expect(cutOnly.lines[1] == "conve…  2026-03-02T09:00:00Z  support  1d14h59m")
        #expect(cutOnly.dropped.isEmpty && cutOnly.cut)
        let dropped = Self.table().render(width: 40)
        #expect(dropped.lines == ["id      team     waiting", "conve…  support  1d14h59m", "c2      sales    5m"])
        #expect(dropped.dropped == ["started"])
        #expect(Self.table().render(width: 20).dropped == ["started", "team"])
        for line in dropped.lines { #expect(line.count <= 40) }
    }

    @Test func printSaysWhatWasLeftOutAndThatWideShowsIt() {
        let out = Output.capture()
        Self.table().print(width: 40, to: out)
        #expect(out.text.hasSuffix("(columns left out: started; long values cut with …; --wide shows all)\n"))
        let whole = Output.capture()
        Self.table().print(width: 100, to: whole)
        #expect(!whole.text.contains("--wide"))
    }

    @Test func csvQuotesOnlyWhatRFC4180Requires() {
        var csv = CSVText(header: ["a", "b"])
        csv.append(["plain", "with, comma"])
        csv.append(["say \"hi\"", "two\r\nlines"])
        #expect(csv.text == "a,b\nplain,\"with, comma\"\n\"say \"\"hi\"\"\",\"two\r\nlines\"\n")
    }
}
