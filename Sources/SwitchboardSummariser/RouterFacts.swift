public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWire

/// The part of the router's conversation item (`conv.<id>`, docs/PROTOCOL.md §6.1) the summariser
/// needs: who holds it, where it is, how many times it moved, whether it ended. Read by the wire's
/// `ConversationItem`, whose state facts it uses.
public struct RouterConversation: Sendable, Hashable {
    public var conversationId: String
    public var queue: String?
    public var state: ConversationState
    public var agentId: String?
    public var transfers: Int
    /// Milliseconds since the Unix epoch, when it closed or was abandoned.
    public var endedAtMilliseconds: Int64?

    public init(
        conversationId: String, queue: String? = nil, state: ConversationState, agentId: String? = nil,
        transfers: Int = 0, endedAtMilliseconds: Int64? = nil
    ) {
        self.conversationId = conversationId
        self.queue = queue
        self.state = state
        self.agentId = agentId
        self.transfers = transfers
        self.endedAtMilliseconds = endedAtMilliseconds
    }

    /// The summariser's part of the wire's item.
    public init(_ item: ConversationItem) {
        self.init(
            conversationId: item.conversationId.rawValue, queue: item.queue.rawValue, state: item.state,
            agentId: item.agentId?.rawValue, transfers: item.transfers,
            endedAtMilliseconds: item.endedAt?.millisecondsSinceEpoch)
    }

    /// Offered to an agent, held by one, closed by one, or transferred: an agent reads its
    /// assistance now or has (a waiting conversation no agent has seen has none).
    public var hasReachedAnAgent: Bool {
        state == .offered || state == .assigned || wasClosed || transfers > 0
    }

    /// Closed or abandoned: no message will follow (`ConversationItem.isEnded`).
    public var isEnded: Bool { state.isEnded }

    /// Closed by its agent, in wrap-up or done (`ConversationItem.wasClosedByAgent`).
    public var wasClosed: Bool { state == .wrapUp || state == .closed }

    /// Reads a conversation item; nil when it is not one.
    public init?(item: JSON) {
        guard let item = try? ConversationItem(json: item) else { return nil }
        self.init(item)
    }
}

/// One step of the router's account of a conversation (`conversation.explain`'s `history`) that the
/// summariser turns into a line of the assistance transcript: a transfer or the close.
public struct RouterHistoryStep: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// To a queue or to an agent (ids, as the step's fields give them; both nil for a step a
        /// router wrote before it gave them).
        case transferred(toQueue: String?, toAgentId: String?, fromAgentId: String?, note: String? = nil)
        case closed(agentId: String?)
    }

    public var atMilliseconds: Int64
    public var kind: Kind

    public init(atMilliseconds: Int64, kind: Kind) {
        self.atMilliseconds = atMilliseconds
        self.kind = kind
    }

    /// The transfer and close steps of an explain result's `history`, oldest first; nil when the
    /// result has no readable history.
    public static func steps(fromExplainResult result: JSON) -> [RouterHistoryStep]? {
        guard let history = try? HistoryStep.history(ofExplainResult: result) else { return nil }
        return history.compactMap { step in
            let at = step.at.millisecondsSinceEpoch
            switch step.event {
            case "transferred":
                return RouterHistoryStep(
                    atMilliseconds: at,
                    kind: .transferred(
                        toQueue: step.transfer?.toQueue?.rawValue, toAgentId: step.transfer?.toAgentId?.rawValue,
                        fromAgentId: (step.transfer?.fromAgentId ?? step.agentId)?.rawValue, note: step.transfer?.note))
            case "closed":
                return RouterHistoryStep(atMilliseconds: at, kind: .closed(agentId: step.agentId?.rawValue))
            default:
                return nil
            }
        }
    }
}

/// What the summariser learns from the router's stream, already read from JSON.
public enum SummariserFact: Sendable {
    /// The router's state (a first snapshot, or a new one after a gap or a router restart).
    case snapshot(RouterSnapshotFacts)
    /// A conversation's item changed (every `conv.*` event carries it).
    case conversation(RouterConversation)
    /// A transcript line (`conversation.message`).
    case message(conversationId: String, TranscriptMessage)
    /// `conversation.transferred`, with the item after it (its `transfers` numbers the transfer).
    case transferred(
        RouterConversation, toQueue: String?, toAgentId: String?, fromAgentId: String?, atMilliseconds: Int64,
        note: String? = nil)
    /// `conversation.closed`.
    case closed(RouterConversation, agentId: String?, atMilliseconds: Int64)
    /// `conversation.abandoned`.
    case abandoned(RouterConversation, atMilliseconds: Int64)
    /// An agent's display name (`agent.*` items), for the transfer and close lines.
    case agentName(agentId: String, name: String)
}

/// The router's snapshot under `conv.`, `transcript.` and `agent.`, read.
public struct RouterSnapshotFacts: Sendable {
    public var conversations: [String: RouterConversation] = [:]
    public var transcripts: [String: [TranscriptMessage]] = [:]
    public var agentNames: [String: String] = [:]

    public init() {}
}

/// Reading the router's items and events (docs/PROTOCOL.md §6.1) into facts. Anything that is
/// not what it should be is skipped (and counted by the caller): the router is trusted to follow
/// its contract, but a consumer never crashes on input.
public enum RouterFacts {
    /// The facts of a snapshot's items.
    public static func snapshot(_ items: [SnapshotItem]) -> RouterSnapshotFacts {
        var facts = RouterSnapshotFacts()
        for item in items {
            guard let value = try? item.value() else { continue }
            if item.key.hasPrefix("conv.") {
                if let conversation = RouterConversation(item: value) {
                    facts.conversations[conversation.conversationId] = conversation
                }
            } else if item.key.hasPrefix("transcript.") {
                // A line that cannot be read is left out; the rest of the transcript still counts.
                guard let transcript = try? TranscriptItem.readingEachMessage(value).item else { continue }
                facts.transcripts[transcript.conversationId.rawValue] = transcript.messages.sorted {
                    $0.number < $1.number
                }
            } else if item.key.hasPrefix("agent."), let agent = try? AgentItem(json: value) {
                facts.agentNames[agent.agentId.rawValue] = agent.name
            }
        }
        return facts
    }

    /// The fact of one event (`type`, its `data`, the publisher's timestamp in microseconds), or nil
    /// when the summariser has no use for it.
    public static func event(type: String, data: JSON, timestampMicroseconds: Int64) -> SummariserFact? {
        let at = timestampMicroseconds / 1_000
        if type.hasPrefix("agent.") {
            guard let item = data["item"], let agent = try? AgentItem(json: item) else { return nil }
            return .agentName(agentId: agent.agentId.rawValue, name: agent.name)
        }
        guard type.hasPrefix("conversation."), let event = try? ConversationEvent(type: type, data: data),
            let item = event.item
        else { return nil }
        let conversation = RouterConversation(item)
        switch type {
        case "conversation.message":
            guard let message = try? event.message else { return nil }
            return .message(conversationId: conversation.conversationId, message)
        case "conversation.transferred":
            guard let transfer = try? event.transfer else { return nil }
            return .transferred(
                conversation, toQueue: transfer.toQueue?.rawValue, toAgentId: transfer.toAgentId?.rawValue,
                fromAgentId: transfer.fromAgentId?.rawValue, atMilliseconds: at, note: transfer.note)
        case "conversation.closed":
            let closer: AgentID? = try? event.agentId
            return .closed(conversation, agentId: closer?.rawValue, atMilliseconds: at)
        case "conversation.abandoned":
            return .abandoned(conversation, atMilliseconds: at)
        default:
            return .conversation(conversation)
        }
    }
}
