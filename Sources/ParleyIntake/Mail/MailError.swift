/// Why reading a mail container, a `Date:` field or a message's threading headers failed, and where.
public struct MailError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Wraps a private enum so that codes can be added later.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case unreadable, malformedContainer, messageTooLarge, invalidDate
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The file or folder could not be opened, listed or read.
        public static let unreadable = Code(.unreadable)
        /// The container's framing is wrong (an mbox that does not start with a `From ` line, a folder
        /// that is not a Maildir).
        public static let malformedContainer = Code(.malformedContainer)
        /// One message is larger than the reader's limit; it was skipped.
        public static let messageTooLarge = Code(.messageTooLarge)
        /// A `Date:` value is not an RFC 5322 date-time.
        public static let invalidDate = Code(.invalidDate)

        /// A short name for the code, such as `invalid date`.
        public var description: String {
            switch value {
            case .unreadable: "unreadable"
            case .malformedContainer: "malformed container"
            case .messageTooLarge: "message too large"
            case .invalidDate: "invalid date"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// Where it was found.
    public var location: InputLocation
    /// What is wrong, in words: `expected a month name, found "Foo"`.
    public var reason: String

    /// Makes an error from its parts.
    public init(code: Code, location: InputLocation, reason: String) {
        self.code = code
        self.location = location
        self.reason = reason
    }

    /// `inbox.mbox:1:1 (offset 0): malformed container: ...`.
    public var description: String { "\(location): \(code): \(reason)" }
}
