public import SwitchboardBus
public import SwitchboardRouting

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
        guard eventType.hasPrefix("conversation."), let item = data["item"], !item.isNull,
            var observation = ConversationObservation(item: item)
        else { return nil }
        observation.event = eventType
        observation.rule = data["rule"]?.stringValue
        observation.reason = data["reason"]?.stringValue
        observation.waitedSeconds = data["waitedSeconds"]?.doubleValue
        observation.eventAgent = data["agentId"]?.stringValue.map(AgentID.init)
        // The router's item says `closed` from the close on; the wrap-up that follows still
        // holds the agent's capacity until they end it, so it is a state of its own here.
        if eventType == "conversation.wrapUpStarted" {
            observation.state = .wrapUp
            observation.agent = observation.eventAgent ?? observation.agent
        }
        self = observation
    }

    /// Reads a conversation item (`conv.<id>` of a snapshot, or an event's `item`).
    public init?(item: JSON) {
        guard let id = item["conversationId"]?.stringValue, let stateName = item["state"]?.stringValue,
            let state = ConversationState(rawValue: stateName)
        else { return nil }
        self.init(
            conversation: ConversationID(id), state: state, agent: item["agentId"]?.stringValue.map(AgentID.init),
            messageCount: Int(item["messageCount"]?.intValue ?? 0))
    }
}
