import ParleyEvents
import Testing

/// The upcasting seam, proved with a layout that never existed: a `reply_sent` of schema version 0,
/// without the `auto` byte. Its upcaster turns it into today's `ReplySent` at the decoder.
@Suite struct EventUpcasterTests {
    /// The hypothetical older layout: conversation, author, body.
    struct ReplySentV0 {
        var conversation, author, body: String

        init(reading fields: inout some EventFieldReader) throws(EventError) {
            conversation = try fields.identifier("conversation", shown: .bracketed)
            author = try fields.identifier("author", shown: .label("by"))
            body = try fields.text("body", limit: EventLimits.maxBodyBytes, shown: .plain)
        }
    }

    static let upcasters = EventUpcasters([
        EventUpcaster(kind: .replySent, version: 0) { (fields) throws(EventError) in
            let old = try ReplySentV0(reading: &fields)
            return .replySent(ReplySent(conversation: old.conversation, author: old.author, body: old.body))
        }
    ])

    /// A version-0 record, byte by byte: prefix, three strings, no extras.
    static func oldRecord(cutBy cut: Int = 0) -> [UInt8] {
        var record: [UInt8] = [EventKind.replySent.rawValue, 0]
        record += [0x00, 0x28, 0x71, 0x0E, 0x27, 0xF8, 0x98, 0x18, 0x3C, 0x00]  // 2026-03-02T09:15:00+01:00
        for text in ["c1", "agent:zoë", "Hello"] {
            record.append(UInt8(text.utf8.count))
            record += Array(text.utf8)
        }
        record.append(0)
        return Array(record.dropLast(cut))
    }

    @Test func anOlderVersionWithoutItsUpcasterStaysUnknown() throws {
        let record = Self.oldRecord()
        #expect(try EventCodec.decode(record[...]) == .unknown(type: EventKind.replySent.rawValue, version: 0))
        #expect(try EventCodec.validate(record[...]).kind == nil)
        #expect(EventKind(type: EventKind.replySent.rawValue, version: 0) == nil)
        #expect(EventKind(type: EventKind.replySent.rawValue, version: 1) == .replySent)
    }

    @Test func anOlderVersionIsDecodedIntoTheCurrentShape() throws {
        let record = Self.oldRecord()
        guard case .event(let event) = try EventCodec.decode(record[...], texts: true, upcasters: Self.upcasters)
        else {
            Issue.record("not decoded")
            return
        }
        #expect(event.payload == .replySent(ReplySent(conversation: "c1", author: "agent:zoë", body: "Hello")))
        #expect(event.at.rfc3339 == "2026-03-02T09:15:00+01:00")
        guard case .event(let light) = try EventCodec.decode(record[...], texts: false, upcasters: Self.upcasters)
        else {
            Issue.record("not decoded without texts")
            return
        }
        #expect(light.payload == .replySent(ReplySent(conversation: "c1", author: "agent:zoë", body: "")))
        #expect(try EventCodec.validate(record[...], upcasters: Self.upcasters).kind == .replySent)
        #expect(EventKind(type: EventKind.replySent.rawValue, version: 0, upcasters: Self.upcasters) == .replySent)
        // Re-encoding writes the current version.
        var current: [UInt8] = []
        EventCodec.encode(event, into: &current)
        #expect(current[1] == EventKind.replySent.version)
        #expect(try EventCodec.decode(current[...]) == .event(event))
    }

    @Test func aMalformedOlderRecordIsRefusedByDecodeAndValidateAlike() {
        for cut in 1...8 {
            let record = Self.oldRecord(cutBy: cut)
            #expect(throws: EventError.self, "cut by \(cut)") {
                try EventCodec.decode(record[...], texts: true, upcasters: Self.upcasters)
            }
            #expect(throws: EventError.self, "cut by \(cut)") {
                try EventCodec.validate(record[...], upcasters: Self.upcasters)
            }
        }
    }
}
