import ParleyEvents

extension Format {
    /// A JSON object of one count per event type, in type order: `{"message_received":12,…}`.
    /// - Parameter counts: indexed by ``EventKind`` raw value.
    static func countsByType(_ counts: [UInt64]) -> String {
        "{" + EventKind.allCases.map { "\"\($0.name)\":\(counts[Int($0.rawValue)])" }.joined(separator: ",") + "}"
    }
}
