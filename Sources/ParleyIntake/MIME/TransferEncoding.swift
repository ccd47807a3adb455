/// Content-Transfer-Encoding decoders (RFC 2045). Both are tolerant and never fail.
public enum TransferEncoding {
    /// Quoted-printable: `=` before a line break is a soft break (removed), `=XX` is a byte (either case of
    /// hex), any other `=` is kept literally; whitespace at the end of an encoded line is dropped; hard line
    /// breaks are kept as written (CRLF or LF).
    public static func decodeQuotedPrintable(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var lineStart = 0
        var protected = 0
        var index = 0
        func trimTrailingSpace() {
            while out.count > max(lineStart, protected), let last = out.last, last == 0x20 || last == 0x09 {
                out.removeLast()
            }
        }
        while index < input.count {
            let byte = input[index]
            if byte == 0x3D {
                var after = index + 1
                while after < input.count && (input[after] == 0x20 || input[after] == 0x09) { after += 1 }
                protected = out.count
                if after < input.count && input[after] == 0x0A {
                    index = after + 1
                    continue
                }
                if after + 1 < input.count && input[after] == 0x0D && input[after + 1] == 0x0A {
                    index = after + 2
                    continue
                }
                if after == input.count {
                    index = after
                    continue
                }
                if index + 2 < input.count, let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2])
                {
                    out.append(high << 4 | low)
                    protected = out.count
                    index += 3
                    continue
                }
                out.append(byte)
                protected = out.count
                index += 1
            } else if byte == 0x0A || (byte == 0x0D && index + 1 < input.count && input[index + 1] == 0x0A) {
                trimTrailingSpace()
                if byte == 0x0D { out.append(0x0D) }
                out.append(0x0A)
                index += byte == 0x0D ? 2 : 1
                lineStart = out.count
            } else {
                out.append(byte)
                index += 1
            }
        }
        trimTrailingSpace()
        return out
    }

    /// Base64: bytes outside the alphabet (whitespace, junk) are skipped, decoding stops at `=`, missing
    /// padding is tolerated, and a lone trailing sextet (which carries no whole byte) is dropped.
    public static func decodeBase64(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 4 * 3)
        var accumulator: UInt32 = 0
        var count = 0
        loop: for byte in bytes {
            let value: UInt32
            switch byte {
            case 0x41...0x5A: value = UInt32(byte - 0x41)
            case 0x61...0x7A: value = UInt32(byte - 0x61 + 26)
            case 0x30...0x39: value = UInt32(byte - 0x30 + 52)
            case 0x2B, 0x2D: value = 62
            case 0x2F, 0x5F: value = 63
            case 0x3D: break loop
            default: continue
            }
            accumulator = accumulator << 6 | value
            count += 1
            if count == 4 {
                out.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                out.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                out.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator = 0
                count = 0
            }
        }
        if count == 2 {
            out.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        } else if count == 3 {
            out.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            out.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        }
        return out
    }

    /// Decodes by the Content-Transfer-Encoding name; 7bit, 8bit, binary and unknown names pass bytes through.
    public static func decode(_ bytes: some Collection<UInt8>, encoding: String) -> [UInt8] {
        switch encoding.trimmingWhitespace.lowercased() {
        case "quoted-printable": decodeQuotedPrintable(bytes)
        case "base64": decodeBase64(bytes)
        default: Array(bytes)
        }
    }
}
