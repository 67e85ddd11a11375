import SwitchboardBus
public import SwitchboardRouting
import SwitchboardWire

/// Turns the router's and the presence tracker's recorded events into the facts the routing
/// `InvariantChecker` reads, so the invariants can be checked over a real run from its event
/// stream alone.
///
/// Order: the router's events are taken in the order one subscriber received them (one PUB
/// socket delivers in publish order, which is the router's commit order, across families).
/// Presence events come from another publisher and may arrive before or after the router
/// applied them; each is placed just before the first router event that shows the router
/// knew it: an offer or assignment naming its stamp (or a later one), an `agent.load` whose
/// `presence` stamp is at least its stamp, or a re-queue because the agent went Offline.
///
/// Times: each fact gets the router's own instant where the event carries it (an assignment's
/// `assignedAt`, an offer's expiry less the queue's offer timeout, a wait's `waitingSince`, an
/// end's `endedAt`), else the latest instant seen before it, so ladder steps and sticky
/// windows are judged at the moments the router judged them.
public struct RoutingFactDecoder: Sendable {
    private let queues: [QueueID: QueueConfiguration]
    private var pending: [AgentID: [PendingPresence]] = [:]
    private var facts: [ObservedFact] = []
    private var lastAt = RoutingInstant.zero
    /// Router events that could not be read (named, for the report).
    public private(set) var unreadable: [String] = []

    private struct PendingPresence {
        var agent: AgentID
        var status: PresenceStatus
        var stamp: PresenceStamp
    }

    public init(configuration: RoutingConfiguration) {
        queues = Dictionary(configuration.queues.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The facts of a run: the agents as the contact centre describes them, then the router's
    /// events with the presence events placed among them.
    public static func facts(
        agents: [AgentProfile], router: [RecordedEvent], presence: [RecordedEvent], configuration: RoutingConfiguration
    ) -> (facts: [ObservedFact], unreadable: [String]) {
        var decoder = RoutingFactDecoder(configuration: configuration)
        decoder.describe(agents)
        decoder.addPresence(presence)
        for event in router { decoder.add(router: event) }
        decoder.flushAll()
        return (decoder.facts, decoder.unreadable)
    }

    /// Agents as the contact centre describes them (the router starts with these).
    public mutating func describe(_ agents: [AgentProfile]) {
        for agent in agents { facts.append(ObservedFact(at: lastAt, fact: .agentDescribed(agent))) }
    }

    /// Presence events, in any order: they wait until the router shows it applied them.
    public mutating func addPresence(_ events: [RecordedEvent]) {
        for event in events where event.type == "presence.changed" {
            guard let fields = try? WireFields(event.data, item: "presence.changed event"),
                let agent = try? fields.identifier("agentId", as: AgentID.self),
                let status = try? fields.oneOf("status", PresenceStatus.self)
            else {
                unreadable.append("\(event.topic) #\(event.seq)")
                continue
            }
            let stamp = PresenceStamp(epoch: event.epoch, sequence: event.seq)
            pending[agent, default: []].append(PendingPresence(agent: agent, status: status, stamp: stamp))
        }
        for agent in pending.keys { pending[agent]?.sort { $0.stamp < $1.stamp } }
    }

    /// One router event, in the order received.
    public mutating func add(router event: RecordedEvent) {
        if event.type.hasPrefix("conversation.") {
            guard let conversationEvent = try? ConversationEvent(type: event.type, data: event.data) else {
                return unreadable(event)
            }
            add(conversation: conversationEvent, recorded: event)
            return
        }
        guard let fields = try? WireFields(event.data, item: "\(event.type) event") else { return unreadable(event) }
        switch event.type {
        case "agent.load":
            guard let item = fields.member("item"), let load = try? AgentItem(json: item).routingLoad else {
                return unreadable(event)
            }
            if let stamp = (try? fields.optionalFields("presence")).flatMap({ try? PresenceStamp(wire: $0) }) {
                flush(load.agent, upTo: stamp)
            }
            append(.agentLoad(load))
        case "agent.setAway":
            guard let agent = try? fields.identifier("agentId", as: AgentID.self) else { return unreadable(event) }
            append(.agentSetAway(agent))
        case "agent.removed":
            guard let agent = try? fields.identifier("agentId", as: AgentID.self) else { return unreadable(event) }
            append(.agentRemoved(agent))
        default:
            break
        }
    }

    private mutating func add(conversation event: ConversationEvent, recorded: RecordedEvent) {
        let id = event.conversationId
        switch event.type {
        case "conversation.queued":
            guard let waiting = Self.waiting(event) else { return unreadable(recorded) }
            advance(to: waiting.waitingSince)
            append(.conversationQueued(waiting))
        case "conversation.requeued":
            guard let waiting = Self.waiting(event),
                let reason = (try? event.fields.string("reason")).flatMap(RequeueReason.init(rawValue:))
            else { return unreadable(recorded) }
            let previous = try? event.fields.optionalIdentifier("previousAgentId", as: AgentID.self)
            // Work taken from an agent who went Offline: the router applied that presence event first.
            if let previous, reason == .agentOffline { flush(previous, throughFirstOf: .offline) }
            advance(to: waiting.waitingSince)
            append(
                .conversationRequeued(
                    RequeuedConversation(
                        waiting: waiting, previousAgent: previous, reason: reason,
                        overflow: Self.overflow(event.fields))))
        case "conversation.offered", "conversation.assigned":
            let offered = event.type == "conversation.offered"
            guard let decision = decision(event, offered: offered) else { return unreadable(recorded) }
            flush(decision.agent, upTo: decision.presenceStamp)
            advance(to: decision.decidedAt)
            append(offered ? .conversationOffered(decision) : .conversationAssigned(decision))
        case "conversation.transferred":
            guard let transfer = try? event.transfer else { return unreadable(recorded) }
            append(.conversationTransferred(id, from: transfer.fromAgentId, to: transfer.to))
        case "conversation.closed":
            advance(to: event.item?.endedAt)
            append(.conversationClosed(id))
        case "conversation.wrapUpEnded":
            append(.wrapUpEnded(id))
        case "conversation.abandoned":
            advance(to: event.item?.endedAt)
            if (try? event.fields.optionalString("cause")) == "queue-closed",
                let queue = try? event.fields.optionalIdentifier("queue", as: QueueID.self)
            {
                append(.conversationTurnedAway(id, queue: queue))
            } else {
                append(.conversationAbandoned(id))
            }
        case "conversation.message":
            advance(to: try? event.fields.optionalInstant("at"))
        default:
            break
        }
    }

    /// Places every presence event still waiting (at the end of a run).
    public mutating func flushAll() {
        for agent in pending.keys.sorted() { flush(agent, upTo: PresenceStamp(epoch: .max, sequence: .max)) }
    }

    public var observedFacts: [ObservedFact] { facts }

    // MARK: Placing presence

    private mutating func flush(_ agent: AgentID, upTo stamp: PresenceStamp) {
        guard var queue = pending[agent], !queue.isEmpty else { return }
        while let first = queue.first, first.stamp <= stamp {
            queue.removeFirst()
            append(.presenceChanged(agent, first.status, stamp: first.stamp))
        }
        pending[agent] = queue
    }

    /// Places presence events of `agent` up to and including the first with `status`.
    private mutating func flush(_ agent: AgentID, throughFirstOf status: PresenceStatus) {
        guard let queue = pending[agent], let first = queue.first(where: { $0.status == status }) else { return }
        flush(agent, upTo: first.stamp)
    }

    private mutating func append(_ fact: RoutingFact) {
        facts.append(ObservedFact(at: lastAt, fact: fact))
    }

    private mutating func advance(to instant: RoutingInstant) {
        lastAt = max(lastAt, instant)
    }

    private mutating func advance(to instant: RoutingInstant?) {
        if let instant { advance(to: instant) }
    }

    private mutating func unreadable(_ event: RecordedEvent) {
        unreadable.append("\(event.type) \(event.topic) #\(event.seq)")
    }

    // MARK: Reading events

    /// The overflow move a `requeued` event states, if it is one.
    static func overflow(_ fields: WireFields) -> OverflowMove? {
        guard let from = try? fields.optionalIdentifier("overflowFromQueue", as: QueueID.self) else { return nil }
        if (try? fields.optionalString("overflowCause")) == "queue-closed" {
            return OverflowMove(fromQueue: from, cause: .queueClosed)
        }
        if let seconds = try? fields.optionalDouble("overflowMaxWaitSeconds") {
            return OverflowMove(fromQueue: from, cause: .waitedLongerThan(seconds: seconds))
        }
        if let maxWaiting = try? fields.optionalInt("overflowMaxWaiting") {
            return OverflowMove(fromQueue: from, cause: .queueFull(maxWaiting: maxWaiting))
        }
        return nil
    }

    /// How a conversation waits, from a `queued` or `requeued` event and its item.
    static func waiting(_ event: ConversationEvent) -> QueuedConversation? {
        let fields = event.fields
        guard let item = event.item, let arrival = try? fields.int64("arrivalSequence"),
            let since = try? fields.instant("waitingSince")
        else { return nil }
        let ahead = try? fields.optionalBool("aheadOfNewWork")
        let heldFor = try? fields.optionalIdentifier("heldFor", as: AgentID.self)
        let holdUntil = try? fields.optionalInstant("holdUntil")
        return QueuedConversation(
            conversation: event.conversationId, customer: item.customerId, queue: item.queue, channel: item.channel,
            priority: item.priority, requiredSkills: item.requiredSkills, topic: item.topic,
            arrivalSequence: UInt64(max(arrival, 0)), waitingSince: since, aheadOfNewWork: ahead ?? false,
            heldFor: heldFor, holdUntil: holdUntil)
    }

    /// An offer or assignment. Its reason keeps the rule and the agent's name (the sentence
    /// itself is on the event; the checker compares rules).
    private func decision(_ event: ConversationEvent, offered: Bool) -> RoutingDecision? {
        let fields = event.fields
        guard let agent = try? fields.identifier("agentId", as: AgentID.self),
            let customer = try? fields.identifier("customerId", as: CustomerID.self),
            let queue = try? fields.identifier("queue", as: QueueID.self),
            let channel = try? fields.oneOf("channel", Channel.self),
            let rule = (try? event.rule).flatMap(RoutingRule.init(name:)),
            let stamp = try? event.presenceStamp
        else { return nil }
        var decided = lastAt
        if offered, let expires = try? fields.optionalInstant("expiresAt"),
            let timeout = queues[queue]?.offer.timeoutSeconds
        {
            decided = expires.adding(seconds: -timeout)
        } else if !offered, let assignedAt = event.item?.assignedAt {
            decided = assignedAt
        }
        let reason = DecisionReason(rule: rule, agentName: agent.rawValue, channel: channel, loadBefore: 0, capacity: 0)
        return RoutingDecision(
            conversation: event.conversationId, customer: customer, queue: queue, channel: channel, agent: agent,
            reason: reason, presenceStamp: stamp, decidedAt: decided)
    }
}

extension AgentItem {
    /// The agent's load as the routing invariants read it.
    var routingLoad: AgentLoad {
        AgentLoad(agent: agentId, load: load, live: live, capacity: capacity, presence: presence)
    }
}
