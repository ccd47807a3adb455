/// `compensation_given`: the business gave the customer of a conversation something back: a refund, a
/// discount, a credit or a replacement, worth an amount in integer minor units of a currency.
public struct CompensationGiven: Equatable, Sendable {
    /// The conversation it was given in.
    public var conversation: String
    /// What was given.
    public var kind: CompensationKind
    /// What it is worth, in minor units of ``currency`` (cents for EUR, yen for JPY): never a fraction.
    public var amount: Int
    /// The ISO 4217 code of the amount's currency: three capital ASCII letters.
    public var currency: String

    /// An event of this type, field by field.
    public init(conversation: String, kind: CompensationKind, amount: Int, currency: String) {
        self.conversation = conversation
        self.kind = kind
        self.amount = amount
        self.currency = currency
    }

    /// The amounts accepted: 0 … 2^53 − 1, so that every JSON reader keeps them exact.
    public static let amounts = 0...CustomerProfile.maxLifetimeValue
}

/// What a compensation is.
public enum CompensationKind: UInt8, EventEnumeration {
    /// Money paid back.
    case refund = 0
    /// A price reduction.
    case discount
    /// Credit on the customer's account.
    case credit
    /// A product sent again.
    case replacement

    /// The interchange name, e.g. `refund`.
    public var name: String {
        switch self {
        case .refund: "refund"
        case .discount: "discount"
        case .credit: "credit"
        case .replacement: "replacement"
        }
    }
}

extension CompensationGiven: ConversationEvent {
    public static let kind = EventKind.compensationGiven
    public static let name: StaticString = "compensation_given"
    public var payload: EventPayload { .compensationGiven(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        kind = try fields.choice("kind", shown: .plain)
        amount = try fields.integer("amount", in: Self.amounts, shown: .plain)
        currency = try fields.identifier("currency", shown: .plain)
        try fields.check(
            CustomerProfile.isCurrencyCode(currency), "currency",
            "currency \(JSONLineEncoder.quotedForMessage(currency.utf8)) is not an ISO 4217 code (three capital letters, e.g. EUR)"
        )
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(conversation)
        fields.choice(kind)
        fields.integer(amount)
        fields.identifier(currency)
    }
}
