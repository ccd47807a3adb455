/// `customer_linked`: `customer` and `sameAs` are two ids of one person.
public struct CustomerLinked: Equatable, Sendable {
    /// The customer id.
    public var customer: String
    /// Another id of the same person.
    public var sameAs: String

    /// An event of this type, field by field.
    public init(customer: String, sameAs: String) {
        self.customer = customer
        self.sameAs = sameAs
    }
}

extension CustomerLinked: EventType {
    public static let kind = EventKind.customerLinked
    public static let name: StaticString = "customer_linked"
    public var payload: EventPayload { .customerLinked(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        customer = try fields.identifier("customer", shown: .plain)
        sameAs = try fields.identifier("same_as", shown: .label("="))
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(customer)
        fields.identifier(sameAs)
    }
}
