public import SwitchboardBus
public import SwitchboardRouting

/// The router's conversation item, `conv.<id>` (the snapshot value and the `item` of every
/// `conversation.*` event; docs/PROTOCOL.md §6.1).
///
/// The state-machine facts consumers need are here, once, each with one meaning:
/// - `isEnded`: closed or abandoned. Nothing more happens to it (no message, no wrap-up).
/// - `isWaiting`: queued, held for its owner or not. Nobody holds it.
/// - `awaitsAgent`: queued or offered: no agent has accepted it yet.
/// - `isInWrapUp`: its agent closed it and still holds the capacity until wrap-up ends.
/// - `wasClosedByAgent`: in wrap-up or closed (an abandoned conversation was never closed).
/// - `isOverForCustomer`: in wrap-up, closed or abandoned: the customer's side is done, only
///   the agent's after-work may remain.
public struct ConversationItem: Sendable, Hashable {
    /// The intent the router found in the opening text, and the product skill it implies.
    public struct Intent: Sendable, Hashable {
        public var intent: String
        /// From 0 to 1; the router writes three decimals.
        public var confidence: Double
        public var skill: String?

        public init(intent: String, confidence: Double, skill: String?) {
            self.intent = intent
            self.confidence = confidence
            self.skill = skill
        }
    }

    public var conversationId: ConversationID
    public var customerId: CustomerID
    public var channel: Channel
    public var queue: QueueID
    public var priority: Int
    public var topic: String?
    public var state: ConversationState
    /// The agent holding it (offered, assigned, in wrap-up or closed by them); nil while waiting.
    public var agentId: AgentID?
    public var requiredSkills: [SkillRequirement]
    public var intent: Intent?
    public var openedAt: RoutingInstant
    public var assignedAt: RoutingInstant?
    /// When it was closed or abandoned.
    public var endedAt: RoutingInstant?
    /// Why it was abandoned: `customer` (the customer left) or `queue-closed` (its queue closed
    /// while it waited and takes no work outside its hours); nil otherwise.
    public var endCause: String?
    /// The rule of the router's last offer or assignment (`sticky`, `skills`, `fallbackStep(2)`…).
    public var rule: String?
    /// The sentence of that decision.
    public var reason: String?
    public var transfers: Int
    public var messageCount: Int

    public init(
        conversationId: ConversationID, customerId: CustomerID, channel: Channel, queue: QueueID, priority: Int = 0,
        topic: String? = nil, state: ConversationState, agentId: AgentID? = nil,
        requiredSkills: [SkillRequirement] = [], intent: Intent? = nil, openedAt: RoutingInstant,
        assignedAt: RoutingInstant? = nil, endedAt: RoutingInstant? = nil, endCause: String? = nil,
        rule: String? = nil, reason: String? = nil, transfers: Int = 0, messageCount: Int = 0
    ) {
        self.conversationId = conversationId
        self.customerId = customerId
        self.channel = channel
        self.queue = queue
        self.priority = priority
        self.topic = topic
        self.state = state
        self.agentId = agentId
        self.requiredSkills = requiredSkills
        self.intent = intent
        self.openedAt = openedAt
        self.assignedAt = assignedAt
        self.endedAt = endedAt
        self.endCause = endCause
        self.rule = rule
        self.reason = reason
        self.transfers = transfers
        self.messageCount = messageCount
    }

    /// The item's key, `conv.<id>`.
    public var key: String { "conv.\(conversationId)" }

    // MARK: State-machine facts

    /// Closed or abandoned: nothing more happens to it.
    public var isEnded: Bool { state.isEnded }
    /// Queued (held for its owner or not): nobody holds it.
    public var isWaiting: Bool { state.isWaiting }
    /// Queued or offered: no agent has accepted it yet.
    public var awaitsAgent: Bool { state == .queued || state == .offered }
    /// Closed by its agent, who still holds the capacity until wrap-up ends.
    public var isInWrapUp: Bool { state == .wrapUp }
    /// Closed by its agent: in wrap-up or closed.
    public var wasClosedByAgent: Bool { state == .wrapUp || state == .closed }
    /// In wrap-up, closed or abandoned: the customer's side is done.
    public var isOverForCustomer: Bool { state == .wrapUp || state.isEnded }

    // MARK: JSON

    static let itemName = "conv item"

    public var json: JSON {
        var object = JSONObject()
        object["conversationId"] = .string(conversationId.rawValue)
        object["customerId"] = .string(customerId.rawValue)
        object["channel"] = .string(channel.rawValue)
        object["queue"] = .string(queue.rawValue)
        object["priority"] = .number(priority)
        object["topic"] = .optional(topic)
        object["state"] = .string(state.rawValue)
        object["agentId"] = .optional(agentId?.rawValue)
        object["requiredSkills"] = .array(requiredSkills.map(\.wireJSON))
        object["intent"] = intent.map(\.json) ?? .null
        object["openedAt"] = .int(openedAt.millisecondsSinceEpoch)
        object["assignedAt"] = assignedAt.wireJSON
        object["endedAt"] = endedAt.wireJSON
        object["endCause"] = .optional(endCause)
        object["rule"] = .optional(rule)
        object["reason"] = .optional(reason)
        object["transfers"] = .number(transfers)
        object["messageCount"] = .number(messageCount)
        return .object(object)
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: Self.itemName)
        self.init(
            conversationId: try fields.identifier("conversationId"), customerId: try fields.identifier("customerId"),
            channel: try fields.oneOf("channel"), queue: try fields.identifier("queue"),
            priority: try fields.int("priority"), topic: try fields.optionalString("topic"),
            state: try fields.oneOf("state"), agentId: try fields.optionalIdentifier("agentId"),
            requiredSkills: try fields.elements("requiredSkills") { value, path throws(WireError) in
                try SkillRequirement(wire: value, item: Self.itemName, path: path)
            },
            intent: try fields.optionalFields("intent").map { intent throws(WireError) in
                Intent(
                    intent: try intent.string("intent"), confidence: try intent.double("confidence"),
                    skill: try intent.optionalString("skill"))
            },
            openedAt: try fields.instant("openedAt"), assignedAt: try fields.optionalInstant("assignedAt"),
            endedAt: try fields.optionalInstant("endedAt"), endCause: try fields.optionalString("endCause"),
            rule: try fields.optionalString("rule"),
            reason: try fields.optionalString("reason"), transfers: try fields.int("transfers"),
            messageCount: try fields.int("messageCount"))
    }
}

extension ConversationItem.Intent {
    public var json: JSON {
        ["intent": .string(intent), "confidence": .double(confidence), "skill": .optional(skill)]
    }
}

extension ConversationState {
    /// Closed or abandoned: nothing more happens to the conversation.
    public var isEnded: Bool { self == .closed || self == .abandoned }
}

extension SkillRequirement {
    /// `{skill, minimumLevel}`.
    public var wireJSON: JSON { ["skill": .string(skill.rawValue), "minimumLevel": .number(minimumLevel)] }

    /// Reads `{skill, minimumLevel}` at `path` of `item`.
    public init(wire json: JSON, item: String, path: String) throws(WireError) {
        let fields = try WireFields(json, item: item, path: path)
        self.init(try fields.identifier("skill", as: SkillID.self), minimumLevel: try fields.int("minimumLevel"))
    }
}

extension Optional where Wrapped == RoutingInstant {
    /// Milliseconds since the Unix epoch, or null.
    var wireJSON: JSON { map { .int($0.millisecondsSinceEpoch) } ?? .null }
}
