public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardWire

/// The part of the router's conversation item (`conv.<id>`, docs/PROTOCOL.md §6.1) the summariser
/// needs: who holds it, where it is, how many times it moved, whether it ended.
public struct RouterConversation: Sendable, Hashable {
    public var conversationId: String
    public var queue: String?
    public var state: String
    public var agentId: String?
    public var transfers: Int
    /// Milliseconds since the Unix epoch, when it closed or was abandoned.
    public var endedAtMilliseconds: Int64?

    public init(
        conversationId: String, queue: String? = nil, state: String, agentId: String? = nil, transfers: Int = 0,
        endedAtMilliseconds: Int64? = nil
    ) {
        self.conversationId = conversationId
        self.queue = queue
        self.state = state
        self.agentId = agentId
        self.transfers = transfers
        self.endedAtMilliseconds = endedAtMilliseconds
    }

    /// Closed or abandoned: no message will follow.
    public var isEnded: Bool { state == "closed" || state == "abandoned" }

    /// Closed by its agent (in wrap-up or done).
    public var wasClosed: Bool { state == "closed" || state == "wrapUp" }

    /// Reads a conversation item; nil when it is not one.
    public init?(item: JSON) {
        guard let id = item["conversationId"]?.stringValue, isValidIdentifier(id),
            let state = item["state"]?.stringValue
        else { return nil }
        self.init(
            conversationId: id, queue: item["queue"]?.stringValue, state: state, agentId: item["agentId"]?.stringValue,
            transfers: Int(item["transfers"]?.intValue ?? 0), endedAtMilliseconds: item["endedAt"]?.intValue)
    }
}

/// One step of the router's account of a conversation (`conversation.explain`'s `history`) that the
/// summariser turns into a line of the assistance transcript: a transfer or the close.
public struct RouterHistoryStep: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// To a queue (its id) or to an agent (their name, as the router's sentence gives it).
        case transferred(toQueue: String?, toAgentName: String?, fromAgentId: String?)
        case closed(agentId: String?)
    }

    public var atMilliseconds: Int64
    public var kind: Kind

    public init(atMilliseconds: Int64, kind: Kind) {
        self.atMilliseconds = atMilliseconds
        self.kind = kind
    }

    /// The transfer and close steps of an explain result's `history`, oldest first.
    public static func steps(fromExplainResult result: JSON) -> [RouterHistoryStep]? {
        guard let history = result["history"]?.arrayValue else { return nil }
        var steps: [RouterHistoryStep] = []
        for entry in history {
            guard let at = entry["at"]?.intValue, let event = entry["event"]?.stringValue else { continue }
            let agent = entry["agentId"]?.stringValue
            switch event {
            case "transferred":
                // The router's sentence: "Transferred to queue <id>." or "Transferred to <agent name>."
                guard var target = entry["sentence"]?.stringValue, target.hasPrefix("Transferred to ") else { continue }
                target.removeFirst("Transferred to ".count)
                if target.hasSuffix(".") { target.removeLast() }
                if target.hasPrefix("queue ") {
                    steps.append(
                        RouterHistoryStep(
                            atMilliseconds: at,
                            kind: .transferred(
                                toQueue: String(target.dropFirst("queue ".count)), toAgentName: nil, fromAgentId: agent)
                        ))
                } else {
                    steps.append(
                        RouterHistoryStep(
                            atMilliseconds: at,
                            kind: .transferred(toQueue: nil, toAgentName: target, fromAgentId: agent)))
                }
            case "closed":
                steps.append(RouterHistoryStep(atMilliseconds: at, kind: .closed(agentId: agent)))
            default:
                continue
            }
        }
        return steps
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
        RouterConversation, toQueue: String?, toAgentId: String?, fromAgentId: String?, atMilliseconds: Int64)
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
                guard let id = value["conversationId"]?.stringValue, let messages = value["messages"]?.arrayValue else {
                    continue
                }
                facts.transcripts[id] = messages.compactMap(message(from:)).sorted { $0.number < $1.number }
            } else if item.key.hasPrefix("agent.") {
                if let id = value["agentId"]?.stringValue, let name = value["name"]?.stringValue {
                    facts.agentNames[id] = name
                }
            }
        }
        return facts
    }

    /// The fact of one event (`type`, its `data`, the publisher's timestamp in microseconds), or nil
    /// when the summariser has no use for it.
    public static func event(type: String, data: JSON, timestampMicros: Int64) -> SummariserFact? {
        let at = timestampMicros / 1_000
        if type.hasPrefix("agent.") {
            guard let item = data["item"], let id = item["agentId"]?.stringValue, let name = item["name"]?.stringValue
            else { return nil }
            return .agentName(agentId: id, name: name)
        }
        guard type.hasPrefix("conversation."), let item = data["item"],
            let conversation = RouterConversation(item: item)
        else { return nil }
        switch type {
        case "conversation.message":
            guard let message = message(from: data) else { return nil }
            return .message(conversationId: conversation.conversationId, message)
        case "conversation.transferred":
            return .transferred(
                conversation, toQueue: data["toQueue"]?.stringValue, toAgentId: data["toAgentId"]?.stringValue,
                fromAgentId: data["fromAgentId"]?.stringValue, atMilliseconds: at)
        case "conversation.closed":
            return .closed(conversation, agentId: data["agentId"]?.stringValue, atMilliseconds: at)
        case "conversation.abandoned":
            return .abandoned(conversation, atMilliseconds: at)
        default:
            return .conversation(conversation)
        }
    }

    /// A transcript line as the router writes it (`number`, `role`, `author`, `text`, `audience`, `at`).
    static func message(from json: JSON) -> TranscriptMessage? {
        guard let number = json["number"]?.intValue, number >= 1,
            let role = json["role"]?.stringValue.flatMap(TranscriptMessage.Role.init(rawValue:)),
            let text = json["text"]?.stringValue
        else { return nil }
        let audience = json["audience"]?.stringValue.flatMap(TranscriptMessage.Audience.init(rawValue:)) ?? .everyone
        return TranscriptMessage(
            number: Int(number), role: role, author: json["author"]?.stringValue ?? "", text: text, audience: audience,
            at: RoutingInstant(millisecondsSinceEpoch: json["at"]?.intValue ?? 0))
    }
}
