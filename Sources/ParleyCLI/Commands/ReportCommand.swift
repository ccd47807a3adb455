import Foundation
import ParleyEvents
import ParleyLog
import ParleyProjections
import ParleyReport
import ParleyService

/// `parley report`: the weekly report as one self-contained HTML page.
enum ReportCommand: Command {
    static let name = "report"
    static let abstract = "The weekly report: one self-contained HTML page to send to the business."
    static let synopsis =
        "--week YYYY-Www --out FILE|- [--tz ZONE] [--at TIME] [--as-of TIME | --until-seq N] [--log PATH]"
    static let discussion = """
        Writes one HTML file with everything inline (CSS and SVG charts; no script, no network, no external
        font), readable on a phone and printable: the week's headline figures against the previous week
        (messages, episodes, first response and resolution p50/p90, SLA attainment, backlog at week end,
        CSAT), volume by channel per day, first response times per day against the SLA target, the backlog
        at the end of each day, SLA attainment per day, categories with money and CSAT, recurring questions
        and the agents' load. Every chart has its numbers in a table beside it. docs/REPORT.md defines each
        figure.

        --week takes an ISO 8601 week, Monday to Sunday: 2026-W10, also written 2026-W1 for week 1; the week
        must exist (W53 only in years that have one). Days are UTC, or local days in --tz ZONE (the
        categories and recurring questions sections count UTC days).
        --out names the file, replaced atomically (written beside it, then renamed; never a directory);
        `-` writes the page to standard output. On success `report` prints where it wrote the page and a
        one-line summary (on standard error with --out -).

        The page depends only on the log: the same log gives the same bytes on any machine.

        Exit codes of report: 0 written; 64 usage (a bad week, zone or option); 73 --out is a directory;
        74 the file could not be written; 1 the log is damaged.
        """
    static let options: [OptionSpec] =
        [
            .log,
            .value("week", "WEEK", "The ISO week to report, e.g. 2026-W10 (required)."),
            .value("tz", "ZONE", "IANA time zone the days and weeks are cut in (default UTC), e.g. Europe/Paris."),
            .value("out", "FILE", "Where to write the page (required); - for standard output."),
            ScopeOptions.noCheckpoint,
        ] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        guard let week = arguments.value("week") else {
            throw .usage("--week is required (an ISO week, e.g. 2026-W10)")
        }
        guard ISOWeek(week) != nil else {
            throw .usage("--week: expected an ISO week that exists, such as 2026-W10 or 2026-W1, got \"\(week)\"")
        }
        guard let out = arguments.value("out"), !out.isEmpty else {
            throw .usage("--out is required (a file, or - for standard output)")
        }
        let zone = arguments.value("tz")
        if let zone, !ZonedBucketing.isKnownZone(zone) {
            throw .usage("--tz: unknown time zone \"\(zone)\" (an IANA name such as Europe/Paris)")
        }
        if out != "-" && Posix.exists(out + "/") {
            throw CLIError(.cannotCreate, "--out \(out): is a directory; name a file")
        }
        if out != "-", let start = existingStart(of: out), !start.isEmpty, !start.starts(with: Array(pageStart.utf8)) {
            // Only a page this command wrote is replaced: never the log, its checkpoint, a cursor or any
            // other file that happens to be named.
            throw CLIError(
                .cannotCreate, "--out \(out): exists and is not an HTML page written by parley report; not replaced")
        }
        let scope = try ScopeOptions.scope(arguments)
        let answer: WeeklyReportAnswer
        do {
            answer = try context.queries(arguments).weeklyReport(week: week, timeZone: zone, scope: scope)
        } catch {
            if error.code == .invalidDate { throw .usage(error.reason) }
            throw CLIError(querying: error)
        }
        context.report(answer.checkpoint)
        let page = WeeklyReportHTML.render(answer.report)
        if out == "-" {
            context.stdout.write(page)
            context.stderr.line(summary(answer.report))
            return .success
        }
        do {
            try AtomicFile.write(Array(page.utf8), to: out)
        } catch {
            throw CLIError(.ioError, "--out \(out): \(error)")
        }
        context.stdout.line("wrote \(out) (\(page.utf8.count) bytes)")
        context.stdout.line(summary(answer.report))
        return .success
    }

    /// How every page starts (``WeeklyReportHTML/render(_:)``).
    static let pageStart = "<!DOCTYPE html>"

    /// The first bytes of the file at `path`, or `nil` when there is none (or it cannot be read: writing it
    /// will then say why).
    static func existingStart(of path: String) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: pageStart.utf8.count) else { return nil }
        return Array(data)
    }

    /// `2026-W10 (Mon 2 Mar – Sun 8 Mar 2026, UTC): 412 messages, 120 episodes, FRT p50 12m 05s, backlog 7`.
    static func summary(_ report: WeeklyReport) -> String {
        func value(_ metric: HeadlineMetric) -> String {
            metric.format(report.headline.first { $0.metric == metric }?.current)
        }
        return report.week + " (" + WeeklyReportHTML.span(report) + ", " + report.timeZone + "): "
            + value(.messages) + " messages, " + value(.episodes) + " episodes, FRT p50 " + value(.firstResponseP50)
            + ", backlog " + value(.backlog)
    }
}
