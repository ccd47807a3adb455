import ParleyEvents
import Testing

@testable import ParleyProjections

/// The business-day length a policy gives the views (lateness in business days): only when every open
/// day has the same business time.
@Suite struct QueueBusinessDayTests {
    static func policy(_ hours: String) throws -> SLAPolicy {
        let text =
            #"{"time_zone":"Europe/Paris","business_hours":{"# + hours
            + #"},"targets":{"normal":{"first_response":60}}}"#
        return try SLAPolicy(json: JSONParser.parse(ArraySlice(Array(text.utf8))))
    }

    @Test func equalOpenDaysGiveTheirLength() throws {
        let split = try Self.policy(#""monday":["09:00-12:30","13:30-18:00"],"friday":["08:00-16:00"]"#)
        let eightHours: Int64 = 8 * 3_600_000_000_000
        #expect(split.businessDayNanos == eightHours)
    }

    @Test func unequalOrNoOpenDaysGiveNone() throws {
        let shortSaturday = try Self.policy(#""friday":["09:00-17:00"],"saturday":["09:00-12:00"]"#)
        #expect(shortSaturday.businessDayNanos == nil)
        let closed = try Self.policy("")
        #expect(closed.businessDayNanos == nil)
    }
}
