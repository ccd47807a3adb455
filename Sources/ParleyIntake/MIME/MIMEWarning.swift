/// Something tolerated while decoding, with where it was found.
public enum MIMEWarning: Equatable, Sendable {
    /// A multipart ended without its closing `--boundary--` line; its last part runs to the end.
    case missingFinalBoundary(InputLocation)
    /// A multipart body has no delimiter line for its boundary at all; it has no children.
    case noBoundaryFound(InputLocation)
    /// A multipart Content-Type has no `boundary` parameter; the part is kept as an opaque leaf.
    case missingBoundaryParameter(InputLocation)
    /// A Content-Transfer-Encoding this module does not know; the bytes were passed through.
    case unknownTransferEncoding(String, InputLocation)
}
