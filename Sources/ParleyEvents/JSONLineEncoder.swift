/// Encodes events as compact JSON Lines objects, the inverse of ``JSONLineDecoder``.
///
/// Keys come in a fixed order: `seq` and `recorded_at` (for a ``SequencedEvent``), `type`, `at`, the
/// type's fields in schema order (`conversation` first, for the types that have one), then the extras in
/// their order. Optional fields that are absent are left out; a flag declared always written (`auto`) is
/// written also when false, and a nullable identifier (`assignee`) as `null` when absent. Strings are written as raw UTF-8
/// with only `"`, `\` and control characters escaped.
///
/// An extra whose key is one the encoder already writes for the event (`type`, `at`, `seq`,
/// `recorded_at` or a field of the event's type) is left out: the output would have a duplicate key
/// and could not be read back. Neither ``JSONLineDecoder`` nor ``EventCodec/decode(_:)`` produces such
/// extras (a stored record holding one is malformed), so only an ``Event`` built in code can have them.
public struct JSONLineEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Appends `event` as one JSON object, without a trailing newline.
    /// - Parameters:
    ///   - event: the event to encode.
    ///   - out: the buffer to append to.
    public func encode(_ event: Event, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        appendMembers(of: event, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `event` as one JSON object starting with `seq` and `recorded_at`, without a trailing
    /// newline. This is the form `dump` writes; the decoder ignores those two keys.
    /// - Parameters:
    ///   - event: the event and its place in the log.
    ///   - out: the buffer to append to.
    public func encode(_ event: SequencedEvent, into out: inout [UInt8]) {
        appendRaw("{\"seq\":", to: &out)
        appendDecimal(event.seq, to: &out)
        appendRaw(",\"recorded_at\":\"", to: &out)
        event.recordedAt.appendRFC3339(to: &out)
        appendRaw("\",", to: &out)
        appendMembers(of: event.event, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `"type":…,"at":…` and the rest of the members, without braces.
    private func appendMembers(of event: Event, to out: inout [UInt8]) {
        appendRaw("\"type\":\"", to: &out)
        out.append(contentsOf: event.kind.name.utf8)
        appendRaw("\",\"at\":\"", to: &out)
        event.at.appendRFC3339(to: &out)
        out.append(UInt8(ascii: "\""))

        var writer = JSONFieldWriter(kind: event.kind)
        swap(&out, &writer.out)
        event.payload.write(to: &writer)
        swap(&out, &writer.out)

        guard !event.extras.isEmpty else { return }
        let keys = EventKeys.shared
        for extra in event.extras where !keys.isReserved(extra.key, for: event.kind) {
            out.append(UInt8(ascii: ","))
            Self.appendJSONString(extra.key, to: &out)
            out.append(UInt8(ascii: ":"))
            Self.appendJSON(extra.value, to: &out)
        }
    }

    // MARK: - JSON values

    /// Appends `value` as compact JSON: numbers as their text, object members in order.
    /// - Parameters:
    ///   - value: the value to write.
    ///   - out: the buffer to append to.
    public static func appendJSON(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null:
            appendRaw("null", to: &out)
        case .bool(let bool):
            appendRaw(bool ? "true" : "false", to: &out)
        case .number(let text):
            out.append(contentsOf: text.utf8)
        case .string(let string):
            appendJSONString(string, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendJSON(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendJSONString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendJSON(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `s` as a JSON string literal: `"` and `\` are escaped, control characters are written
    /// as `\b`, `\f`, `\n`, `\r`, `\t` or `\u00XX`, and everything else as raw UTF-8.
    /// - Parameters:
    ///   - s: the string to write.
    ///   - out: the buffer to append to.
    public static func appendJSONString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            // Copy runs of bytes that need no escaping in one go.
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(for: byte, to: &out)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(for byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            appendRaw("u00", to: &out)
            hexDigits.withUTF8Buffer { digits in
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
    }

    /// `bytes` as a JSON string literal for an error message, cut after 64 bytes (with `…`).
    /// Invalid UTF-8 shows as U+FFFD.
    static func quotedForMessage(_ bytes: some Collection<UInt8>) -> String {
        let limit = 64
        var out: [UInt8] = []
        appendJSONString(String(decoding: bytes.prefix(limit), as: UTF8.self), to: &out)
        if bytes.count > limit { out.append(contentsOf: "…".utf8) }
        return String(decoding: out, as: UTF8.self)
    }
}

func appendRaw(_ text: StaticString, to out: inout [UInt8]) {
    text.withUTF8Buffer { out.append(contentsOf: $0) }
}

func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
    let start = out.count
    var rest = value
    repeat {
        out.append(UInt8(ascii: "0") + UInt8(rest % 10))
        rest /= 10
    } while rest > 0
    out[start...].reverse()
}
