/// Checks the routing invariants (capacity, presence, sticky ownership, ladder steps, waiting
/// order) over a sequence of observed facts. It rebuilds what it needs (loads, presence,
/// sticky owners, ladder steps, waiting order) from the facts and the configuration alone,
/// independently of the engine, so a bug in the engine's indexes
/// cannot hide itself.
public struct InvariantChecker: Sendable {
    /// Violations found so far, in order.
    public private(set) var violations: [InvariantViolation] = []
    /// Facts checked so far.
    public private(set) var factCount = 0

    /// When true, an offer or direct assignment must name the latest presence stamp the
    /// checker has seen for the agent (right when facts come from the engine itself; an
    /// observer of two publishers may see presence events earlier than the router did).
    public var requiresLatestPresence: Bool

    private let queues: [QueueID: QueueConfiguration]
    private let skillKinds: [SkillID: SkillKind]
    private let roles: [RoleID: Role]
    private let profiles: [CapacityProfileID: CapacityProfile]
    private var agents: [AgentID: AgentModel] = [:]
    private var conversations: [ConversationID: ConversationModel] = [:]
    private var owners: [CustomerID: OwnerModel] = [:]
    private var pendingTransfers: [ConversationID: AgentID] = [:]

    public init(configuration: RoutingConfiguration, requiresLatestPresence: Bool = true) {
        self.requiresLatestPresence = requiresLatestPresence
        queues = Dictionary(configuration.queues.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        skillKinds = Dictionary(configuration.skills.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
        roles = Dictionary(configuration.roles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        profiles = Dictionary(
            configuration.capacityProfiles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Checks one fact; returns the violations it caused (also kept in `violations`).
    @discardableResult
    public mutating func observe(_ observed: ObservedFact) -> [InvariantViolation] {
        let before = violations.count
        factCount += 1
        let at = observed.at
        switch observed.fact {
        case .agentDescribed(let profile): describe(profile)
        case .agentRemoved(let id): removeAgent(id)
        case .presenceChanged(let id, let status, let stamp): changePresence(id, status: status, stamp: stamp)
        case .agentSetAway(let id): agents[id]?.setAway = true
        case .conversationQueued(let queued): queue(queued, at: at)
        case .conversationOffered(let decision): give(decision, offered: true, at: at)
        case .conversationAssigned(let decision): give(decision, offered: false, at: at)
        case .conversationRequeued(let requeued): requeue(requeued, at: at)
        case .conversationTransferred(let id, let from, let target): transfer(id, from: from, to: target, at: at)
        case .conversationClosed(let id): close(id, at: at)
        case .wrapUpEnded(let id): endWrapUp(id, at: at)
        case .conversationAbandoned(let id): abandon(id, at: at)
        case .conversationTurnedAway(let id, let queue): turnAway(id, queue: queue, at: at)
        case .agentLoad(let load): compareLoad(load, at: at)
        }
        return Array(violations[before...])
    }

    /// Checks a batch of facts in order.
    @discardableResult
    public mutating func observe(_ facts: [ObservedFact]) -> [InvariantViolation] {
        facts.flatMap { observe($0) }
    }

    /// "None lost": every conversation the facts say is open must be in `open` (e.g. the
    /// router's snapshot) in the same state with the same agent, and nothing else may be.
    public func verifyAccounted(by open: [Conversation], at: RoutingInstant) -> [InvariantViolation] {
        var problems: [InvariantViolation] = []
        let reported = Dictionary(open.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (id, model) in conversations where model.state.isOpen {
            guard let conversation = reported[id] else {
                problems.append(
                    violation(
                        .conversationLost, at, id, model.agent, "\(id) is \(model.state) by the events but missing"))
                continue
            }
            if conversation.state.rawValue != model.state.rawValue || conversation.agent != model.agent {
                problems.append(
                    violation(
                        .conversationLost, at, id, model.agent,
                        "\(id) is \(model.state) with \(model.agent?.rawValue ?? "nobody") by the events but "
                            + "\(conversation.state.rawValue) with \(conversation.agent?.rawValue ?? "nobody") in the "
                            + "state"
                    ))
            }
        }
        for id in reported.keys where conversations[id]?.state.isOpen != true {
            problems.append(
                violation(.conversationLost, at, id, nil, "\(id) is open in the state but not by the events"))
        }
        return problems
    }

    // MARK: Models

    private struct AgentModel {
        var profile: AgentProfile
        var capacity: ChannelCounts
        var exclusions: [ChannelExclusion]
        var queues: Set<QueueID>
        var presence: PresenceStatus = .offline
        var stamp: PresenceStamp = .none
        var history: [PresenceStamp: PresenceStatus] = [:]
        var setAway = false
        var load = ChannelCounts()
        var live = ChannelCounts()
        var removed = false

        var isAvailable: Bool { presence == .available && !setAway && !removed }

        func blocks(_ channel: Channel) -> Bool {
            exclusions.contains { live[$0.channel] > 0 && $0.blocks.contains(channel) }
        }

        func hasRoom(on channel: Channel) -> Bool { load[channel] < capacity[channel] && !blocks(channel) }

        func level(_ skill: SkillID) -> Int { profile.skills[skill] ?? 0 }
    }

    private enum ConversationStateModel: String {
        case queued, offered, assigned, wrapUp, closed, abandoned
        var isOpen: Bool { self != .closed && self != .abandoned }
    }

    private struct ConversationModel {
        var facts: QueuedConversation
        var state: ConversationStateModel = .queued
        var agent: AgentID?
        var waitingSince: RoutingInstant
        var aheadOfNewWork: Bool
        var heldFor: AgentID?
        var holdUntil: RoutingInstant?
        var holdEnded = false
        var excluded: Set<AgentID> = []
        var offeredRule: RoutingRule?

        var key: (Int, UInt64) { (aheadOfNewWork ? 0 : 1, facts.arrivalSequence) }
    }

    private struct OwnerModel {
        var agent: AgentID
        var lastHandledAt: RoutingInstant
        var open: Int
        var topic: String?
    }

    // MARK: Agents

    private mutating func describe(_ profile: AgentProfile) {
        let capacityProfile = profiles[profile.capacityProfile]
        var capacity = ChannelCounts(capacityProfile?.capacity ?? [:])
        for (channel, cap) in profile.capacityOverrides { capacity[channel] = cap }
        var served = Set(roles[profile.role]?.queues ?? [])
        served.formUnion(capacityProfile?.queues ?? [])
        served.formUnion(profile.additionalQueues)
        if var existing = agents[profile.id] {
            existing.profile = profile
            existing.capacity = capacity
            existing.exclusions = capacityProfile?.exclusions ?? []
            existing.queues = served
            agents[profile.id] = existing
        } else {
            agents[profile.id] = AgentModel(
                profile: profile, capacity: capacity, exclusions: capacityProfile?.exclusions ?? [], queues: served)
        }
    }

    private mutating func removeAgent(_ id: AgentID) {
        agents[id]?.removed = true
        for (customer, owner) in owners where owner.agent == id { owners.removeValue(forKey: customer) }
    }

    private mutating func changePresence(_ id: AgentID, status: PresenceStatus, stamp: PresenceStamp) {
        guard var agent = agents[id] else { return }
        agent.history[stamp] = status
        if stamp > agent.stamp {
            agent.stamp = stamp
            agent.presence = status
            agent.setAway = false
        }
        agents[id] = agent
    }

    /// Over-capacity is judged when work is given (a supervisor may lower a cap below the
    /// current load; no work is taken away then, and none is given until load falls under it).
    private mutating func compareLoad(_ load: AgentLoad, at: RoutingInstant) {
        guard let agent = agents[load.agent] else { return }
        if load.load != agent.load || load.live != agent.live {
            violations.append(
                violation(
                    .loadMismatch, at, nil, load.agent,
                    "\(load.agent) reports load [\(load.load)] live [\(load.live)] but events add up to "
                        + "[\(agent.load)] live [\(agent.live)]"))
        }
    }

    // MARK: Conversations

    private mutating func queue(_ queued: QueuedConversation, at: RoutingInstant) {
        if var existing = conversations[queued.conversation] {
            guard existing.state == .queued else {
                violations.append(
                    violation(
                        .impossibleTransition, at, queued.conversation, nil,
                        "\(queued.conversation) announced waiting while \(existing.state)"))
                return
            }
            if existing.heldFor != nil && queued.heldFor == nil { existing.holdEnded = true }
            existing.heldFor = queued.heldFor
            existing.holdUntil = queued.holdUntil
            existing.waitingSince = queued.waitingSince
            existing.aheadOfNewWork = queued.aheadOfNewWork
            conversations[queued.conversation] = existing
        } else {
            conversations[queued.conversation] = ConversationModel(
                facts: queued, waitingSince: queued.waitingSince, aheadOfNewWork: queued.aheadOfNewWork,
                heldFor: queued.heldFor, holdUntil: queued.holdUntil)
        }
    }

    private mutating func requeue(_ requeued: RequeuedConversation, at: RoutingInstant) {
        guard var conversation = conversations[requeued.conversation] else {
            violations.append(violation(.impossibleTransition, at, requeued.conversation, nil, "requeue of unknown"))
            return
        }
        guard conversation.state != .closed && conversation.state != .abandoned else {
            violations.append(
                violation(.impossibleTransition, at, requeued.conversation, nil, "requeue after \(conversation.state)"))
            return
        }
        if requeued.reason == .overflowed { checkOverflow(requeued, from: conversation, at: at) }
        if let agent = conversation.agent { release(&conversation, agent: agent, at: at) }
        if let previous = requeued.previousAgent,
            [.offerDeclined, .offerExpired, .transferred].contains(requeued.reason)
        {
            conversation.excluded.insert(previous)
        }
        conversation.facts = requeued.waiting
        conversation.state = .queued
        conversation.agent = nil
        conversation.aheadOfNewWork = requeued.aheadOfNewWork
        conversation.waitingSince = requeued.waitingSince
        conversation.heldFor = requeued.waiting.heldFor
        conversation.holdUntil = requeued.waiting.holdUntil
        if requeued.reason != .offerDeclined && requeued.reason != .offerExpired { conversation.holdEnded = false }
        conversations[requeued.conversation] = conversation
    }

    /// An overflow moves a waiting conversation along its queue's `overflow.to` (and the
    /// target's closed-hours rule), past a limit it really passed, keeping its arrival
    /// sequence (its place by arrival) and its priority.
    private mutating func checkOverflow(
        _ requeued: RequeuedConversation, from conversation: ConversationModel, at: RoutingInstant
    ) {
        let id = requeued.conversation
        func report(_ message: String) { violations.append(violation(.overflowBroken, at, id, nil, message)) }
        let source = conversation.facts.queue
        guard conversation.state == .queued, conversation.agent == nil, requeued.previousAgent == nil else {
            report("\(id) overflowed while \(conversation.state) with \(conversation.agent?.rawValue ?? "nobody")")
            return
        }
        if requeued.waiting.arrivalSequence != conversation.facts.arrivalSequence
            || requeued.waiting.priority != conversation.facts.priority
        {
            report(
                "\(id) overflowed with arrival \(requeued.waiting.arrivalSequence) priority "
                    + "\(requeued.waiting.priority), was \(conversation.facts.arrivalSequence) priority "
                    + "\(conversation.facts.priority)")
        }
        // The target, then the closed-hours rules it may pass work on by (no cycle: bounded).
        var allowed: [QueueID] = []
        var next = queues[source]?.overflow.to
        if requeued.overflow?.cause == .queueClosed {
            if case .overflow(let target) = queues[source]?.hours?.closedRule { next = target } else { next = nil }
        }
        while let queue = next, !allowed.contains(queue), allowed.count <= queues.count {
            allowed.append(queue)
            if case .overflow(let onward) = queues[queue]?.hours?.closedRule { next = onward } else { next = nil }
        }
        if !allowed.contains(requeued.queue) {
            report("\(id) overflowed from \(source) to \(requeued.queue), which its overflow.to does not lead to")
        }
        guard let move = requeued.overflow, move.fromQueue == source else {
            report("\(id) overflowed from \(source) without saying so (\(String(describing: requeued.overflow)))")
            return
        }
        switch move.cause {
        case .waitedLongerThan(let seconds):
            let limit = queues[source]?.overflow.maxWaitSeconds
            let waitedMilliseconds = at.millisecondsSinceEpoch - conversation.waitingSince.millisecondsSinceEpoch
            if limit != seconds || waitedMilliseconds < RoutingInstant.milliseconds(fromSeconds: seconds) {
                report(
                    "\(id) left \(source) after \(waitedMilliseconds) ms, its limit is "
                        + (limit.map { "\($0) s" } ?? "none")
                )
            }
            // A hold ends early only when its agent stops being the owner.
            if let heldFor = conversation.heldFor, let until = conversation.holdUntil, at < until,
                stickyOwner(conversation, at: at) == heldFor
            {
                report("\(id) left \(source) while held for \(heldFor) until \(until)")
            }
        case .queueFull(let maxWaiting):
            let others = conversations.values.count {
                $0.state == .queued && $0.facts.queue == source && $0.facts.conversation != id
            }
            if queues[source]?.overflow.maxWaiting != maxWaiting || others < maxWaiting {
                report("\(id) left \(source) as full with \(others) others waiting, its limit \(maxWaiting)")
            }
        case .queueClosed:
            if !Self.closes(queues[source]?.hours, at: at) {
                report("\(id) left \(source) as closing at \(at), when it does not close")
            }
        }
    }

    private mutating func transfer(_ id: ConversationID, from: AgentID?, to target: TransferTarget, at: RoutingInstant)
    {
        guard var conversation = conversations[id] else { return }
        if let agent = conversation.agent {
            release(&conversation, agent: agent, at: at)
            if case .queue = target, owners[conversation.facts.customer]?.agent == agent {
                owners.removeValue(forKey: conversation.facts.customer)
            }
        }
        conversation.agent = nil
        conversation.state = .queued
        switch target {
        case .agent(let agent):
            pendingTransfers[id] = agent
        case .queue(let queue):
            conversation.facts.queue = queue
            if let from { conversation.excluded.insert(from) }
        }
        conversations[id] = conversation
    }

    private mutating func close(_ id: ConversationID, at: RoutingInstant) {
        guard var conversation = conversations[id], conversation.state == .assigned, let agent = conversation.agent
        else {
            violations.append(violation(.impossibleTransition, at, id, nil, "\(id) closed while not assigned"))
            return
        }
        releaseOwnership(customer: conversation.facts.customer, agent: agent, at: at)
        if (queues[conversation.facts.queue]?.wrapUpSeconds ?? 0) > 0 {
            conversation.state = .wrapUp
            agents[agent]?.live[conversation.facts.channel] -= 1
        } else {
            agents[agent]?.live[conversation.facts.channel] -= 1
            agents[agent]?.load[conversation.facts.channel] -= 1
            conversation.state = .closed
            conversation.agent = nil
        }
        conversations[id] = conversation
    }

    private mutating func endWrapUp(_ id: ConversationID, at: RoutingInstant) {
        guard var conversation = conversations[id], conversation.state == .wrapUp, let agent = conversation.agent else {
            violations.append(violation(.impossibleTransition, at, id, nil, "\(id) ended wrap-up while not in wrap-up"))
            return
        }
        agents[agent]?.load[conversation.facts.channel] -= 1
        conversation.state = .closed
        conversation.agent = nil
        conversations[id] = conversation
    }

    /// A queue's closing ends only what waits in it, at the instant it closes, when its rule
    /// refuses work outside its hours.
    private mutating func turnAway(_ id: ConversationID, queue: QueueID, at: RoutingInstant) {
        if let waiting = conversations[id], waiting.state != .queued || waiting.facts.queue != queue {
            violations.append(
                violation(.hoursBroken, at, id, nil, "\(id) turned away from \(queue) while \(waiting.state) there"))
        }
        if !Self.closes(queues[queue]?.hours, at: at) || queues[queue]?.hours?.closedRule != .refuse {
            violations.append(
                violation(
                    .hoursBroken, at, id, nil, "\(id) turned away from \(queue), which does not close then to refuse"))
        }
        abandon(id, at: at)
    }

    /// Whether a queue with these hours closes at exactly this instant.
    static func closes(_ hours: QueueHours?, at: RoutingInstant) -> Bool {
        guard let calendar = hours?.calendar else { return false }
        let before = RoutingInstant(millisecondsSinceEpoch: at.millisecondsSinceEpoch - 1)
        return calendar.isOpen(at: before) && !calendar.isOpen(at: at)
    }

    private mutating func abandon(_ id: ConversationID, at: RoutingInstant) {
        guard var conversation = conversations[id], conversation.state == .queued || conversation.state == .offered
        else {
            violations.append(violation(.impossibleTransition, at, id, nil, "\(id) abandoned while not waiting"))
            return
        }
        if let agent = conversation.agent { release(&conversation, agent: agent, at: at) }
        conversation.state = .abandoned
        conversation.agent = nil
        conversations[id] = conversation
    }

    /// The agent stops holding capacity for the conversation (and stops handling the customer).
    private mutating func release(_ conversation: inout ConversationModel, agent: AgentID, at: RoutingInstant) {
        let channel = conversation.facts.channel
        if conversation.state == .assigned {
            releaseOwnership(customer: conversation.facts.customer, agent: agent, at: at)
        }
        if conversation.state == .offered || conversation.state == .assigned { agents[agent]?.live[channel] -= 1 }
        if conversation.state.isOpen && conversation.state != .queued { agents[agent]?.load[channel] -= 1 }
        conversation.agent = nil
    }

    private mutating func releaseOwnership(customer: CustomerID, agent: AgentID, at: RoutingInstant) {
        guard var owner = owners[customer], owner.agent == agent else { return }
        owner.open = max(0, owner.open - 1)
        owner.lastHandledAt = at
        owners[customer] = owner
    }

    // MARK: Offers and assignments

    private mutating func give(_ decision: RoutingDecision, offered: Bool, at: RoutingInstant) {
        let id = decision.conversation
        let agentID = decision.agent
        func report(_ kind: InvariantViolation.Kind, _ message: String) {
            violations.append(violation(kind, at, id, agentID, message))
        }
        guard var conversation = conversations[id] else {
            report(.assignedWhenNotWaiting, "\(id) was given to \(agentID) without ever being queued")
            return
        }
        guard var agent = agents[agentID], !agent.removed else {
            report(.impossibleTransition, "\(id) was given to unknown or removed agent \(agentID)")
            return
        }
        if decision.reason.sentence.isEmpty { report(.reasonMismatch, "empty reason") }
        // Accepting an offer: same agent, no new capacity.
        if !offered, conversation.state == .offered {
            guard conversation.agent == agentID else {
                report(
                    .doubleAssignment,
                    "\(id) is offered to \(conversation.agent?.rawValue ?? "?") but assigned to \(agentID)")
                return
            }
            if decision.rule != conversation.offeredRule { report(.reasonMismatch, "accept changed the rule") }
            conversation.state = .assigned
            conversations[id] = conversation
            takeOwnership(conversation, agent: agentID, at: at)
            return
        }
        switch conversation.state {
        case .queued: break
        case .closed, .abandoned:
            report(.assignedWhenNotWaiting, "\(id) was given to \(agentID) after it was \(conversation.state)")
            return
        default:
            report(
                .doubleAssignment,
                "\(id) was given to \(agentID) while \(conversation.state) with \(conversation.agent?.rawValue ?? "?")")
            return
        }
        // Presence as the named event said.
        if let status = agent.history[decision.presenceStamp] {
            if status != .available { report(.agentNotAvailable, "presence \(decision.presenceStamp) said \(status)") }
        } else {
            report(.agentNotAvailable, "presence \(decision.presenceStamp) of \(agentID) was never seen")
        }
        if requiresLatestPresence, decision.presenceStamp != agent.stamp || !agent.isAvailable {
            report(
                .agentNotAvailable, "\(agentID) was \(agent.presence) (set Away: \(agent.setAway)) at \(agent.stamp)")
        }
        // Capacity and exclusions.
        let channel = conversation.facts.channel
        if agent.load[channel] + 1 > agent.capacity[channel] {
            report(
                .overCapacity, "\(agentID) given \(agent.load[channel] + 1) of \(agent.capacity[channel]) \(channel)")
        }
        if agent.blocks(channel) { report(.exclusionBroken, "\(agentID) has live work that blocks \(channel)") }
        if conversation.excluded.contains(agentID) && decision.rule != .transfer {
            report(.reofferedToExcludedAgent, "\(agentID) declined, missed or transferred \(id) before")
        }
        checkRule(decision, conversation: conversation, agent: agent, at: at, report: report)
        // Apply.
        agent.load[channel] += 1
        agent.live[channel] += 1
        agents[agentID] = agent
        conversation.state = offered ? .offered : .assigned
        conversation.agent = agentID
        conversation.offeredRule = decision.rule
        conversation.heldFor = nil
        conversations[id] = conversation
        pendingTransfers.removeValue(forKey: id)
        if !offered { takeOwnership(conversation, agent: agentID, at: at) }
    }

    private mutating func takeOwnership(_ conversation: ConversationModel, agent: AgentID, at: RoutingInstant) {
        let customer = conversation.facts.customer
        if var owner = owners[customer], owner.agent == agent {
            owner.open += 1
            owner.lastHandledAt = at
            owner.topic = conversation.facts.topic
            owners[customer] = owner
        } else {
            owners[customer] = OwnerModel(agent: agent, lastHandledAt: at, open: 1, topic: conversation.facts.topic)
        }
    }

    /// The rule named must be the one that decided, recomputed from the facts.
    private func checkRule(
        _ decision: RoutingDecision, conversation: ConversationModel, agent: AgentModel, at: RoutingInstant,
        report: (InvariantViolation.Kind, String) -> Void
    ) {
        let step = ladderStep(conversation, at: at)
        let owner = stickyOwner(conversation, at: at)
        let ownerRuleHolds = owner.map { rule1Holds(conversation, owner: $0, at: at, step: step) } ?? false
        switch decision.rule {
        case .transfer:
            if pendingTransfers[decision.conversation] != decision.agent {
                report(.reasonMismatch, "rule transfer without a transfer to \(decision.agent)")
            }
            return
        case .sticky:
            if owner != decision.agent || !ownerRuleHolds {
                report(.reasonMismatch, "rule sticky but rule 1 did not hold for \(decision.agent)")
            }
            return
        case .skills, .holdForOwnerFallback, .fallbackStep:
            if let owner, ownerRuleHolds, owner != decision.agent {
                report(.stickyOwnerBypassed, "rule 1 held for owner \(owner) but \(decision.agent) got it")
            }
            if let heldFor = conversation.heldFor, heldFor != decision.agent,
                let until = conversation.holdUntil, at < until
            {
                report(.stickyOwnerBypassed, "held for \(heldFor) until \(until) but \(decision.agent) got it at \(at)")
            }
        }
        let qualifying = (0...step).first { satisfies(agent, conversation, step: $0) }
        guard let qualifying else {
            report(.reasonMismatch, "\(decision.agent) lacks the skills of every step up to \(step + 1)")
            return
        }
        let expected: RoutingRule =
            qualifying > 0 ? .fallbackStep(qualifying + 1) : (conversation.holdEnded ? .holdForOwnerFallback : .skills)
        if decision.rule != expected {
            report(.reasonMismatch, "rule \(decision.rule) but the facts say \(expected)")
        }
        // Oldest first, by priority, among what this agent could take (holds excepted).
        for (otherID, other) in conversations where otherID != decision.conversation && other.state == .queued {
            guard other.heldFor == nil || (other.holdUntil.map { at >= $0 } ?? true) else { continue }
            let higher = other.facts.priority > conversation.facts.priority
            let older = other.facts.priority == conversation.facts.priority && other.key < conversation.key
            guard higher || older else { continue }
            guard agent.queues.contains(other.facts.queue), agent.hasRoom(on: other.facts.channel),
                !other.excluded.contains(decision.agent)
            else { continue }
            let otherStep = ladderStep(other, at: at)
            guard (0...otherStep).contains(where: { satisfies(agent, other, step: $0) }) else { continue }
            report(
                .olderConversationSkipped,
                "\(decision.agent) got \(decision.conversation) while \(otherID) (priority \(other.facts.priority), "
                    + "arrival \(other.facts.arrivalSequence)) waited and they could take it")
            return
        }
    }

    private func stickyOwner(_ conversation: ConversationModel, at: RoutingInstant) -> AgentID? {
        guard let queue = queues[conversation.facts.queue], queue.sticky.enabled,
            let owner = owners[conversation.facts.customer]
        else { return nil }
        if owner.open == 0, at.seconds(since: owner.lastHandledAt) > queue.sticky.windowSeconds { return nil }
        if queue.sticky.sameTopicOnly, let topic = conversation.facts.topic, let ownerTopic = owner.topic,
            topic != ownerTopic
        {
            return nil
        }
        return owner.agent
    }

    private func rule1Holds(_ conversation: ConversationModel, owner: AgentID, at: RoutingInstant, step: Int) -> Bool {
        guard let agent = agents[owner], agent.isAvailable, !conversation.excluded.contains(owner),
            agent.hasRoom(on: conversation.facts.channel)
        else { return false }
        return satisfies(agent, conversation, step: step)
    }

    private func ladderStep(_ conversation: ConversationModel, at: RoutingInstant) -> Int {
        guard let queue = queues[conversation.facts.queue] else { return 0 }
        let waited = at.millisecondsSinceEpoch - conversation.waitingSince.millisecondsSinceEpoch
        var step = 0
        for fallback in queue.fallbackSteps
        where RoutingInstant.milliseconds(fromSeconds: fallback.afterSeconds) <= waited {
            step += 1
        }
        return step
    }

    /// The requirement relaxed through `step` (0-based), applied to the agent.
    private func satisfies(_ agent: AgentModel, _ conversation: ConversationModel, step: Int) -> Bool {
        guard let queue = queues[conversation.facts.queue] else { return false }
        var requirements = conversation.facts.requiredSkills.map { ($0.skill, $0.minimumLevel) }
        for fallback in queue.fallbackSteps.prefix(step) {
            if fallback.anyAgentOfQueue { requirements = [] }
            requirements.removeAll { requirement in
                fallback.dropSkills.contains(requirement.0)
                    || skillKinds[requirement.0].map { fallback.dropSkillKinds.contains($0) } == true
            }
            requirements = requirements.map { ($0.0, max(1, $0.1 - fallback.lowerMinimumLevelsBy)) }
        }
        return requirements.allSatisfy { agent.level($0.0) >= $0.1 }
    }

    private func violation(
        _ kind: InvariantViolation.Kind, _ at: RoutingInstant, _ conversation: ConversationID?, _ agent: AgentID?,
        _ message: String
    ) -> InvariantViolation {
        InvariantViolation(kind: kind, at: at, conversation: conversation, agent: agent, message: message)
    }
}
