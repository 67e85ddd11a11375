/// "This agent last handled this customer": kept per customer, not per conversation, so
/// this afternoon's follow-up reaches this morning's agent. Closing a conversation keeps
/// it until the window expires; a transfer moves it; removing the agent clears it.
public struct StickyOwnership: Sendable, Hashable, Codable {
    public var customer: CustomerID
    public var agent: AgentID
    /// When the owner last got or finished a conversation of this customer.
    public var lastHandledAt: RoutingInstant
    /// Conversations of this customer the owner has open now (the window cannot lapse meanwhile).
    public var openConversations: Int
    /// The topic of the last conversation, for queues with `sameTopicOnly`.
    public var topic: String?

    public init(
        customer: CustomerID, agent: AgentID, lastHandledAt: RoutingInstant, openConversations: Int = 0,
        topic: String? = nil
    ) {
        self.customer = customer
        self.agent = agent
        self.lastHandledAt = lastHandledAt
        self.openConversations = openConversations
        self.topic = topic
    }
}
