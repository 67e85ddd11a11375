public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWire

/// What the simulation learns about one conversation from the router's stream: a `conv.*`
/// event (state-carrying: its `item` is the conversation as it now stands) or a snapshot
/// item after a resync. The simulation reacts to the state, so a missed event is repaired by
/// the next one or by the snapshot.
public struct ConversationObservation: Sendable, Equatable {
    public var conversation: ConversationID
    public var state: ConversationState
    public var agent: AgentID?
    /// Messages in the transcript so far (the opening text is number 1).
    public var messageCount: Int
    /// The event type; nil for a snapshot item.
    public var event: String?
    /// The routing rule of an offer or assignment (`sticky`, `skills`, `fallbackStep(2)`…).
    public var rule: String?
    /// The decision's sentence.
    public var reason: String?
    /// Seconds waited before an assignment.
    public var waitedSeconds: Double?
    /// The agent an event names (the decliner of `conversation.declined`, for example).
    public var eventAgent: AgentID?

    public init(
        conversation: ConversationID, state: ConversationState, agent: AgentID?, messageCount: Int,
        event: String? = nil, rule: String? = nil, reason: String? = nil, waitedSeconds: Double? = nil,
        eventAgent: AgentID? = nil
    ) {
        self.conversation = conversation
        self.state = state
        self.agent = agent
        self.messageCount = messageCount
        self.event = event
        self.rule = rule
        self.reason = reason
        self.waitedSeconds = waitedSeconds
        self.eventAgent = eventAgent
    }

    /// Reads a router event (`conversation.*`); nil for anything else.
    public init?(eventType: String, data: JSON) {
        guard eventType.hasPrefix("conversation."), let event = try? ConversationEvent(type: eventType, data: data),
            let item = event.item
        else { return nil }
        var observation = ConversationObservation(item)
        observation.event = eventType
        observation.rule = try? event.rule
        observation.reason = try? event.reason
        observation.waitedSeconds = try? event.fields.optionalDouble("waitedSeconds")
        observation.eventAgent = try? event.agentId
        // The router's item already says `wrapUp` from the close on when a wrap-up follows (it
        // looks ahead in the decision's actions); a wrap-up event is read as wrap-up whatever its
        // item says, so held capacity is never taken for a finished conversation.
        if eventType == "conversation.wrapUpStarted" {
            observation.state = .wrapUp
            observation.agent = observation.eventAgent ?? observation.agent
        }
        self = observation
    }

    /// Reads a conversation item (`conv.<id>` of a snapshot, or an event's `item`).
    public init?(item: JSON) {
        guard let item = try? ConversationItem(json: item) else { return nil }
        self.init(item)
    }

    /// The simulation's part of the wire's conversation item.
    public init(_ item: ConversationItem) {
        self.init(
            conversation: item.conversationId, state: item.state, agent: item.agentId,
            messageCount: item.messageCount)
    }
}
