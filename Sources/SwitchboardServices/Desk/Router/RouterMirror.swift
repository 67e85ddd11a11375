public import Foundation
public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWire
public import SwitchboardWorkspace

/// The desk's copy of what it needs from the router's state (conversations still open, the
/// end of each one's transcript, the agents as the router sees them), kept from the router's
/// snapshot and events, and the translation of each router event into facts for the desk of
/// the agents it concerns. Pure: no sockets, no clock.
///
/// Ended conversations are dropped at once (the desk learns of the end from the event), so
/// the copy holds only open work.
public struct RouterMirror: Sendable {
    /// One open conversation as the router last described it (`conv.<id>` item).
    public struct Conversation: Sendable, Equatable {
        public var id: ConversationID
        public var customer: CustomerID
        public var channel: Channel
        public var queue: QueueID
        /// The topic for the session list: the conversation's topic, else its detected intent.
        public var topic: String?
        public var state: ConversationState
        public var agent: AgentID?
        public var assignedAt: Date?
        /// The rule and the sentence of the router's last decision about it.
        public var rule: String?
        public var reason: String?
        public var messageCount: Int
        /// The agent it was last transferred away from (known from the event, not the item).
        public var transferredFrom: AgentID?

        /// The work item the agent's session holds.
        public var workItem: WorkItem {
            WorkItem(
                conversation: id, channel: channel, customer: customer, queue: queue, topic: topic,
                transferredFrom: transferredFrom == agent ? nil : transferredFrom)
        }
    }

    /// An agent as the router sees them (`agent.<id>` item).
    public struct AgentFacts: Sendable, Equatable {
        public var name: String
        public var role: RoleName
        /// available, busy, away, dnd or offline.
        public var presence: String
        public var load: [Channel: Int]
        public var capacity: [Channel: Int]
    }

    /// Open conversations by id.
    public private(set) var conversations: [ConversationID: Conversation] = [:]
    public private(set) var agents: [AgentID: AgentFacts] = [:]
    private var transcripts: [ConversationID: [TranscriptMessage]] = [:]

    /// Messages kept per conversation: enough for the unread count of a new session and for
    /// `desk show`; the router holds the whole transcript.
    public static let transcriptTailMax = 8

    public init() {}

    public func conversation(_ id: ConversationID) -> Conversation? { conversations[id] }

    /// The end of the conversation's transcript, oldest first.
    public func transcript(of id: ConversationID) -> [TranscriptMessage] { transcripts[id] ?? [] }

    /// Offers the router holds for `agent`, oldest conversation first.
    public func offers(for agent: AgentID) -> [DeskOffer] {
        conversations.values.filter { $0.state == .offered && $0.agent == agent }.sorted { $0.id < $1.id }.map {
            DeskOffer(item: $0.workItem, rule: $0.rule, reason: $0.reason, offeredAt: nil, expiresAt: nil)
        }
    }

    /// Work the router has assigned to `agent`, by conversation id.
    public func assignedWork(for agent: AgentID) -> [Conversation] {
        conversations.values.filter { $0.state == .assigned && $0.agent == agent }.sorted { $0.id < $1.id }
    }

    // MARK: Snapshot

    /// Replaces the copy with the router's snapshot (`agent.`, `conv.` and `transcript.` items).
    public mutating func load(_ items: [SnapshotItem]) {
        conversations = [:]
        transcripts = [:]
        agents = [:]
        var messages: [ConversationID: [TranscriptMessage]] = [:]
        for item in items {
            guard let value = try? item.value() else { continue }
            if item.key.hasPrefix("conv.") {
                if let conversation = Self.conversation(from: value), !conversation.state.isEnded {
                    conversations[conversation.id] = conversation
                }
            } else if item.key.hasPrefix("transcript.") {
                guard let id = value["conversationId"]?.stringValue, isValidIdentifier(id) else { continue }
                let tail = (value["messages"]?.arrayValue ?? []).suffix(Self.transcriptTailMax)
                messages[ConversationID(id)] = tail.compactMap(Self.message(from:))
            } else if item.key.hasPrefix("agent."), let id = value["agentId"]?.stringValue,
                let facts = Self.agentFacts(from: value)
            {
                agents[AgentID(id)] = facts
            }
        }
        for (id, tail) in messages where conversations[id] != nil && !tail.isEmpty { transcripts[id] = tail }
    }

    // MARK: Events

    /// Applies one router event and returns the facts it gives the desks of the agents
    /// concerned. `at` is the event's time (the envelope's `ts`).
    public mutating func apply(type: String, data: JSON, at: Date) -> [DeskDirective] {
        if type.hasPrefix("agent.") {
            applyAgent(type: type, data: data)
            return []
        }
        guard type.hasPrefix("conversation."), let idText = data["conversationId"]?.stringValue,
            isValidIdentifier(idText)
        else { return [] }
        let id = ConversationID(idText)
        if type == "conversation.message" { return applyMessage(id, data: data) }

        let previous = conversations[id]
        var current = data["item"].flatMap(Self.conversation(from:))
        current?.transferredFrom = previous?.transferredFrom
        if type == "conversation.transferred", let from = Self.agent(data["fromAgentId"]) {
            current?.transferredFrom = from
        }
        if let current {
            if current.state.isEnded {
                conversations[id] = nil
                transcripts[id] = nil
            } else {
                conversations[id] = current
            }
        }

        let agent = Self.agent(data["agentId"])
        switch type {
        case "conversation.offered":
            guard let agent, let current else { return [] }
            let offer = DeskOffer(
                item: current.workItem, rule: data["rule"]?.stringValue, reason: data["reason"]?.stringValue,
                offeredAt: at, expiresAt: Self.date(data["expiresAt"]))
            return [DeskDirective(agent: agent, input: .offered(offer))]
        case "conversation.assigned":
            guard let agent, let current else { return [] }
            var directives: [DeskDirective] = []
            if let before = previous?.agent, before != agent {
                directives.append(DeskDirective(agent: before, input: .withdrawn(id, reason: .transferred)))
            }
            directives.append(
                DeskDirective(
                    agent: agent,
                    input: .assigned(current.workItem, at: current.assignedAt ?? at, transcript: transcript(of: id))))
            return directives
        case "conversation.declined":
            return agent.map { [DeskDirective(agent: $0, input: .offerEnded(id, reason: .declined))] } ?? []
        case "conversation.offerExpired":
            return agent.map { [DeskDirective(agent: $0, input: .offerEnded(id, reason: .expired))] } ?? []
        case "conversation.requeued":
            guard let before = Self.agent(data["previousAgentId"]) else { return [] }
            let reason: WorkEndReason = data["reason"]?.stringValue == "transferred" ? .transferred : .requeued
            return [DeskDirective(agent: before, input: .withdrawn(id, reason: reason))]
        case "conversation.transferred":
            guard let from = Self.agent(data["fromAgentId"]) else { return [] }
            return [DeskDirective(agent: from, input: .withdrawn(id, reason: .transferred))]
        case "conversation.closed":
            return agent.map { [DeskDirective(agent: $0, input: .conversationClosed(id))] } ?? []
        case "conversation.wrapUpEnded":
            return agent.map { [DeskDirective(agent: $0, input: .wrapUpEnded(id))] } ?? []
        case "conversation.abandoned":
            // The router clears the agent in the item; the offer was held by the one before.
            guard let before = previous?.agent else { return [] }
            return [DeskDirective(agent: before, input: .withdrawn(id, reason: .abandoned))]
        default:
            return []
        }
    }

    private mutating func applyMessage(_ id: ConversationID, data: JSON) -> [DeskDirective] {
        guard var conversation = conversations[id], let message = Self.message(from: data) else { return [] }
        var tail = transcripts[id] ?? []
        guard message.number > (tail.last?.number ?? 0) else { return [] }
        tail.append(message)
        if tail.count > Self.transcriptTailMax { tail.removeFirst(tail.count - Self.transcriptTailMax) }
        transcripts[id] = tail
        conversation.messageCount = max(conversation.messageCount, message.number)
        conversations[id] = conversation
        guard conversation.state == .assigned, let agent = conversation.agent else { return [] }
        return [DeskDirective(agent: agent, input: .message(id, message))]
    }

    private mutating func applyAgent(type: String, data: JSON) {
        guard let idText = data["agentId"]?.stringValue, isValidIdentifier(idText) else { return }
        let id = AgentID(idText)
        if type == "agent.removed" {
            agents[id] = nil
        } else if let item = data["item"], let facts = Self.agentFacts(from: item) {
            agents[id] = facts
        }
    }

    // MARK: Reading the router's JSON

    /// A conversation from its `conv.<id>` item; nil when a field the desk needs is missing.
    static func conversation(from item: JSON) -> Conversation? {
        guard let id = item["conversationId"]?.stringValue, isValidIdentifier(id),
            let customer = item["customerId"]?.stringValue, isValidIdentifier(customer),
            let channel = item["channel"]?.stringValue.flatMap(Channel.init(rawValue:)),
            let queue = item["queue"]?.stringValue, isValidIdentifier(queue),
            let state = item["state"]?.stringValue.flatMap(ConversationState.init(rawValue:))
        else { return nil }
        let topic = item["topic"]?.stringValue ?? item["intent"]?["intent"]?.stringValue.map(readableIntent)
        return Conversation(
            id: ConversationID(id), customer: CustomerID(customer), channel: channel, queue: QueueID(queue),
            topic: topic, state: state, agent: agent(item["agentId"]), assignedAt: date(item["assignedAt"]),
            rule: item["rule"]?.stringValue, reason: item["reason"]?.stringValue,
            messageCount: Int(item["messageCount"]?.intValue ?? 0), transferredFrom: nil)
    }

    /// A transcript message from an event's data or a transcript item's element.
    static func message(from value: JSON) -> TranscriptMessage? {
        guard let number = value["number"]?.intValue, number > 0,
            let role = value["role"]?.stringValue.flatMap(TranscriptMessage.Role.init(rawValue:)),
            let text = value["text"]?.stringValue
        else { return nil }
        let audience = value["audience"]?.stringValue.flatMap(TranscriptMessage.Audience.init(rawValue:)) ?? .everyone
        return TranscriptMessage(
            number: Int(number), role: role, author: value["author"]?.stringValue ?? "", text: text, audience: audience,
            at: RoutingInstant(millisecondsSinceEpoch: value["at"]?.intValue ?? 0))
    }

    static func agentFacts(from item: JSON) -> AgentFacts? {
        guard let role = item["role"]?.stringValue else { return nil }
        func counts(_ value: JSON?) -> [Channel: Int] {
            var counts: [Channel: Int] = [:]
            for member in value?.objectValue ?? JSONObject() {
                if let channel = Channel(rawValue: member.key), let count = member.value.intValue {
                    counts[channel] = Int(count)
                }
            }
            return counts
        }
        return AgentFacts(
            name: item["name"]?.stringValue ?? item["agentId"]?.stringValue ?? "", role: RoleName(role),
            presence: item["presence"]?.stringValue ?? "offline", load: counts(item["load"]),
            capacity: counts(item["capacity"]))
    }

    static func agent(_ value: JSON?) -> AgentID? {
        guard let text = value?.stringValue, isValidIdentifier(text) else { return nil }
        return AgentID(text)
    }

    /// A time the router wrote in milliseconds since the Unix epoch.
    static func date(_ value: JSON?) -> Date? {
        guard let milliseconds = value?.intValue else { return nil }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1_000)
    }

    /// `card_arrival` reads as "card arrival" in the session list.
    static func readableIntent(_ intent: String) -> String {
        intent.replacingOccurrences(of: "_", with: " ")
    }
}
