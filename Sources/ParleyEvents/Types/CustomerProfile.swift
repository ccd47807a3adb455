/// `customer_profile`: what the business knows of a customer: value tier, lifetime value and account
/// manager. Customers linked by `customer_linked` share it (the projections' rule).
public struct CustomerProfile: Equatable, Sendable {
    /// The customer id.
    public var customer: String
    /// The value tier, e.g. `key` or `standard`.
    public var tier: String?
    /// The lifetime value in minor units of ``currency`` (cents for EUR).
    public var lifetimeValue: Int?
    /// The ISO 4217 code of ``lifetimeValue``'s currency: three capital ASCII letters; required with it.
    public var currency: String?
    /// The agent who manages the account, e.g. `agent:maria`.
    public var accountManager: String?

    /// An event of this type, field by field.
    public init(
        customer: String, tier: String? = nil, lifetimeValue: Int? = nil, currency: String? = nil,
        accountManager: String? = nil
    ) {
        self.customer = customer
        self.tier = tier
        self.lifetimeValue = lifetimeValue
        self.currency = currency
        self.accountManager = accountManager
    }

    /// The largest lifetime value: 2^53 − 1, so that every JSON reader keeps it exact.
    public static let maxLifetimeValue = 9_007_199_254_740_991

    /// Whether `code` has the shape of an ISO 4217 code: three ASCII capital letters.
    public static func isCurrencyCode(_ code: String) -> Bool {
        let utf8 = code.utf8
        return utf8.count == 3 && utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }
}

extension CustomerProfile: EventType {
    public static let kind = EventKind.customerProfile
    public static let name: StaticString = "customer_profile"
    public var payload: EventPayload { .customerProfile(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        customer = try fields.identifier("customer", shown: .plain)
        tier = try fields.optionalIdentifier("tier", shown: .label("tier"))
        lifetimeValue = try fields.optionalInteger(
            "lifetime_value", in: 0...Self.maxLifetimeValue, shown: .label("value"))
        currency = try fields.optionalIdentifier("currency", shown: .plain)
        accountManager = try fields.optionalIdentifier("account_manager", shown: .label("manager"))
        if let currency {
            try fields.check(
                Self.isCurrencyCode(currency), "currency",
                "currency \(JSONLineEncoder.quotedForMessage(currency.utf8)) is not an ISO 4217 code (three capital letters, e.g. EUR)"
            )
        }
        try fields.check(lifetimeValue == nil || currency != nil, "currency", "required with lifetime_value")
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(customer)
        fields.optionalIdentifier(tier)
        fields.optionalInteger(lifetimeValue)
        fields.optionalIdentifier(currency)
        fields.optionalIdentifier(accountManager)
    }
}
