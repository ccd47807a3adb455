import ParleyEvents

/// An SLA policy, read from the JSON object of a `policy_set` event (docs/PROJECTIONS.md, "SLA policies"):
/// a time zone, business hours per weekday (several windows a day), holidays, and per priority a target
/// for first response and for resolution in business minutes.
public struct SLAPolicy: Equatable, Sendable {
    /// Business windows of one day, in seconds after local midnight: `start < end ≤ 86_400`, sorted,
    /// not overlapping.
    public struct Window: Equatable, Sendable {
        public var start: Int32
        public var end: Int32
    }

    /// The targets for one priority, in business minutes; `nil` where the policy sets none.
    public struct Targets: Equatable, Sendable {
        public var firstResponse: Int64?
        public var resolution: Int64?
    }

    /// A name for people (optional).
    public var name: String?
    /// IANA time zone name, e.g. `Europe/Paris`.
    public var timeZone: String
    /// Windows per weekday, Monday first (index 0) to Sunday (index 6). An empty day is closed.
    public var week: [[Window]]
    /// Local dates (days since 1970-01-01) on which nothing counts.
    public var holidays: Set<Int64>
    /// Targets by priority. An episode without a priority is measured as `normal`.
    public var targets: [Priority: Targets]

    /// The largest target accepted, in minutes (about 19 years).
    public static let maxTargetMinutes: Int64 = 10_000_000

    /// Weekday keys of `business_hours`, Monday first.
    public static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// Reads a policy from the object of a `policy_set` event.
    /// - Throws: ``SLAPolicyError`` naming the field and the reason.
    public init(json: JSONValue) throws(SLAPolicyError) {
        guard case .object(let members) = json else { throw SLAPolicyError(field: "policy", "must be a JSON object") }
        var name: String?
        var zone: String?
        var week: [[Window]]?
        var holidays: Set<Int64> = []
        var targets: [Priority: Targets]?
        for member in members {
            switch member.key {
            case "name": name = try Self.string(member.value, field: "name")
            case "time_zone": zone = try Self.string(member.value, field: "time_zone")
            case "business_hours": week = try Self.week(member.value)
            case "holidays": holidays = try Self.holidays(member.value)
            case "targets": targets = try Self.targets(member.value)
            default:
                throw SLAPolicyError(
                    field: member.key, "unknown field (expected name, time_zone, business_hours, holidays, targets)")
            }
        }
        guard let zone else {
            throw SLAPolicyError(field: "time_zone", "is required (an IANA name such as Europe/Paris)")
        }
        guard ZoneOffsets.isKnown(zone) else {
            throw SLAPolicyError(
                field: "time_zone", "unknown time zone \"\(zone)\" (expected an IANA name such as Europe/Paris)")
        }
        guard let week else { throw SLAPolicyError(field: "business_hours", "is required") }
        guard let targets else { throw SLAPolicyError(field: "targets", "is required") }
        self.name = name
        self.timeZone = zone
        self.week = week
        self.holidays = holidays
        self.targets = targets
    }

    /// Creates a policy from parsed parts (tests, checkpoints).
    public init(
        name: String? = nil, timeZone: String, week: [[Window]], holidays: Set<Int64> = [],
        targets: [Priority: Targets]
    ) {
        self.name = name
        self.timeZone = timeZone
        self.week = week
        self.holidays = holidays
        self.targets = targets
    }

    /// The targets that apply to an episode of `priority` (no priority: `normal`).
    public func targets(for priority: Priority?) -> Targets? { targets[priority ?? .normal] }

    // MARK: Parsing

    private static func string(_ value: JSONValue, field: String) throws(SLAPolicyError) -> String {
        guard case .string(let text) = value, !text.isEmpty else {
            throw SLAPolicyError(field: field, "must be a non-empty string")
        }
        return text
    }

    private static func week(_ value: JSONValue) throws(SLAPolicyError) -> [[Window]] {
        guard case .object(let members) = value else {
            throw SLAPolicyError(field: "business_hours", "must be an object with weekday keys (monday … sunday)")
        }
        var week = [[Window]](repeating: [], count: 7)
        for member in members {
            let field = "business_hours." + member.key
            guard let day = weekdays.firstIndex(of: member.key) else {
                throw SLAPolicyError(field: field, "unknown weekday (expected monday … sunday)")
            }
            guard case .array(let items) = member.value else {
                throw SLAPolicyError(field: field, "must be an array of \"HH:MM-HH:MM\" windows")
            }
            var windows: [Window] = []
            for (index, item) in items.enumerated() {
                let itemField = "\(field)[\(index)]"
                guard case .string(let text) = item, let window = window(text) else {
                    throw SLAPolicyError(
                        field: itemField, "expected a window \"HH:MM-HH:MM\" with start before end (end may be 24:00)")
                }
                windows.append(window)
            }
            windows.sort { $0.start < $1.start }
            for index in windows.indices.dropFirst() where windows[index].start < windows[index - 1].end {
                throw SLAPolicyError(field: field, "windows overlap")
            }
            week[day] = windows
        }
        return week
    }

    /// `"09:00-12:30"` → seconds after midnight.
    static func window(_ text: String) -> Window? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = clock(parts[0]), let end = clock(parts[1]), start < end else { return nil }
        return Window(start: start, end: end)
    }

    /// `"HH:MM"` (00:00 … 24:00) → seconds after midnight.
    private static func clock(_ text: Substring) -> Int32? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":") else { return nil }
        let digits = [bytes[0], bytes[1], bytes[3], bytes[4]]
        guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let hours = Int32(digits[0] - 48) * 10 + Int32(digits[1] - 48)
        let minutes = Int32(digits[2] - 48) * 10 + Int32(digits[3] - 48)
        guard minutes < 60, hours < 24 || (hours == 24 && minutes == 0) else { return nil }
        return hours * 3600 + minutes * 60
    }

    private static func holidays(_ value: JSONValue) throws(SLAPolicyError) -> Set<Int64> {
        guard case .array(let items) = value else {
            throw SLAPolicyError(field: "holidays", "must be an array of dates \"YYYY-MM-DD\"")
        }
        var days: Set<Int64> = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item, text.utf8.count == 10,
                let time = Timestamp(rfc3339: text + "T00:00:00Z")
            else {
                throw SLAPolicyError(field: "holidays[\(index)]", "expected a date \"YYYY-MM-DD\"")
            }
            days.insert(Bucketing(.day).index(of: time.nanoseconds))
        }
        return days
    }

    private static func targets(_ value: JSONValue) throws(SLAPolicyError) -> [Priority: Targets] {
        guard case .object(let members) = value, !members.isEmpty else {
            throw SLAPolicyError(
                field: "targets", "must be a non-empty object with priority keys (low, normal, high, urgent)")
        }
        var targets: [Priority: Targets] = [:]
        for member in members {
            let field = "targets." + member.key
            guard let priority = Priority(name: member.key) else {
                throw SLAPolicyError(field: field, "unknown priority (expected low, normal, high or urgent)")
            }
            guard case .object(let clocks) = member.value else {
                throw SLAPolicyError(
                    field: field, "must be an object {\"first_response\": MINUTES, \"resolution\": MINUTES}")
            }
            var entry = Targets()
            for clock in clocks {
                let clockField = field + "." + clock.key
                guard case .number(let text) = clock.value, let minutes = Int64(text), minutes > 0,
                    minutes <= maxTargetMinutes
                else {
                    throw SLAPolicyError(field: clockField, "must be a whole number of business minutes, 1 to 10000000")
                }
                switch clock.key {
                case "first_response": entry.firstResponse = minutes
                case "resolution": entry.resolution = minutes
                default: throw SLAPolicyError(field: clockField, "unknown target (expected first_response, resolution)")
                }
            }
            targets[priority] = entry
        }
        return targets
    }
}

/// Why a policy was refused: the field (a path such as `business_hours.monday[1]`) and the reason.
public struct SLAPolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "policy field \"\(field)\": \(reason)" }
}
