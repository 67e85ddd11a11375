public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWire

/// The router's account of one conversation, as the snapshot (`conv.<id>`) and every event
/// about it (`item`) carry it. Unlike the engine, which forgets a conversation once it is
/// closed, the view stays for the retention period.
public struct ConversationView: Sendable, Hashable, Codable {
    public var id: ConversationID
    public var customer: CustomerID
    public var channel: Channel
    public var queue: QueueID
    public var priority: Int
    public var topic: String?
    public var state: ConversationState
    public var agent: AgentID?
    public var requiredSkills: [SkillRequirement]
    public var intent: DetectedIntent?
    public var openedAt: RoutingInstant
    public var assignedAt: RoutingInstant?
    public var endedAt: RoutingInstant?
    /// Why it was abandoned (`customer`, `queue-closed`); nil otherwise.
    public var endCause: String?
    public var rule: String?
    public var reason: String?
    public var transfers: Int
    public var messageCount: Int
    /// Every decision and change, oldest first, each with its sentence (for `explain`).
    public var history: [HistoryEntry]

    /// The longest history kept per conversation.
    public static let historyMax = 100

    public struct HistoryEntry: Sendable, Hashable, Codable {
        public var at: RoutingInstant
        public var event: String
        public var agent: AgentID?
        public var rule: String?
        public var sentence: String
        /// On a `transferred` entry: where it went and who it was taken from, as fields.
        public var transfer: ConversationTransfer?
    }

    /// Closed or abandoned (the wire's meaning, `ConversationItem.isEnded`).
    public var isEnded: Bool { state.isEnded }

    mutating func record(
        _ event: String, at: RoutingInstant, agent: AgentID? = nil, rule: String? = nil, sentence: String,
        transfer: ConversationTransfer? = nil
    ) {
        history.append(
            HistoryEntry(at: at, event: event, agent: agent, rule: rule, sentence: sentence, transfer: transfer))
        if history.count > Self.historyMax { history.removeFirst(history.count - Self.historyMax) }
    }

    /// The snapshot value and event `item` as the wire type (the history is left to `explain`).
    public var item: ConversationItem {
        ConversationItem(
            conversationId: id, customerId: customer, channel: channel, queue: queue, priority: priority, topic: topic,
            state: state, agentId: agent, requiredSkills: requiredSkills,
            intent: intent.map {
                // Three decimals on the wire: enough to read, and stable across runs.
                ConversationItem.Intent(
                    intent: $0.intent, confidence: ($0.confidence * 1000).rounded() / 1000, skill: $0.skill)
            },
            openedAt: openedAt, assignedAt: assignedAt, endedAt: endedAt, endCause: endCause, rule: rule,
            reason: reason,
            transfers: transfers, messageCount: messageCount)
    }

    /// The snapshot value and event `item` (the history is left to `explain`).
    public var json: JSON { item.json }

    /// The history as JSON, for `explain`.
    public var historyJSON: JSON {
        .array(
            history.map { entry in
                HistoryStep(
                    at: entry.at, event: entry.event, agentId: entry.agent, rule: entry.rule, sentence: entry.sentence,
                    transfer: entry.transfer
                ).json
            })
    }
}

extension AgentLoad {
    /// The snapshot value and event `item` of `agent.<id>`.
    public func item(name: String, role: RoleID, awayReason: String?) -> AgentItem {
        AgentItem(
            agentId: agent, name: name, role: role, presence: presence, load: load, live: live, capacity: capacity,
            awayReason: awayReason)
    }

    /// The snapshot value and event `item` of `agent.<id>`, as JSON.
    public func json(name: String, role: RoleID, awayReason: String?) -> JSON {
        item(name: name, role: role, awayReason: awayReason).json
    }
}
