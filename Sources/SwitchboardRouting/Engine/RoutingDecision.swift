/// One offer or assignment: who, why, and the presence event it relied on.
public struct RoutingDecision: Sendable, Hashable, Codable {
    public var conversation: ConversationID
    public var customer: CustomerID
    public var queue: QueueID
    public var channel: Channel
    public var agent: AgentID
    public var reason: DecisionReason
    /// The presence event that said the agent was Available.
    public var presenceStamp: PresenceStamp
    public var decidedAt: RoutingInstant

    public init(
        conversation: ConversationID, customer: CustomerID, queue: QueueID, channel: Channel, agent: AgentID,
        reason: DecisionReason, presenceStamp: PresenceStamp, decidedAt: RoutingInstant
    ) {
        self.conversation = conversation
        self.customer = customer
        self.queue = queue
        self.channel = channel
        self.agent = agent
        self.reason = reason
        self.presenceStamp = presenceStamp
        self.decidedAt = decidedAt
    }

    /// The machine-readable rule.
    public var rule: RoutingRule { reason.rule }
}
