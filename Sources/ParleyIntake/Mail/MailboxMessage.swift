/// One message's raw bytes as a mail container holds them (RFC 5322 header and body, with mbox escaping
/// already undone), and where it was found. The bytes are not parsed; hand them to a MIME parser.
public struct MailboxMessage: Equatable, Sendable {
    /// The message: header, empty line, body, exactly as stored (line endings untouched).
    public var bytes: [UInt8]
    /// Where the message starts: for an mbox, its `From ` line (offset, line, column 1); for a Maildir
    /// file or an `.eml` file, the start of that file.
    public var location: InputLocation
    /// The mbox envelope: the `From ` line without `From ` and its line ending (`alice@example.com Thu
    /// Dec  3 10:00:00 2026`); `nil` when the container has none.
    public var envelope: String?

    /// Makes a message from its parts.
    public init(bytes: [UInt8], location: InputLocation, envelope: String? = nil) {
        self.bytes = bytes
        self.location = location
        self.envelope = envelope
    }
}
