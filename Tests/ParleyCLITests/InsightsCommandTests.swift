import Foundation
import Testing

/// `parley insights`: the two tables within 100 columns (every column with `--wide`), JSON and CSV with every
/// figure and money as integer minor units, costs read exactly, and exit 64 naming the option and value.
@Suite(.dedicatedThread) struct InsightsCommandTests {
    /// c1 (billing, email): ana replies after 30 min, a refund of 12.50 EUR, resolved after 1 h, scored 5.
    /// c2 (chat, a category name longer than a narrow column): no reply yet. u1 orders before and 18 days
    /// after c1; u2, who never wrote, orders once.
    static let lines = [
        #"{"type":"order_placed","at":"2026-03-01T08:00:00Z","customer":"u1","order_id":"o1","amount":5000,"currency":"EUR"}"#,
        #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"u1","channel":"email","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:00:00Z","conversation":"c1","assignee":"agent:ana"}"#,
        #"{"type":"categorized","at":"2026-03-02T09:01:00Z","conversation":"c1","category":"billing"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:30:00Z","conversation":"c1","author":"agent:ana","body":"b"}"#,
        #"{"type":"compensation_given","at":"2026-03-02T09:40:00Z","conversation":"c1","kind":"refund","amount":1250,"currency":"EUR"}"#,
        #"{"type":"status_changed","at":"2026-03-02T10:00:00Z","conversation":"c1","status":"resolved"}"#,
        #"{"type":"csat_recorded","at":"2026-03-02T11:00:00Z","conversation":"c1","score":5,"channel":"email"}"#,
        #"{"type":"message_received","at":"2026-03-04T09:00:00Z","conversation":"c2","customer":"u3","channel":"chat","body":"hi"}"#,
        #"{"type":"categorized","at":"2026-03-04T09:01:00Z","conversation":"c2","category":"returns-and-exchanges-abroad"}"#,
        #"{"type":"order_placed","at":"2026-03-05T08:00:00Z","customer":"u2","order_id":"o2","amount":700,"currency":"EUR"}"#,
        #"{"type":"order_placed","at":"2026-03-20T08:00:00Z","customer":"u1","order_id":"o3","amount":5000,"currency":"EUR"}"#,
    ]

    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        #expect(InProcess.run(["init", "--log", sandbox.log]).code == 0)
        let append = InProcess.run(
            ["append", "--log", sandbox.log], stdin: Array(lines.map { $0 + "\n" }.joined().utf8))
        #expect(append.code == 0, "\(append)")
        return sandbox
    }

    static let costs = ["--cost-per-touch", "2.50", "--cost-per-hour", "30", "--currency", "EUR"]

    @Test func tablesFitOneHundredColumnsAndWideShowsEveryColumn() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["insights", "--log", sandbox.log] + Self.costs)
        #expect(run.code == 0 && run.stderr.isEmpty, "\(run)")
        let lines = ParleyRun.lines(run.stdout)
        #expect(lines.allSatisfy { $0.count <= 100 }, "\(run)")
        #expect(lines.contains { $0.hasPrefix("billing ") && $0.contains("30m") && $0.contains("32.50") }, "\(run)")
        #expect(lines.contains { $0.hasPrefix("returns-and-exc…") }, "\(run)")
        #expect(lines.contains("contacts per 100 orders: 66.7"), "\(run)")
        let wide = InProcess.run(["insights", "--wide", "--log", sandbox.log] + Self.costs)
        #expect(wide.code == 0, "\(wide)")
        #expect(ParleyRun.lines(wide.stdout).contains { $0.contains("returns-and-exchanges-abroad") && $0.count > 100 })
        #expect(wide.stdout.contains("EUR 12.50") && wide.stdout.contains("rep90"), "\(wide)")
    }

    @Test func jsonCarriesEveryFigureWithMoneyInMinorUnits() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["insights", "--format", "json", "--log", sandbox.log] + Self.costs)
        #expect(run.code == 0, "\(run)")
        let json = try TestJSON.parse(run.stdout)
        #expect(json["orders"]?.intValue == 3 && json["cost_currency"]?.stringValue == "EUR")
        guard case .array(let categories)? = json["by_category"] else {
            Issue.record("no by_category: \(run.stdout)")
            return
        }
        let billing = categories[0]
        #expect(billing["category"]?.stringValue == "billing")
        #expect(billing["frt"]?["p50"]?.intValue == 1800 && billing["resolution"]?["p90"]?.intValue == 3600)
        #expect(billing["csat"]?["mean"]?.intValue == 5 && billing["fcr"]?["count"]?.intValue == 1)
        // 1 touch × 250 + 1 h × 3000 = 3250 minor units: an integer, never a decimal.
        #expect(billing["cost"]?.numberText == "3250", "\(run.stdout)")
        guard case .array(let amounts)? = billing["compensations"]?["amounts"] else {
            Issue.record("no amounts: \(run.stdout)")
            return
        }
        #expect(amounts.first?["amount"]?.numberText == "1250" && amounts.first?["text"]?.stringValue == "12.50")
        // u1 ordered 18 days after the resolve; u2 (no contact) has no second order and 30 days not over.
        #expect(billing["repeat_purchase"]?["within_30_days"]?["repeated"]?.intValue == 1)
        #expect(json["baseline"]?["within_30_days"]?["pending"]?.intValue == 1)
        #expect(json["by_channel"]?.keys == [] && json.keys.contains("by_channel"))
        let until = try TestJSON.parse(
            InProcess.run(["insights", "--format", "json", "--until-seq", "8", "--log", sandbox.log]).stdout)
        #expect(until["until_seq"]?.intValue == 8 && until["orders"]?.intValue == 1)
    }

    @Test func csvHasOneRowPerCategoryChannelAndTotal() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["insights", "--format", "csv", "--log", sandbox.log])
        #expect(run.code == 0, "\(run)")
        let rows = ParleyRun.lines(run.stdout)
        #expect(rows.count == 6, "\(run)")
        #expect(rows[0].hasPrefix("group,key,episodes,share,") && rows[0].contains(",amount_EUR,"))
        #expect(rows[1].hasPrefix("category,billing,1,0.5,"))
        #expect(rows.last?.hasPrefix("total,,2,1,") == true)
    }

    @Test func badValuesExit64NamingTheOptionAndTheValue() throws {
        let sandbox = try Self.sandbox()
        let cases: [([String], String)] = [
            (["--cost-per-touch", "2.505", "--currency", "EUR"], "--cost-per-touch"),
            (["--cost-per-touch", "2.5", "--currency", "JPY"], "\"2.5\""),
            (["--cost-per-hour", "30"], "--cost-per-hour needs --currency"),
            (["--currency", "eur", "--cost-per-hour", "30"], "\"eur\""),
            (["--from", "2026-13-01"], "\"2026-13-01\""),
            (["--from", "2026-03-05", "--to", "2026-03-01"], "after"),
            (["--format", "xml"], "xml"),
            (["--as-of", "2026-03-02T00:00:00Z", "--until-seq", "3"], "exclude"),
        ]
        for (arguments, named) in cases {
            let run = InProcess.run(["insights", "--log", sandbox.log] + arguments)
            #expect(run.code == 64, "\(arguments): \(run)")
            #expect(run.stderr.contains(named), "\(arguments): \(run)")
            #expect(run.stdout.isEmpty, "\(arguments): \(run)")
        }
    }

    @Test func anEmptyWindowSaysSo() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["insights", "--from", "2027-01-01", "--log", sandbox.log])
        #expect(run.code == 0, "\(run)")
        #expect(run.stdout.contains("no episode and no order in the window"), "\(run)")
    }
}
