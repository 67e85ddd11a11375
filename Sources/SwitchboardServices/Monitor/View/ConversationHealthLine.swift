public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWorkspace

/// A conversation that needs a supervisor's eye (`monitor.conversation.<id>`): its health
/// flags and escalation, as the workspace's `ConversationHealth` judges them.
public struct ConversationHealthLine: Sendable, Equatable {
    public var conversation: ConversationID
    public var customer: CustomerID
    public var queue: QueueID
    public var channel: Channel
    public var state: ConversationState
    public var agent: AgentID?
    public var flags: [HealthFlag]
    public var escalation: Escalation?
    /// The summariser's running summary, when it published one.
    public var summary: String?

    public var json: JSON {
        [
            "conversationId": .string(conversation.rawValue), "customerId": .string(customer.rawValue),
            "queue": .string(queue.rawValue), "channel": .string(channel.rawValue), "state": .string(state.rawValue),
            "agentId": .optional(agent?.rawValue), "flags": .array(flags.map(\.json)),
            "escalation": escalation.map { ["level": .string($0.level.rawValue), "reason": .string($0.reason)] }
                ?? .null,
            "summary": .optional(summary),
        ]
    }
}

extension HealthFlag {
    /// `{"kind": "long-wait", "phrase": "waiting 4m10s for an agent", ...figures}`.
    public var json: JSON {
        var object = JSONObject([("kind", .string(kind.rawValue)), ("phrase", .string(phrase))])
        switch self {
        case .longWait(let seconds): object["seconds"] = .number(seconds)
        case .longSilence(let seconds, let onHold):
            object["seconds"] = .number(seconds)
            object["onHold"] = .bool(onHold)
        case .negativeSentiment(let terms, let score):
            object["terms"] = .array(terms.map(JSON.string))
            object["score"] = .number(score)
        case .repeatedTransfers(let count): object["count"] = .number(count)
        }
        return .object(object)
    }
}
