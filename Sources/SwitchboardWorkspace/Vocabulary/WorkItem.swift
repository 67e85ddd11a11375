public import SwitchboardRouting

/// A piece of work handed to the agent: the router assigned a conversation, or the agent
/// picked up one of their own long-running items again. The workspace opens one session per
/// work item, keyed by its conversation.
public struct WorkItem: Codable, Sendable, Equatable, Hashable {
    /// The conversation (or case) this work is about; it also identifies the session.
    public var conversation: ConversationID
    public var channel: Channel
    public var customer: CustomerID
    public var queue: QueueID
    /// A short topic for the session list ("card declined abroad"), when the router classified one.
    public var topic: String?
    /// Set when the conversation arrives by transfer: the agent joins mid-way, so the summary matters.
    public var transferredFrom: AgentID?

    public init(
        conversation: ConversationID,
        channel: Channel,
        customer: CustomerID,
        queue: QueueID,
        topic: String? = nil,
        transferredFrom: AgentID? = nil
    ) {
        self.conversation = conversation
        self.channel = channel
        self.customer = customer
        self.queue = queue
        self.topic = topic
        self.transferredFrom = transferredFrom
    }
}
