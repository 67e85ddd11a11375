public import SwitchboardBus
public import SwitchboardRouting

/// The router's sticky item, `sticky.<customerId>` (docs/PROTOCOL.md §6.1): the agent a
/// returning customer goes back to.
public struct StickyItem: Sendable, Hashable {
    public var customerId: CustomerID
    public var agentId: AgentID
    public var lastHandledAt: RoutingInstant
    /// The customer's conversations this agent holds now.
    public var openConversations: Int
    public var topic: String?

    public init(
        customerId: CustomerID, agentId: AgentID, lastHandledAt: RoutingInstant, openConversations: Int,
        topic: String? = nil
    ) {
        self.customerId = customerId
        self.agentId = agentId
        self.lastHandledAt = lastHandledAt
        self.openConversations = openConversations
        self.topic = topic
    }

    /// The item's key, `sticky.<customerId>`.
    public var key: String { "sticky.\(customerId)" }

    public var json: JSON {
        [
            "customerId": .string(customerId.rawValue), "agentId": .string(agentId.rawValue),
            "lastHandledAt": .int(lastHandledAt.millisecondsSinceEpoch),
            "openConversations": .number(openConversations), "topic": .optional(topic),
        ]
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "sticky item")
        self.init(
            customerId: try fields.identifier("customerId"), agentId: try fields.identifier("agentId"),
            lastHandledAt: try fields.instant("lastHandledAt"), openConversations: try fields.int("openConversations"),
            topic: try fields.optionalString("topic"))
    }
}
