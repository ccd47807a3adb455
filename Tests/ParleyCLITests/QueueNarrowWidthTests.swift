import Foundation
import Testing

/// The narrow tables of `parley queue` and `parley sla` fit 100 columns whatever the lateness, pause and
/// waiting times: clocks too long for their words read in the compact form (`late 3bd 6h30m`) with a
/// legend, and `--wide` keeps the words.
@Suite(.dedicatedThread) struct QueueNarrowWidthTests {
    /// Business hours 00:00–23:59 every day (23h59m business days, the longest rest a clock can show), a
    /// one-minute first response and a resolution of 5,000,000 minutes (normal) so that the clocks run for
    /// years. Judged in 2099:
    /// - c2 went pending in 2000: first response late by years of business days, resolution paused with
    ///   thousands of business days left.
    /// - a long id, owner and team since 2000, open: both clocks late by years.
    /// - c3, urgent, 30 minutes before the moment: first response late in minutes, resolution due.
    static let lines = [
        #"{"type":"policy_set","at":"2000-01-01T00:00:00Z","policy":{"time_zone":"UTC","business_hours":{"monday":["00:00-23:59"],"tuesday":["00:00-23:59"],"wednesday":["00:00-23:59"],"thursday":["00:00-23:59"],"friday":["00:00-23:59"],"saturday":["00:00-23:59"],"sunday":["00:00-23:59"]},"targets":{"normal":{"first_response":1,"resolution":5000000},"urgent":{"first_response":3,"resolution":4000}}}}"#,
        #"{"type":"message_received","at":"2000-01-01T00:00:00Z","conversation":"conversation-with-a-very-long-id-0001","customer":"ann","channel":"email","body":"Where?"}"#,
        #"{"type":"assigned","at":"2000-01-01T00:00:01Z","conversation":"conversation-with-a-very-long-id-0001","assignee":"agent:maximiliana-von-long-name","team":"a-team-with-a-long-name"}"#,
        #"{"type":"message_received","at":"2000-01-01T00:00:00Z","conversation":"c2","customer":"bob","channel":"email","body":"Where?"}"#,
        #"{"type":"status_changed","at":"2000-01-01T00:00:05Z","conversation":"c2","status":"pending"}"#,
        #"{"type":"message_received","at":"2099-01-01T05:17:00Z","conversation":"c3","customer":"cy","channel":"email","body":"Hi"}"#,
        #"{"type":"categorized","at":"2099-01-01T05:17:00Z","conversation":"c3","category":"a-very-long-category","priority":"urgent"}"#,
    ]

    static let at = ["--at", "2099-01-01T05:47:00Z"]

    /// The legend line under clocks in the compact form, as a reader sees it.
    static let legend = "(SLA: late and left count business time, bd = business day; due in counts calendar time)"

    /// The cells of a table line (cells are separated by at least two spaces; none holds two in a row).
    static func cells(_ line: String) -> [String] {
        line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A full clock text in the compact form the legend explains.
    static func compact(_ cell: String) -> String {
        cell.replacingOccurrences(of: " business days ", with: "bd ")
            .replacingOccurrences(of: " business day ", with: "bd ")
            .replacingOccurrences(of: " business days", with: "bd")
            .replacingOccurrences(of: " business day", with: "bd")
            .replacingOccurrences(of: " business", with: "")
    }

    static func expectNarrow(_ run: InProcess.Result, _ sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.code == 0 && run.stderr.isEmpty, "\(run)", sourceLocation: sourceLocation)
        for line in ParleyRun.lines(run.stdout) {
            #expect(line.count <= 100, "\(line.count): \(line)\n\(run)", sourceLocation: sourceLocation)
        }
    }

    @Test func narrowQueueFitsWithLongClocksInTheCompactFormAndALegend() throws {
        let sandbox = try Sandbox()
        try RecordedLog.write(RecordedLog.decode(Self.lines.joined(separator: "\n")), to: sandbox.log)
        let narrow = InProcess.run(["queue", "--log", sandbox.log] + Self.at)
        let wide = InProcess.run(["queue", "--wide", "--log", sandbox.log] + Self.at)
        Self.expectNarrow(narrow)
        let narrowLines = ParleyRun.lines(narrow.stdout)
        let wideLines = ParleyRun.lines(wide.stdout)
        #expect(wideLines.contains { $0.count > 100 }, "the wide table is the one that does not fit\n\(wide)")
        // The clocks and the waiting time are never the ones left out.
        for header in ["waiting", "first response SLA", "resolution SLA"] {
            #expect(narrowLines[1].contains(header), "\(narrow)")
        }
        #expect(narrowLines.contains(Self.legend), "\(narrow)")
        #expect(!wide.stdout.contains("bd ") && !wide.stdout.contains(Self.legend), "\(wide)")
        // Every clock and waiting time of the wide table is in the narrow one, in the compact form, uncut.
        for id in ["c2", "conversation-with-a-very-long-id-0001", "c3"] {
            let whole = try #require(wideLines.first { $0.hasPrefix(id + " ") }, "\(wide)")
            let wholeCells = Self.cells(whole)
            let short = try #require(
                narrowLines.first { $0.hasPrefix(id + " ") || $0.hasPrefix(String(id.prefix(11)) + "…") },
                "\(narrow)")
            let shortCells = Self.cells(short)
            #expect(Array(shortCells.suffix(2)) == wholeCells.suffix(2).map(Self.compact), "\(narrow)\n\(wide)")
            #expect(shortCells.contains(wholeCells[6]), "waiting \(wholeCells[6]) kept whole\n\(narrow)")
        }
        // The long forms are the wide table's: paused with business days left, late by business days.
        let c2 = Self.cells(try #require(wideLines.first { $0.hasPrefix("c2 ") }))
        let paused = try #require(c2.last)
        #expect(paused.hasPrefix("paused, ") && paused.contains(" business days ") && paused.hasSuffix(" left"))
        #expect(c2[c2.count - 2].hasPrefix("late ") && c2[c2.count - 2].contains(" business days "), "\(wide)")
    }

    @Test func narrowSLATableFitsWithTheSameClocks() throws {
        let sandbox = try Sandbox()
        try RecordedLog.write(RecordedLog.decode(Self.lines.joined(separator: "\n")), to: sandbox.log)
        let narrow = InProcess.run(["sla", "--log", sandbox.log] + Self.at)
        Self.expectNarrow(narrow)
        #expect(narrow.stdout.contains(" business days "), "it fits with the words once columns are left out")
        let wide = InProcess.run(["sla", "--wide", "--log", sandbox.log] + Self.at)
        #expect(wide.stdout.contains("paused, ") && wide.stdout.contains(" business days "), "\(wide)")
    }

    /// The reported case: the demo log judged months and decades later, when every clock is late by
    /// business days and the waiting times run to five digits of days.
    @Test(arguments: ["2026-12-01T00:00:00Z", "2099-01-01T00:00:00Z", "2262-01-01T00:00:00Z"])
    func demoLogQueueAndSLAFitOneHundredColumnsYearsLater(at: String) throws {
        let sandbox = try Sandbox()
        let demo = InProcess.run(["demo", "--log", sandbox.log])
        #expect(demo.code == 0, "\(demo)")
        for command in ["queue", "sla"] {
            Self.expectNarrow(InProcess.run([command, "--at", at, "--log", sandbox.log]))
            let wide = InProcess.run([command, "--wide", "--at", at, "--log", sandbox.log])
            #expect(wide.stdout.contains(" business days ") && !wide.stdout.contains("bd "), "\(wide)")
        }
    }
}
