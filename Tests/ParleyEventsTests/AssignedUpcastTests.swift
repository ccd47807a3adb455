import Foundation
import ParleyEvents
import ParleyLog
import Testing

/// `assigned` version 1 (before `by` and `reason`), in logs written before version 2: it decodes as it
/// always did, and an extra it carries under a key version 2 made a field is promoted or renamed.
@Suite struct AssignedUpcastTests {
    /// A version 1 record built by hand: prefix (2026-03-02T09:15:00+01:00), conversation, assignee
    /// (optstring), team (optstring), then the extras, each a string key and a JSON string value.
    static func v1Record(assignee: String?, team: String?, extras: [(String, String)] = []) -> [UInt8] {
        var record: [UInt8] = [EventKind.assigned.rawValue, 1]
        record += [0x00, 0x28, 0x71, 0x0E, 0x27, 0xF8, 0x98, 0x18, 0x3C, 0x00]
        func string(_ text: String) {
            record.append(UInt8(text.utf8.count))
            record += Array(text.utf8)
        }
        func optional(_ text: String?) {
            guard let text else { return record.append(0) }
            record.append(UInt8(text.utf8.count + 1))
            record += Array(text.utf8)
        }
        string("c1")
        optional(assignee)
        optional(team)
        record.append(UInt8(extras.count))
        for (key, value) in extras {
            string(key)
            record.append(4)
            string(value)
        }
        return record
    }

    private func dump(_ record: [UInt8], texts: Bool = true) throws -> String {
        #expect(try EventCodec.validate(record[...]).kind == .assigned)
        guard case .event(let event) = try EventCodec.decode(record[...], texts: texts, upcasters: nil) else {
            Issue.record("not decoded")
            return ""
        }
        var out: [UInt8] = []
        JSONLineEncoder().encode(event, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func appendWritesVersion2() {
        #expect(Assigned.version == 2 && EventKind.assigned.version == 2)
        var record: [UInt8] = []
        EventCodec.encode(
            Event(
                at: Timestamp(nanoseconds: 0, offsetMinutes: 0),
                payload: .assigned(Assigned(conversation: "c", assignee: nil))),
            into: &record)
        #expect(record[1] == 2)
    }

    /// The lines are those the build before version 2 wrote for the same records.
    @Test func aVersion1RecordDumpsExactlyAsBefore() throws {
        let prefix = #"{"type":"assigned","at":"2026-03-02T09:15:00+01:00","conversation":"c1""#
        #expect(
            try dump(Self.v1Record(assignee: "agent:ana", team: "billing")) == prefix
                + #","assignee":"agent:ana","team":"billing"}"#)
        #expect(try dump(Self.v1Record(assignee: nil, team: nil)) == prefix + #","assignee":null}"#)
        #expect(
            try dump(Self.v1Record(assignee: "agent:ana", team: nil, extras: [("source", "crm")]))
                == prefix + #","assignee":"agent:ana","source":"crm"}"#)
    }

    @Test func aVersion1ExtraByOrReasonThatFitsTheFieldIsPromotedIntoIt() throws {
        let record = Self.v1Record(
            assignee: "agent:ana", team: nil, extras: [("reason", "least loaded"), ("x", "1"), ("by", "rule:vip")])
        #expect(
            try dump(record)
                == #"{"type":"assigned","at":"2026-03-02T09:15:00+01:00","conversation":"c1","assignee":"agent:ana","by":"rule:vip","reason":"least loaded","x":"1"}"#
        )
        // Without texts, the promoted reason is blanked like any text.
        #expect(try dump(record, texts: false).contains(#""reason":"","x":"1"}"#))
    }

    @Test func aVersion1ExtraThatDoesNotFitIsKeptRenamed() throws {
        let tooLong = String(repeating: "r", count: Assigned.maxReasonBytes + 1)
        var record = Self.v1Record(assignee: nil, team: nil, extras: [("by", ""), ("by_v1", "taken")])
        #expect(
            try dump(record)
                == #"{"type":"assigned","at":"2026-03-02T09:15:00+01:00","conversation":"c1","assignee":null,"by_v1_v1":"","by_v1":"taken"}"#
        )
        // A reason over the limit (its length needs a two-byte varint, so the record is built here).
        record = Self.v1Record(assignee: nil, team: nil)
        record.removeLast()
        record += [1, 6] + Array("reason".utf8) + [4, 0x81, 0x20] + Array(tooLong.utf8)
        let line = try dump(record)
        #expect(line.hasSuffix(#""assignee":null,"reason_v1":"\#(tooLong)"}"#), "\(line.prefix(120))")
    }

    @Test func aVersion1ExtraWithAKeyVersion1AlreadyReservedStaysMalformed() {
        for extras in [[("team", "t")], [("by", "a"), ("by", "b")]] {
            let record = Self.v1Record(assignee: nil, team: nil, extras: extras)
            #expect(throws: EventError.self) { try EventCodec.decode(record[...]) }
            #expect(throws: EventError.self) { try EventCodec.validate(record[...]) }
        }
    }

    /// `Fixtures/golden/golden-assigned-v1.log` is the golden log as the build before version 2 wrote it
    /// (its `assigned` records are version 1): it still dumps to exactly the golden dump.
    @Test func theGoldenLogWrittenBeforeVersion2DumpsExactlyAsBefore() throws {
        let path = RepositoryFile.root.appendingPathComponent("Fixtures/golden/golden-assigned-v1.log").path
        let reader = try LogReader(path: path)
        var out: [UInt8] = []
        var version1Records = 0
        while let frame = try reader.nextFrame() {
            for record in frame.events() {
                if record.bytes.first == EventKind.assigned.rawValue {
                    #expect(record.bytes.dropFirst().first == 1)
                    version1Records += 1
                }
                JSONLineEncoder().encode(try #require(record.event), into: &out)
                out.append(0x0A)
            }
        }
        #expect(version1Records >= 2)
        let expected = try RepositoryFile.text("Fixtures/golden/golden.dump.jsonl")
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }
}
