import Foundation
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

extension ConversationView {
    /// The view as the JSON document `Codable` makes of it (the members in the order they are
    /// declared, absent optionals left out), written by hand: the checkpoint writer writes one
    /// per ended conversation, and Foundation's `JSONEncoder` spent most of the router's
    /// checkpoint time on them. Every reader still decodes it with `JSONDecoder` (`explain`, a
    /// transcript request, recovery, `switchboard replay`), so rows written before read the same.
    /// Keep it in step with the stored properties; a test decodes it against `JSONEncoder`'s.
    func documentJSON(encoder: JSONEncoder) throws -> [UInt8] {
        var writer = JSONWriter(capacity: 512 + history.count * 160)
        writer.appendLiteral("{")
        writer.writeKey("id")
        writer.write(id.rawValue)
        writer.appendLiteral(",")
        writer.writeKey("customer")
        writer.write(customer.rawValue)
        writer.appendLiteral(",")
        writer.writeKey("channel")
        writer.write(channel.rawValue)
        writer.appendLiteral(",")
        writer.writeKey("queue")
        writer.write(queue.rawValue)
        writer.appendLiteral(",")
        writer.writeKey("priority")
        writer.write(Int64(priority))
        if let topic {
            writer.appendLiteral(",")
            writer.writeKey("topic")
            writer.write(topic)
        }
        writer.appendLiteral(",")
        writer.writeKey("state")
        writer.write(state.rawValue)
        if let agent {
            writer.appendLiteral(",")
            writer.writeKey("agent")
            writer.write(agent.rawValue)
        }
        writer.appendLiteral(",")
        writer.writeKey("requiredSkills")
        writer.appendLiteral("[")
        for (index, requirement) in requiredSkills.enumerated() {
            if index > 0 { writer.appendLiteral(",") }
            writer.appendLiteral("{")
            writer.writeKey("skill")
            writer.write(requirement.skill.rawValue)
            writer.appendLiteral(",")
            writer.writeKey("minimumLevel")
            writer.write(Int64(requirement.minimumLevel))
            writer.appendLiteral("}")
        }
        writer.appendLiteral("]")
        if let intent {
            writer.appendLiteral(",")
            writer.writeKey("intent")
            if intent.confidence.isFinite {
                writer.appendLiteral("{")
                writer.writeKey("intent")
                writer.write(intent.intent)
                writer.appendLiteral(",")
                writer.writeKey("confidence")
                writer.write(intent.confidence)
                if let skill = intent.skill {
                    writer.appendLiteral(",")
                    writer.writeKey("skill")
                    writer.write(skill)
                }
                writer.appendLiteral("}")
            } else {
                // Not a JSON number: the encoder's own error, as before.
                writer.writeRaw(try encoder.encode(intent))
            }
        }
        writer.appendLiteral(",")
        writer.writeKey("openedAt")
        writer.write(openedAt.millisecondsSinceEpoch)
        if let assignedAt {
            writer.appendLiteral(",")
            writer.writeKey("assignedAt")
            writer.write(assignedAt.millisecondsSinceEpoch)
        }
        if let endedAt {
            writer.appendLiteral(",")
            writer.writeKey("endedAt")
            writer.write(endedAt.millisecondsSinceEpoch)
        }
        if let endCause {
            writer.appendLiteral(",")
            writer.writeKey("endCause")
            writer.write(endCause)
        }
        if let rule {
            writer.appendLiteral(",")
            writer.writeKey("rule")
            writer.write(rule)
        }
        if let reason {
            writer.appendLiteral(",")
            writer.writeKey("reason")
            writer.write(reason)
        }
        writer.appendLiteral(",")
        writer.writeKey("transfers")
        writer.write(Int64(transfers))
        writer.appendLiteral(",")
        writer.writeKey("messageCount")
        writer.write(Int64(messageCount))
        writer.appendLiteral(",")
        writer.writeKey("history")
        writer.appendLiteral("[")
        for (index, entry) in history.enumerated() {
            if index > 0 { writer.appendLiteral(",") }
            try entry.writeDocument(into: &writer, encoder: encoder)
        }
        writer.appendLiteral("]}")
        return writer.bytes
    }
}

extension ConversationView.HistoryEntry {
    /// The entry as `Codable` makes it; see `ConversationView.documentJSON`.
    func writeDocument(into writer: inout JSONWriter, encoder: JSONEncoder) throws {
        writer.appendLiteral("{")
        writer.writeKey("at")
        writer.write(at.millisecondsSinceEpoch)
        writer.appendLiteral(",")
        writer.writeKey("event")
        writer.write(event)
        if let agent {
            writer.appendLiteral(",")
            writer.writeKey("agent")
            writer.write(agent.rawValue)
        }
        if let rule {
            writer.appendLiteral(",")
            writer.writeKey("rule")
            writer.write(rule)
        }
        writer.appendLiteral(",")
        writer.writeKey("sentence")
        writer.write(sentence)
        if let transfer {
            // Rare (a transferred step), and its target is an enum `Codable` encodes in a form of
            // its own: left to the encoder.
            writer.appendLiteral(",")
            writer.writeKey("transfer")
            writer.writeRaw(try encoder.encode(transfer))
        }
        writer.appendLiteral("}")
    }
}
