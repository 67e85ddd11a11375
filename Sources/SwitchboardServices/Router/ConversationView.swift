public import SwitchboardBus
public import SwitchboardRouting

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
    }

    public var isEnded: Bool { state == .closed || state == .abandoned }

    mutating func record(_ event: String, at: RoutingInstant, agent: AgentID? = nil, rule: String? = nil, sentence: String) {
        history.append(HistoryEntry(at: at, event: event, agent: agent, rule: rule, sentence: sentence))
        if history.count > Self.historyMax { history.removeFirst(history.count - Self.historyMax) }
    }

    /// The snapshot value and event `item` (the history is left to `explain`).
    public var json: JSON {
        var object = JSONObject()
        object["conversationId"] = .string(id.rawValue)
        object["customerId"] = .string(customer.rawValue)
        object["channel"] = .string(channel.rawValue)
        object["queue"] = .string(queue.rawValue)
        object["priority"] = .number(priority)
        object["topic"] = .optional(topic)
        object["state"] = .string(state.rawValue)
        object["agentId"] = .optional(agent?.rawValue)
        object["requiredSkills"] = .array(requiredSkills.map { ["skill": .string($0.skill.rawValue), "minimumLevel": .number($0.minimumLevel)] })
        if let intent {
            object["intent"] = [
                "intent": .string(intent.intent), "confidence": .double((intent.confidence * 1000).rounded() / 1000),
                "skill": .optional(intent.skill),
            ]
        } else {
            object["intent"] = .null
        }
        object["openedAt"] = .int(openedAt.millisecondsSinceEpoch)
        object["assignedAt"] = assignedAt.map { .int($0.millisecondsSinceEpoch) } ?? .null
        object["endedAt"] = endedAt.map { .int($0.millisecondsSinceEpoch) } ?? .null
        object["rule"] = .optional(rule)
        object["reason"] = .optional(reason)
        object["transfers"] = .number(transfers)
        object["messageCount"] = .number(messageCount)
        return .object(object)
    }

    /// The history as JSON, for `explain`.
    public var historyJSON: JSON {
        .array(
            history.map { entry in
                [
                    "at": .int(entry.at.millisecondsSinceEpoch), "event": .string(entry.event),
                    "agentId": .optional(entry.agent?.rawValue), "rule": .optional(entry.rule),
                    "sentence": .string(entry.sentence),
                ]
            })
    }
}

extension TranscriptMessage {
    public var json: JSON {
        [
            "number": .number(number), "role": .string(role.rawValue), "author": .string(author), "text": .string(text),
            "audience": .string(audience.rawValue), "at": .int(at.millisecondsSinceEpoch),
        ]
    }
}

extension AgentLoad {
    /// The snapshot value and event `item` of `agent.<id>`.
    public func json(name: String, role: RoleID, awayReason: String?) -> JSON {
        func counts(_ counts: ChannelCounts) -> JSON {
            var object = JSONObject()
            for channel in Channel.allCases { object[channel.rawValue] = .number(counts[channel]) }
            return .object(object)
        }
        return [
            "agentId": .string(agent.rawValue), "name": .string(name), "role": .string(role.rawValue),
            "presence": .string(presence.rawValue), "load": counts(load), "live": counts(live),
            "capacity": counts(capacity), "awayReason": .optional(awayReason),
        ]
    }
}
