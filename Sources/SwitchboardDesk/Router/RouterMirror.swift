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
                if let conversation = try? ConversationItem(json: value), !conversation.isEnded {
                    conversations[conversation.conversationId] = Conversation(conversation)
                }
            } else if item.key.hasPrefix("transcript.") {
                // A line that cannot be read is left out; the rest of the tail still counts.
                guard let transcript = try? TranscriptItem.readingEachMessage(value).item else { continue }
                messages[transcript.conversationId] = Array(transcript.messages.suffix(Self.transcriptTailMax))
            } else if item.key.hasPrefix("agent."), let agent = try? AgentItem(json: value) {
                agents[agent.agentId] = AgentFacts(agent)
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
        guard type.hasPrefix("conversation."), let event = try? ConversationEvent(type: type, data: data) else {
            return []
        }
        let id = event.conversationId
        if type == "conversation.message" { return applyMessage(id, event: event) }

        let previous = conversations[id]
        var current = event.item.map(Conversation.init)
        current?.transferredFrom = previous?.transferredFrom
        if type == "conversation.transferred", let from = try? event.transfer.fromAgentId {
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

        let agent = try? event.agentId
        switch type {
        case "conversation.offered":
            guard let agent, let current else { return [] }
            let offer = DeskOffer(
                item: current.workItem, rule: try? event.rule, reason: try? event.reason, offeredAt: at,
                expiresAt: (try? event.fields.optionalInstant("expiresAt")).flatMap(Self.date))
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
            guard let before = try? event.fields.optionalIdentifier("previousAgentId", as: AgentID.self) else {
                return []
            }
            let reason: WorkEndReason = (try? event.reason) == "transferred" ? .transferred : .requeued
            return [DeskDirective(agent: before, input: .withdrawn(id, reason: reason))]
        case "conversation.transferred":
            guard let from = try? event.transfer.fromAgentId else { return [] }
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

    private mutating func applyMessage(_ id: ConversationID, event: ConversationEvent) -> [DeskDirective] {
        guard var conversation = conversations[id], let message = try? event.message else { return [] }
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
        guard let fields = try? WireFields(data, item: "\(type) event"),
            let id = try? fields.identifier("agentId", as: AgentID.self)
        else { return }
        if type == "agent.removed" {
            agents[id] = nil
        } else if let item = fields.member("item"), let agent = try? AgentItem(json: item) {
            agents[id] = AgentFacts(agent)
        }
    }

    // MARK: From the wire's items

    /// A time the router wrote in milliseconds since the Unix epoch.
    static func date(_ instant: RoutingInstant?) -> Date? {
        instant.map { Date(timeIntervalSince1970: Double($0.millisecondsSinceEpoch) / 1_000) }
    }

    /// `card_arrival` reads as "card arrival" in the session list.
    static func readableIntent(_ intent: String) -> String {
        intent.replacingOccurrences(of: "_", with: " ")
    }
}

extension RouterMirror.Conversation {
    /// The desk's copy of the router's item; the topic for the session list is the item's
    /// topic, else its detected intent made readable.
    init(_ item: ConversationItem) {
        self.init(
            id: item.conversationId, customer: item.customerId, channel: item.channel, queue: item.queue,
            topic: item.topic ?? item.intent.map { RouterMirror.readableIntent($0.intent) }, state: item.state,
            agent: item.agentId, assignedAt: RouterMirror.date(item.assignedAt), rule: item.rule,
            reason: item.reason, messageCount: item.messageCount, transferredFrom: nil)
    }
}

extension RouterMirror.AgentFacts {
    init(_ item: AgentItem) {
        func counts(_ counts: ChannelCounts) -> [Channel: Int] {
            Dictionary(uniqueKeysWithValues: Channel.allCases.map { ($0, counts[$0]) })
        }
        self.init(
            name: item.name, role: RoleName(item.role.rawValue), presence: item.presence.rawValue,
            load: counts(item.load), capacity: counts(item.capacity))
    }
}
