import Testing

@testable import ParleyCLI

/// The human tables: fitted to a width by cutting ids, then dropping columns in rank order, then
/// squeezing clocks (or showing them in a compact form with a legend), and saying so; whole with no
/// width. And CSV quoting.
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

    @Test func squeezesOnlyOnceEveryDroppableColumnIsGoneAndNeverBelowItsLeast() {
        var table = Table([
            Table.Column("id", cutTo: 4), Table.Column("team", dropRank: 1), Table.Column("clock", squeezeTo: 8),
        ])
        table.append(["c-0001", "support", "late 3 business days 6h30m"])
        // Whole: 6 + 7 + 26 + 4 = 43. The id cut to 4 and the team dropped: 32, the clock whole.
        let dropped = table.render(width: 34)
        #expect(dropped.lines == ["id    clock", "c-0…  late 3 business days 6h30m"])
        #expect(dropped.dropped == ["team"] && !dropped.squeezed)
        let squeezed = table.render(width: 16)
        #expect(squeezed.lines[1] == "c-0…  late 3 bu…")
        #expect(squeezed.squeezed && squeezed.cut)
        let least = table.render(width: 5)
        #expect(least.lines[1] == "c-0…  late 3 …")
    }

    @Test func compactCellsAndTheirLegendOnlyWhenTheFullOnesWouldBeSqueezed() {
        func table(_ clock: String) -> Table {
            var table = Table([Table.Column("id"), Table.Column("clock", squeezeTo: 8)])
            table.append(["c1", clock])
            return table
        }
        func printed(width: Int?) -> String {
            let out = Output.capture()
            Table.print(
                full: table("late 3 business days"), compact: table("late 3bd"), legend: "(bd: business day)",
                width: width, to: out)
            return out.text
        }
        #expect(printed(width: 30) == "id  clock\nc1  late 3 business days\n")
        #expect(printed(width: nil) == "id  clock\nc1  late 3 business days\n")
        #expect(printed(width: 16) == "id  clock\nc1  late 3bd\n(bd: business day)\n")
    }

    @Test func csvQuotesOnlyWhatRFC4180Requires() {
        var csv = CSVText(header: ["a", "b"])
        csv.append(["plain", "with, comma"])
        csv.append(["say \"hi\"", "two\r\nlines"])
        #expect(csv.text == "a,b\nplain,\"with, comma\"\n\"say \"\"hi\"\"\",\"two\r\nlines\"\n")
    }
}
