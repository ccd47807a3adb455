import Foundation

/// One email message decoded from its bytes: headers, MIME tree, best body text, and attachments noted.
///
/// Decoding is tolerant where mail is commonly sloppy (see `MIMEWarning`) and throws `MIMEError` where it
/// cannot go on (a malformed header line, limits exceeded). Nested `message/rfc822` parts are not opened:
/// they are noted as attachments. `format=flowed` is not reflowed.
public struct MIMEMessage: Equatable, Sendable {
    /// The root of the MIME tree; its headers are the message headers.
    public var root: MIMEPart
    /// What was tolerated while decoding, in input order.
    public var warnings: [MIMEWarning]

    /// The message header fields.
    public var headers: MessageHeaders { root.headers }
    /// The Subject with encoded words decoded.
    public var subject: String? { root.headers.decoded("Subject") }

    /// Decodes a message; `file` is only used to name locations in errors and warnings.
    public init(bytes: [UInt8], file: String? = nil, limits: MIMELimits = MIMELimits()) throws(MIMEError) {
        guard bytes.count <= limits.maxInputBytes else {
            throw MIMEError(
                code: .inputTooLarge,
                location: InputLocation(file: file, offset: 0, line: 1, column: 1),
                reason: "message of \(bytes.count) bytes is larger than \(limits.maxInputBytes)")
        }
        var parser = MIMEParser(input: bytes, limits: limits, file: file)
        root = try parser.parsePart(bytes[...], depth: 0, defaultType: "text/plain")
        warnings = parser.warnings
    }

    /// Body text and where it came from.
    public struct BodyText: Equatable, Sendable {
        /// Which kind of part the text came from.
        public enum Source: Equatable, Sendable {
            /// A text/plain part.
            case plain
            /// A text/html part, reduced to text.
            case html
        }

        /// The text, with line breaks as LF.
        public var string: String
        /// Which kind of part it came from.
        public var source: Source
        /// Whether the part had bytes invalid in its charset (replaced by U+FFFD).
        public var hadInvalidBytes: Bool

        /// Makes body text.
        public init(string: String, source: Source, hadInvalidBytes: Bool) {
            self.string = string
            self.source = source
            self.hadInvalidBytes = hadInvalidBytes
        }
    }

    /// The best body text: a text/plain part (in a multipart/alternative, the plain alternative), else a
    /// text/html part reduced to text; `nil` when the message has no inline text part. Throws
    /// `unknownCharset` (naming the charset) when the chosen part declares one this module cannot decode.
    /// A part with no charset is read as UTF-8 when valid, else as Windows-1252.
    public var text: BodyText? {
        get throws(MIMEError) {
            guard let part = Self.bestPart(root), let bytes = part.content else { return nil }
            let decoded: DecodedText
            if let charset = part.contentType.parameter("charset") {
                decoded = try MIMECharset.decode(bytes, charset: charset, location: part.location)
            } else {
                let utf8 = MIMECharset.decodeUTF8(bytes)
                decoded = utf8.hadInvalidBytes ? MIMECharset.decodeWindows1252(bytes) : utf8
            }
            let normalized = decoded.string.replacingOccurrences(of: "\r\n", with: "\n")
            if part.mediaType == "text/html" {
                return BodyText(
                    string: HTMLText.text(fromHTML: normalized), source: .html, hadInvalidBytes: decoded.hadInvalidBytes
                )
            }
            return BodyText(string: normalized, source: .plain, hadInvalidBytes: decoded.hadInvalidBytes)
        }
    }

    /// An attachment noted while decoding; its bytes are not kept.
    public struct Attachment: Equatable, Sendable {
        /// The file name, if one was given.
        public var filename: String?
        /// The media type, lowercased.
        public var mediaType: String
        /// The size after transfer decoding.
        public var decodedSize: Int
        /// Where the attachment's part starts.
        public var location: InputLocation

        /// Makes an attachment note.
        public init(filename: String?, mediaType: String, decodedSize: Int, location: InputLocation) {
            self.filename = filename
            self.mediaType = mediaType
            self.decodedSize = decodedSize
            self.location = location
        }
    }

    /// Every attachment leaf in tree order (see `MIMEPart.isAttachment`).
    public var attachments: [Attachment] {
        var found: [Attachment] = []
        func walk(_ part: MIMEPart) {
            if part.isAttachment {
                found.append(
                    Attachment(
                        filename: part.filename, mediaType: part.mediaType, decodedSize: part.decodedSize,
                        location: part.location))
            }
            part.children.forEach(walk)
        }
        walk(root)
        return found
    }

    /// The first inline text/plain leaf, alternatives preferring plain over html; else the first html leaf.
    static func bestPart(_ part: MIMEPart) -> MIMEPart? {
        if !part.isMultipart {
            guard !part.isAttachment, part.mediaType == "text/plain" || part.mediaType == "text/html" else {
                return nil
            }
            return part
        }
        let candidates = part.children.compactMap(bestPart)
        if part.mediaType == "multipart/alternative" {
            return candidates.first { $0.mediaType == "text/plain" } ?? candidates.first
        }
        return candidates.first
    }
}
