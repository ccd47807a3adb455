import ParleyIntake

/// Something an importer met in its input and did not turn into an event as it stood: a message or row
/// it skipped, or one it imported but with a loss worth telling (an undecodable charset, a missing date).
/// Importers never stop at one bad record; they collect these and go on.
public struct ImportIssue: Equatable, Sendable, CustomStringConvertible {
    /// Whether the record was left out or imported with a loss.
    public enum Severity: String, Sendable {
        /// The record was not imported.
        case skipped
        /// The record was imported; something in it was not (or was guessed).
        case warning
    }

    /// Where the record is: file, offset, line and column.
    public var location: InputLocation
    /// Skipped or imported with a loss.
    public var severity: Severity
    /// Why, in words that name the header, field or column concerned.
    public var reason: String

    /// An issue at `location`.
    public init(location: InputLocation, severity: Severity, reason: String) {
        self.location = location
        self.severity = severity
        self.reason = reason
    }

    /// `inbox.mbox:120:1 (offset 5120): skipped: no From: header`.
    public var description: String { "\(location): \(severity.rawValue): \(reason)" }
}
