/// One node of a message's MIME tree: a multipart with children, or a leaf with its decoded size (and, for
/// inline text, its decoded bytes; other leaves are measured, not kept).
public struct MIMEPart: Equatable, Sendable {
    /// The part's own header fields (for the root, the message headers).
    public var headers: MessageHeaders
    /// The Content-Type, or the default (`text/plain`, or `message/rfc822` inside `multipart/digest`) when it
    /// is absent or has no `/`. No charset is defaulted: `MIMEMessage.text` reads undeclared text as UTF-8
    /// when valid, else Windows-1252, which real mail needs more often than RFC 2045's US-ASCII.
    public var contentType: ParameterizedValue
    /// The Content-Transfer-Encoding, lowercased (`7bit` when absent).
    public var transferEncoding: String
    /// The Content-Disposition, if present.
    public var disposition: ParameterizedValue?
    /// The file name from Content-Disposition `filename` or else Content-Type `name`, encoded words decoded.
    public var filename: String?
    /// The sub-parts of a multipart, in order (preamble and epilogue ignored); empty for a leaf.
    public var children: [MIMEPart]
    /// The size of the body after transfer decoding (0 for a multipart).
    public var decodedSize: Int
    /// The decoded body bytes, kept only for inline `text/*` leaves.
    public var content: [UInt8]?
    /// Where the part (its header block) starts in the input.
    public var location: InputLocation

    /// The media type, lowercased (`text/plain`).
    public var mediaType: String { contentType.value }
    /// Whether this is a multipart.
    public var isMultipart: Bool { mediaType.hasPrefix("multipart/") }
    /// Whether this leaf is an attachment rather than body text: disposition `attachment`, a file name, or a
    /// type other than `text/*`.
    public var isAttachment: Bool {
        guard !isMultipart else { return false }
        if disposition?.value == "attachment" || filename != nil { return true }
        return !mediaType.hasPrefix("text/")
    }

    /// Makes a part.
    public init(
        headers: MessageHeaders, contentType: ParameterizedValue, transferEncoding: String,
        disposition: ParameterizedValue?, filename: String?, children: [MIMEPart], decodedSize: Int,
        content: [UInt8]?, location: InputLocation
    ) {
        self.headers = headers
        self.contentType = contentType
        self.transferEncoding = transferEncoding
        self.disposition = disposition
        self.filename = filename
        self.children = children
        self.decodedSize = decodedSize
        self.content = content
        self.location = location
    }
}
