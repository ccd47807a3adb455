/// Checks UTF-8 one byte at a time (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), so
/// that the first bad byte of a field can be located while it streams past.
struct UTF8Validator {
    /// Continuation bytes still expected.
    private var remaining = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Whether no multi-byte sequence is open.
    var isComplete: Bool { remaining == 0 }

    /// Feeds one byte; returns whether the bytes so far are a valid UTF-8 prefix.
    mutating func accept(_ byte: UInt8) -> Bool {
        if remaining > 0 {
            guard byte >= lower && byte <= upper else { return false }
            remaining -= 1
            lower = 0x80
            upper = 0xBF
            return true
        }
        switch byte {
        case 0x00...0x7F: return true
        case 0xC2...0xDF: open(1, 0x80, 0xBF)
        case 0xE0: open(2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: open(2, 0x80, 0xBF)
        case 0xED: open(2, 0x80, 0x9F)
        case 0xF0: open(3, 0x90, 0xBF)
        case 0xF1...0xF3: open(3, 0x80, 0xBF)
        case 0xF4: open(3, 0x80, 0x8F)
        default: return false
        }
        return true
    }

    /// Forgets any open sequence.
    mutating func reset() {
        remaining = 0
        lower = 0x80
        upper = 0xBF
    }

    private mutating func open(_ count: Int, _ lower: UInt8, _ upper: UInt8) {
        remaining = count
        self.lower = lower
        self.upper = upper
    }
}
