public import SwitchboardBus
public import SwitchboardRouting

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
            guard let agent = event.data["agentId"]?.stringValue,
                let status = event.data["status"]?.stringValue.flatMap(PresenceStatus.init(rawValue:))
            else {
                unreadable.append("\(event.topic) #\(event.seq)")
                continue
            }
            let stamp = PresenceStamp(epoch: event.epoch, sequence: event.seq)
            pending[AgentID(agent), default: []].append(
                PendingPresence(agent: AgentID(agent), status: status, stamp: stamp))
        }
        for agent in pending.keys { pending[agent]?.sort { $0.stamp < $1.stamp } }
    }

    /// One router event, in the order received.
    public mutating func add(router event: RecordedEvent) {
        let data = event.data
        let item = data["item"] ?? .null
        switch event.type {
        case "conversation.queued":
            guard let waiting = Self.waiting(data: data, item: item) else { return unreadable(event) }
            advance(to: waiting.waitingSince)
            append(.conversationQueued(waiting))
        case "conversation.requeued":
            guard let waiting = Self.waiting(data: data, item: item),
                let reason = data["reason"]?.stringValue.flatMap(RequeueReason.init(rawValue:))
            else { return unreadable(event) }
            let previous = data["previousAgentId"]?.stringValue.map(AgentID.init)
            // Work taken from an agent who went Offline: the router applied that presence event first.
            if let previous, reason == .agentOffline { flush(previous, throughFirstOf: .offline) }
            advance(to: waiting.waitingSince)
            append(
                .conversationRequeued(RequeuedConversation(waiting: waiting, previousAgent: previous, reason: reason)))
        case "conversation.offered", "conversation.assigned":
            let offered = event.type == "conversation.offered"
            guard let decision = decision(data: data, item: item, offered: offered) else { return unreadable(event) }
            flush(decision.agent, upTo: decision.presenceStamp)
            advance(to: decision.decidedAt)
            append(offered ? .conversationOffered(decision) : .conversationAssigned(decision))
        case "conversation.transferred":
            guard let id = data["conversationId"]?.stringValue else { return unreadable(event) }
            let from = data["fromAgentId"]?.stringValue.map(AgentID.init)
            let target: TransferTarget
            if let queue = data["toQueue"]?.stringValue {
                target = .queue(QueueID(queue))
            } else if let agent = data["toAgentId"]?.stringValue {
                target = .agent(AgentID(agent))
            } else {
                return unreadable(event)
            }
            append(.conversationTransferred(ConversationID(id), from: from, to: target))
        case "conversation.closed":
            guard let id = data["conversationId"]?.stringValue else { return unreadable(event) }
            advance(toMilliseconds: item["endedAt"]?.intValue)
            append(.conversationClosed(ConversationID(id)))
        case "conversation.wrapUpEnded":
            guard let id = data["conversationId"]?.stringValue else { return unreadable(event) }
            append(.wrapUpEnded(ConversationID(id)))
        case "conversation.abandoned":
            guard let id = data["conversationId"]?.stringValue else { return unreadable(event) }
            advance(toMilliseconds: item["endedAt"]?.intValue)
            append(.conversationAbandoned(ConversationID(id)))
        case "conversation.message":
            advance(toMilliseconds: data["at"]?.intValue)
        case "agent.load":
            guard let load = Self.load(item: item) else { return unreadable(event) }
            if let stamp = Self.stamp(data["presence"]) { flush(load.agent, upTo: stamp) }
            append(.agentLoad(load))
        case "agent.setAway":
            guard let agent = data["agentId"]?.stringValue else { return unreadable(event) }
            append(.agentSetAway(AgentID(agent)))
        case "agent.removed":
            guard let agent = data["agentId"]?.stringValue else { return unreadable(event) }
            append(.agentRemoved(AgentID(agent)))
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

    private mutating func advance(toMilliseconds milliseconds: Int64?) {
        if let milliseconds { advance(to: RoutingInstant(millisecondsSinceEpoch: milliseconds)) }
    }

    private mutating func unreadable(_ event: RecordedEvent) {
        unreadable.append("\(event.type) \(event.topic) #\(event.seq)")
    }

    // MARK: Reading events

    /// How a conversation waits, from a `queued` or `requeued` event and its item.
    static func waiting(data: JSON, item: JSON) -> QueuedConversation? {
        guard let id = data["conversationId"]?.stringValue, let customer = item["customerId"]?.stringValue,
            let queue = item["queue"]?.stringValue,
            let channel = item["channel"]?.stringValue.flatMap(Channel.init(rawValue:)),
            let priority = item["priority"]?.intValue, let arrival = data["arrivalSequence"]?.intValue,
            let since = data["waitingSince"]?.intValue
        else { return nil }
        let skills = (item["requiredSkills"]?.arrayValue ?? []).compactMap { requirement -> SkillRequirement? in
            guard let skill = requirement["skill"]?.stringValue, let level = requirement["minimumLevel"]?.intValue
            else {
                return nil
            }
            return SkillRequirement(SkillID(skill), minimumLevel: Int(level))
        }
        return QueuedConversation(
            conversation: ConversationID(id), customer: CustomerID(customer), queue: QueueID(queue), channel: channel,
            priority: Int(priority), requiredSkills: skills, topic: item["topic"]?.stringValue,
            arrivalSequence: UInt64(max(arrival, 0)), waitingSince: RoutingInstant(millisecondsSinceEpoch: since),
            aheadOfNewWork: data["aheadOfNewWork"]?.boolValue ?? false,
            heldFor: data["heldFor"]?.stringValue.map(AgentID.init),
            holdUntil: data["holdUntil"]?.intValue.map { RoutingInstant(millisecondsSinceEpoch: $0) })
    }

    /// An offer or assignment. Its reason keeps the rule and the agent's name (the sentence
    /// itself is on the event; the checker compares rules).
    private func decision(data: JSON, item: JSON, offered: Bool) -> RoutingDecision? {
        guard let id = data["conversationId"]?.stringValue, let agent = data["agentId"]?.stringValue,
            let customer = data["customerId"]?.stringValue, let queueName = data["queue"]?.stringValue,
            let channel = data["channel"]?.stringValue.flatMap(Channel.init(rawValue:)),
            let rule = data["rule"]?.stringValue.flatMap(RoutingRule.init(name:)),
            let stamp = Self.stamp(data["presence"])
        else { return nil }
        let queue = QueueID(queueName)
        var decided = lastAt
        if offered, let expires = data["expiresAt"]?.intValue, let timeout = queues[queue]?.offer.timeoutSeconds {
            decided = RoutingInstant(millisecondsSinceEpoch: expires).adding(seconds: -timeout)
        } else if !offered, let assignedAt = item["assignedAt"]?.intValue {
            decided = RoutingInstant(millisecondsSinceEpoch: assignedAt)
        }
        let reason = DecisionReason(rule: rule, agentName: agent, channel: channel, loadBefore: 0, capacity: 0)
        return RoutingDecision(
            conversation: ConversationID(id), customer: CustomerID(customer), queue: queue, channel: channel,
            agent: AgentID(agent), reason: reason, presenceStamp: stamp, decidedAt: decided)
    }

    static func stamp(_ json: JSON?) -> PresenceStamp? {
        guard let json, let epoch = json["epoch"]?.intValue, let seq = json["seq"]?.intValue, epoch >= 0, seq >= 0
        else { return nil }
        return PresenceStamp(epoch: UInt64(epoch), sequence: UInt64(seq))
    }

    static func load(item: JSON) -> AgentLoad? {
        guard let agent = item["agentId"]?.stringValue,
            let presence = item["presence"]?.stringValue.flatMap(DerivedPresence.init(rawValue:))
        else { return nil }
        func counts(_ json: JSON?) -> ChannelCounts {
            var counts = ChannelCounts()
            for channel in Channel.allCases { counts[channel] = Int(json?[channel.rawValue]?.intValue ?? 0) }
            return counts
        }
        return AgentLoad(
            agent: AgentID(agent), load: counts(item["load"]), live: counts(item["live"]),
            capacity: counts(item["capacity"]), presence: presence)
    }
}
