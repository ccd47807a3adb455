/// Builds the MIME tree of one message, within `MIMELimits`.
struct MIMEParser {
    let input: [UInt8]
    let limits: MIMELimits
    let lines: LineIndex
    var warnings: [MIMEWarning] = []
    var partCount = 0

    init(input: [UInt8], limits: MIMELimits, file: String?) {
        self.input = input
        self.limits = limits
        self.lines = LineIndex(input, file: file)
    }

    mutating func parsePart(
        _ bytes: ArraySlice<UInt8>, depth: Int, defaultType: String
    ) throws(MIMEError) -> MIMEPart {
        partCount += 1
        let location = lines.location(bytes.startIndex)
        if partCount > limits.maxParts {
            throw MIMEError(code: .tooManyParts, location: location, reason: "more than \(limits.maxParts) parts")
        }
        let (headers, bodyOffset) = try MessageHeaders.parseBlock(bytes, limits: limits, lines: lines)
        let body = bytes[bodyOffset..<bytes.endIndex]
        var contentType = headers.parameterized("Content-Type") ?? ParameterizedValue(parsing: defaultType)
        if !contentType.value.contains("/") { contentType = ParameterizedValue(parsing: "text/plain") }
        let transferEncoding = (headers["Content-Transfer-Encoding"] ?? "7bit").trimmingWhitespace.lowercased()
        let disposition = headers.parameterized("Content-Disposition")
        let filename = (disposition?.parameter("filename") ?? contentType.parameter("name")).map(EncodedWords.decode)
        var part = MIMEPart(
            headers: headers, contentType: contentType, transferEncoding: transferEncoding,
            disposition: disposition, filename: filename, children: [], decodedSize: 0, content: nil,
            location: location)

        if part.isMultipart {
            if let boundary = contentType.parameter("boundary"), !boundary.isEmpty {
                if depth >= limits.maxDepth {
                    throw MIMEError(
                        code: .nestingTooDeep, location: location,
                        reason: "multiparts nested deeper than \(limits.maxDepth)")
                }
                let childDefault = contentType.value == "multipart/digest" ? "message/rfc822" : "text/plain"
                let split = splitMultipart(body, boundary: Array(boundary.utf8))
                if !split.found {
                    warnings.append(.noBoundaryFound(lines.location(body.startIndex)))
                } else if !split.closed {
                    warnings.append(.missingFinalBoundary(lines.location(body.endIndex)))
                }
                for child in split.parts {
                    part.children.append(try parsePart(child, depth: depth + 1, defaultType: childDefault))
                }
                return part
            }
            warnings.append(.missingBoundaryParameter(location))
        }

        if !["7bit", "8bit", "binary", "quoted-printable", "base64"].contains(transferEncoding) {
            warnings.append(.unknownTransferEncoding(transferEncoding, location))
        }
        let decoded = TransferEncoding.decode(body, encoding: transferEncoding)
        part.decodedSize = decoded.count
        if !part.isAttachment && !part.isMultipart { part.content = decoded }
        return part
    }

    /// Splits a multipart body at delimiter lines (`--boundary`, optional `--`, then only spaces or tabs).
    /// The line break before a delimiter belongs to the delimiter.
    func splitMultipart(
        _ body: ArraySlice<UInt8>, boundary: [UInt8]
    ) -> (parts: [ArraySlice<UInt8>], closed: Bool, found: Bool) {
        let delimiter: [UInt8] = [0x2D, 0x2D] + boundary
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var index = body.startIndex
        let end = body.endIndex
        while index < end {
            var newline = index
            while newline < end && body[newline] != 0x0A { newline += 1 }
            let next = newline < end ? newline + 1 : end
            var lineEnd = newline
            if lineEnd > index && body[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if let isClose = Self.delimiterKind(body[index..<lineEnd], delimiter: delimiter) {
                if let start = partStart {
                    var contentEnd = index
                    if contentEnd > start && body[contentEnd - 1] == 0x0A {
                        contentEnd -= 1
                        if contentEnd > start && body[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                    }
                    parts.append(body[start..<contentEnd])
                }
                if isClose { return (parts, true, true) }
                partStart = next
            }
            index = next
        }
        if let start = partStart { parts.append(body[start..<end]) }
        return (parts, false, partStart != nil)
    }

    /// `nil` if the line is not a delimiter, else whether it is the closing one.
    private static func delimiterKind(_ line: ArraySlice<UInt8>, delimiter: [UInt8]) -> Bool? {
        guard line.count >= delimiter.count, line.prefix(delimiter.count).elementsEqual(delimiter) else {
            return nil
        }
        var rest = line.dropFirst(delimiter.count)
        var isClose = false
        if rest.starts(with: [0x2D, 0x2D]) {
            isClose = true
            rest = rest.dropFirst(2)
        }
        return rest.allSatisfy { $0 == 0x20 || $0 == 0x09 } ? isClose : nil
    }
}
