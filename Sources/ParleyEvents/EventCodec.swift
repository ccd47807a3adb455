import ParleyLog

/// A record read back from the log.
public enum DecodedRecord: Equatable, Sendable {
    /// An event of a known type and schema version.
    case event(Event)
    /// A record of a type or schema version this build does not know: skip it and count it.
    case unknown(type: UInt8, version: UInt8)
}

/// The binary encoding of one event, as stored in a log record (see docs/FORMAT.md, "Event records").
///
/// ```
/// u8      type            (EventKind raw value)
/// u8      schema version  (the type's version: 1, or 2 for `assigned`)
/// i64 LE  at, ns since the Unix epoch (UTC)
/// i16 LE  at's UTC offset in minutes
/// …       the type's fields, in schema order (its declaration in Types/)
/// varint  number of extra fields, then each: string key, JSON value
/// ```
/// Strings are a LEB128 varint byte count then UTF-8; optional strings store count + 1, with 0 for
/// absent. An optional integer is a presence byte (0, 1) then, if 1, the zigzag varint; a list of
/// identifiers is a varint count + 1 (0 absent) then each string. JSON values are a tag byte (0 null, 1 false, 2 true, 3 number text, 4 string, 5 array,
/// 6 object) then their content. The fields of each type are read and written by its declaration
/// (``EventType``) through ``BinaryFieldReader`` and ``BinaryFieldWriter``.
public enum EventCodec {
    /// The schema version this build writes for every type whose layout never changed.
    public static let schemaVersion: UInt8 = 1

    /// Appends the encoding of `event` to `out`.
    public static func encode(_ event: Event, into out: inout [UInt8]) {
        // The buffer moves into the writer and back (`swap`), so it is never copied.
        var writer = PrefixWriter(at: event.at)
        swap(&out, &writer.fields.out)
        event.payload.visit(&writer)
        writer.fields.out.appendVarint(UInt64(event.extras.count))
        for member in event.extras {
            writer.fields.appendString(member.key)
            writer.fields.appendJSON(member.value)
        }
        swap(&out, &writer.fields.out)
    }

    /// Reads just the type, schema version and event time of a record, without decoding the fields.
    /// - Returns: `nil` when the record is shorter than its 12-byte prefix.
    public static func peek(_ record: ArraySlice<UInt8>) -> (type: UInt8, version: UInt8, at: Timestamp)? {
        var reader = ByteReader(record)
        guard let type = reader.readByte(), let version = reader.readByte(), let nanos = reader.readUInt64(),
            let offset = reader.readUInt16()
        else { return nil }
        return (
            type, version, Timestamp(nanoseconds: Int64(bitPattern: nanos), offsetMinutes: Int16(bitPattern: offset))
        )
    }

    /// Decodes one record.
    /// - Parameter record: the record's bytes (without the frame's length prefix).
    /// - Returns: the event, or ``DecodedRecord/unknown(type:version:)`` for a type or version this
    ///   build does not know.
    /// - Throws: ``EventError`` `.malformedPayload` when a known type's bytes do not decode.
    public static func decode(_ record: ArraySlice<UInt8>) throws(EventError) -> DecodedRecord {
        try decode(record, texts: true)
    }

    /// Decodes one record, optionally without its texts: with `texts: false`, the fields of a text kind
    /// (``EventFieldKind/isText``: `body`, `subject`) come back empty (`""`; an absent optional stays `nil`)
    /// and no `String` is built for them; every identifier (`author`, `assignee`, `team`, `message_id`…) is
    /// kept. Replays that compute projections use it: they never read texts, and message bodies are never
    /// kept in memory for them.
    /// - Parameters:
    ///   - record: the record's bytes.
    ///   - texts: whether to decode the texts.
    ///   - upcasters: what reads the older schema versions of a type; nil for ``EventUpcasters/standard``.
    /// - Throws: ``EventError`` `.malformedPayload` when ``decode(_:)`` would, except that the UTF-8 of
    ///   skipped texts is not checked (``validate(_:)``, used by `verify`, checks everything).
    public static func decode(
        _ record: ArraySlice<UInt8>, texts: Bool, upcasters: EventUpcasters? = nil
    ) throws(EventError) -> DecodedRecord {
        guard let (type, version, at) = peek(record) else { throw malformed("record shorter than its 12-byte prefix") }
        guard let kind = EventKind(rawValue: type) else { return .unknown(type: type, version: version) }
        var fields = ReadingFields(reader: BinaryFieldReader(ByteReader(record), texts: texts))
        fields.reader.reader.index += 12
        var payload: EventPayload
        var upcaster: EventUpcaster?
        if version == kind.version {
            if let problem = prefixProblem(at) { throw malformed(problem) }
            payload = try kind.visitType(&fields)
        } else if let found = (upcasters ?? .standard).upcaster(type: type, version: version) {
            if let problem = prefixProblem(at) { throw malformed(problem) }
            upcaster = found
            payload = try found.read(&fields.reader)
            guard payload.kind == kind else { preconditionFailure("an upcaster of \(kind.name) made another type") }
        } else {
            return .unknown(type: type, version: version)
        }
        guard let extraCount = fields.reader.reader.readVarint(), extraCount <= UInt64(fields.reader.reader.remaining)
        else {
            throw malformed("bad extra-field count")
        }
        var extras: [JSONMember] = []
        for _ in 0..<extraCount {
            extras.append(
                JSONMember(key: try fields.reader.string("extra key"), value: try fields.reader.json(depth: 0)))
        }
        upcaster?.adopt(&extras, into: &payload, texts: texts)
        if let problem = extrasProblem(extras, kind: kind) { throw malformed(problem) }
        guard fields.reader.reader.isAtEnd else {
            throw malformed("\(fields.reader.reader.remaining) unexpected bytes after the event")
        }
        return .event(Event(at: at, payload: payload, extras: extras))
    }

    // MARK: - Pieces

    /// What is wrong with a record's event time, if anything: its UTC offset must be within ±23:59,
    /// as RFC 3339 allows (anything else would print as an `at` that `append` refuses).
    static func prefixProblem(_ at: Timestamp) -> String? {
        abs(Int(at.offsetMinutes)) <= 23 * 60 + 59 ? nil : "UTC offset \(at.offsetMinutes) minutes is out of range"
    }

    /// What is wrong with a record's extras, if anything: an extra may not use a key the event is written
    /// with (`seq`, `recorded_at`, `type`, `at`, or any field of its type, even an optional one that is
    /// absent), and no key may appear twice. `append` never stores such extras; `dump` could not write one
    /// without a duplicate key, so a record holding one is malformed.
    static func extrasProblem(_ extras: [JSONMember], kind: EventKind) -> String? {
        guard !extras.isEmpty else { return nil }
        let keys = EventKeys.shared
        for extra in extras where keys.isReserved(extra.key, for: kind) {
            return "extra field \(quoted(extra.key)) uses a key that \(kind.name) events are written with"
        }
        if let duplicate = firstDuplicateKey(extras) { return "extra field \(quoted(duplicate)) appears twice" }
        return nil
    }

    /// The first key that appears twice among `members` (compared as UTF-8 bytes), if any.
    static func firstDuplicateKey(_ members: [JSONMember]) -> String? {
        guard members.count > 1 else { return nil }
        if members.count == 2 { return members[0].key.utf8.elementsEqual(members[1].key.utf8) ? members[0].key : nil }
        var seen = Set<[UInt8]>()
        for member in members where !seen.insert(Array(member.key.utf8)).inserted { return member.key }
        return nil
    }

    static func quoted(_ key: String) -> String { JSONLineEncoder.quotedForMessage(Array(key.utf8)) }

    private static func malformed(_ reason: String) -> EventError {
        EventError(.malformedPayload, reason: reason)
    }
}

/// Writes the record prefix (type, version, time) and then the fields of the event's type.
private struct PrefixWriter: EventVisitor {
    var fields = BinaryFieldWriter()
    let at: Timestamp

    mutating func visit<T: EventType>(_ event: T) {
        fields.out.append(T.kind.rawValue)
        fields.out.append(T.version)
        fields.out.appendLittleEndian(UInt64(bitPattern: at.nanoseconds))
        fields.out.appendLittleEndian(UInt16(bitPattern: at.offsetMinutes))
        event.write(to: &fields)
    }
}

extension EventKind {
    /// The schema version this build writes for the kind's type.
    public var version: UInt8 {
        var visitor = VersionOf()
        return visitType(&visitor)
    }
}

private struct VersionOf: EventTypeVisitor {
    typealias Failure = Never
    func visit<T: EventType>(_ type: T.Type) -> UInt8 { T.version }
}
