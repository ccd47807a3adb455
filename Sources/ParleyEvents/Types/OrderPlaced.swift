/// `order_placed`: a customer placed an order, at the event's `at`. It names no conversation: orders are
/// what support contacts are measured against (contacts per 100 orders, repeat purchases after a contact).
public struct OrderPlaced: Equatable, Sendable {
    /// The customer who ordered.
    public var customer: String
    /// The order's id in the shop.
    public var orderID: String
    /// The order's value, in minor units of ``currency``.
    public var amount: Int
    /// The ISO 4217 code of the amount's currency: three capital ASCII letters.
    public var currency: String

    /// An event of this type, field by field.
    public init(customer: String, orderID: String, amount: Int, currency: String) {
        self.customer = customer
        self.orderID = orderID
        self.amount = amount
        self.currency = currency
    }
}

extension OrderPlaced: EventType {
    public static let kind = EventKind.orderPlaced
    public static let name: StaticString = "order_placed"
    public var payload: EventPayload { .orderPlaced(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        customer = try fields.identifier("customer", shown: .plain)
        orderID = try fields.identifier("order_id", shown: .label("order"))
        amount = try fields.integer("amount", in: CompensationGiven.amounts, shown: .plain)
        currency = try fields.identifier("currency", shown: .plain)
        try fields.check(
            CustomerProfile.isCurrencyCode(currency), "currency",
            "currency \(JSONLineEncoder.quotedForMessage(currency.utf8)) is not an ISO 4217 code (three capital letters, e.g. EUR)"
        )
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(customer)
        fields.identifier(orderID)
        fields.integer(amount)
        fields.identifier(currency)
    }
}
