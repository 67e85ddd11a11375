public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWire
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

    /// The wire item `monitor.conversation.<id>`.
    public var wire: MonitorConversationItem {
        MonitorConversationItem(
            conversationId: conversation, customerId: customer, queue: queue, channel: channel, state: state,
            agentId: agent, flags: flags.map(\.wire),
            escalation: escalation.map {
                .init(level: $0.level == .intervene ? .intervene : .watch, reason: $0.reason)
            },
            summary: summary)
    }

    public var json: JSON { wire.json }
}

extension HealthFlag {
    /// The wire's flag: `{"kind": "long-wait", "phrase": "waiting 4m10s for an agent", ...figures}`.
    public var wire: MonitorConversationItem.Flag {
        switch self {
        case .longWait(let seconds): .longWait(phrase: phrase, seconds: seconds)
        case .longSilence(let seconds, let onHold): .longSilence(phrase: phrase, seconds: seconds, onHold: onHold)
        case .negativeSentiment(let terms, let score): .negativeSentiment(phrase: phrase, terms: terms, score: score)
        case .repeatedTransfers(let count): .repeatedTransfers(phrase: phrase, count: count)
        }
    }

    public var json: JSON { wire.json }
}
