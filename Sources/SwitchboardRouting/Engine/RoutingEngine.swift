/// The routing decision as a state machine: a value that takes inputs (`RoutingInput`)
/// with the current time and returns the actions (`RoutingAction`) a shell carries out.
///
/// It keeps agents, waiting and open conversations and sticky owners, and decides in the
/// order of its rules: sticky owner, hold for owner, skilled agents ranked by the queue's
/// method, fallback ladder, wait. Decisions use indexes (agents by queue, requirement and
/// free capacity; waiting work by queue, priority, requirement and ladder step), never a
/// scan of every agent. No I/O, no clock: `now` comes with each input, and `nextDeadline`
/// tells the shell when to call again.
public struct RoutingEngine: Sendable {
    // Configuration, resolved to slots.
    var configuration: RoutingConfiguration
    var skillSlots: [SkillID: Int32] = [:]
    var skillDefinitions: [SkillDefinition] = []
    var queues: [QueueRuntime] = []
    var queueSlots: [QueueID: Int32] = [:]
    var roles: [RoleID: Role] = [:]
    var profiles: [CapacityProfileID: CapacityProfile] = [:]
    var longestStickyWindowMilliseconds: Int64 = 0

    // Agents. Slots are never reused, so an exclusion by slot cannot hit a newcomer.
    var agents: [AgentState] = []
    /// Per agent slot, what decisions read all the time (kept apart from `agents`, see `AgentHotState`).
    var agentHot: [AgentHotState] = []
    /// Every agent's level per skill slot, `skillDefinitions.count` entries per agent slot
    /// (the same as `AgentState.skillLevels`, without an array object per agent to chase).
    var agentSkillLevels: [Int8] = []
    var agentSlots: [AgentID: Int32] = [:]
    /// Distinct lists of served queues (see `sharedQueueList`).
    var servedQueueLists: [[Int32]: [Int32]] = [:]

    // Conversations. Slots are reused; timers check the arrival sequence.
    var conversations: [ConversationRecord] = []
    var conversationSlots: [ConversationID: Int32] = [:]
    var freeConversationSlots: [Int32] = []

    // Customers (sticky ownership and each customer's waiting conversations). Slots are reused
    // once a customer has neither an open conversation nor an owner.
    var customers: [CustomerRecord] = []
    var customerSlots: [CustomerID: Int32] = [:]
    var freeCustomerSlots: [Int32] = []
    var ownershipExpiries = MinHeap<OwnershipExpiry>()

    // Indexes.
    var requirementSets: [[SkillNeed]] = []
    var requirementIDs: [[SkillNeed]: Int32] = [:]
    /// Per requirement set, the same needs packed for the hot path.
    var packedRequirements: [PackedRequirement] = []
    /// Per requirement set, as events and reasons state it (built once, shared by every event).
    var requirementSkills: [[SkillRequirement]] = []
    var requirementFacts: [[SkillLevelFact]] = []
    var agentIndexes: [AgentRankIndex] = []
    var agentIndexIDs: [IndexKey: Int32] = [:]
    var buckets: [WaitingBucket] = []
    var bucketIDs: [BucketKey: Int32] = [:]
    var bucketShortcuts: [BucketShortcut: Int32] = [:]
    var timers = TimerQueue(laneCount: 0)
    /// The earliest `closesAtMilliseconds` of any queue (`Int64.max`: none).
    var nextClosingMilliseconds = Int64.max
    /// Scratch buffers of `fireTimers`.
    var dueTimers: [TimerEntry] = []
    var steppedSlots: [Int32] = []
    /// Available agents per skill slot and level: [skill][level] counts agents with at least that level.
    var availableSkillCounts: [[Int32]] = []

    /// Queues whose waiting counts changed during this input (overflow is checked once at the end).
    var dirtyQueues: [Int32] = []
    /// Agents whose load or derived presence changed during this step.
    var loadChangedAgents: [Int32] = []
    /// Agents whose state changed since their index entries were last brought up to date.
    /// Refreshing is deferred to the next index query (or the end of the step), so an agent
    /// who frees capacity and at once takes new work costs no index update at all.
    var agentsToRefresh: [Int32] = []
    /// Holds to end once the current step settles (slot, arrival sequence).
    var pendingHoldReleases: [(Int32, UInt64)] = []

    // Alerts raised and not cleared.
    var activeAlerts: [RoutingAlert.Key: RoutingAlert] = [:]

    var nowMilliseconds: Int64 = 0
    var nextArrivalSequence: UInt64 = 1
    var nextRoundRobinTurn: UInt64 = 1
    var nextVersion: UInt64 = 1
    var nextTimerOrder: UInt64 = 1
    /// Actions of the input being handled.
    var output: [RoutingAction] = []

    /// How far a freed agent looks past conversations they may not take (declined by them)
    /// in one line. Bounded so that one decision stays cheap.
    static let lineScanLimit = 64

    /// Timer lanes of a queue besides one per ladder step: hold, offer, wrap-up, offline grace, wait limit.
    static let timerLanesPerQueue = 5

    /// An engine with this configuration and no agents or conversations yet.
    public init(configuration: RoutingConfiguration, now: RoutingInstant = .zero) throws(RoutingError) {
        let problems = configuration.problems()
        guard problems.isEmpty else { throw .invalidConfiguration(problems) }
        self.configuration = configuration
        nowMilliseconds = now.millisecondsSinceEpoch
        for skill in configuration.skills {
            skillSlots[skill.id] = Int32(skillDefinitions.count)
            skillDefinitions.append(skill)
            availableSkillCounts.append(Array(repeating: 0, count: SkillLevel.maximum + 1))
        }
        for role in configuration.roles { roles[role.id] = role }
        for profile in configuration.capacityProfiles { profiles[profile.id] = profile }
        var timerLanes = 0
        for queue in configuration.queues {
            queueSlots[queue.id] = Int32(queues.count)
            var starts: [Int64] = [0]
            for step in queue.fallbackSteps {
                starts.append(RoutingInstant.milliseconds(fromSeconds: step.afterSeconds))
            }
            let needs = Self.merge(queue.requiredSkills.map { (skillSlots[$0.skill] ?? 0, $0.minimumLevel) })
            queues.append(
                QueueRuntime(
                    configuration: queue, stepStartsMilliseconds: starts, requiredNeeds: needs,
                    stepRelaxations: queue.fallbackSteps.map { describe($0) }, firstTimerLane: timerLanes))
            timerLanes += queue.fallbackSteps.count + Self.timerLanesPerQueue
            if queue.sticky.enabled {
                longestStickyWindowMilliseconds = max(
                    longestStickyWindowMilliseconds,
                    RoutingInstant.milliseconds(fromSeconds: queue.sticky.windowSeconds))
            }
        }
        timers = TimerQueue(laneCount: timerLanes)
        scheduleClosings(after: nowMilliseconds)
    }

    // MARK: Public API

    /// Applies one input at `now`: first every deadline due up to `now` fires (each at its
    /// own instant), then the input. A refused input changes nothing and is reported in
    /// `rejection`; the deadline actions before it still stand.
    public mutating func handle(_ input: RoutingInput, at now: RoutingInstant) -> RoutingOutcome {
        var actions: [RoutingAction] = []
        let rejection = handle(input, at: now, into: &actions)
        return RoutingOutcome(actions: actions, rejection: rejection)
    }

    /// Like `handle(_:at:)`, appending to a caller's buffer (no allocation per call when the
    /// buffer is reused). Returns the refusal, or nil when the input was applied.
    @discardableResult
    public mutating func handle(
        _ input: RoutingInput, at now: RoutingInstant, into actions: inout [RoutingAction]
    ) -> RoutingError? {
        swap(&output, &actions)
        defer { swap(&output, &actions) }
        fireTimers(upTo: max(now.millisecondsSinceEpoch, nowMilliseconds))
        nowMilliseconds = max(now.millisecondsSinceEpoch, nowMilliseconds)
        purgeExpiredOwnerships()
        defer { finishStep() }
        do {
            try apply(input)
            releasePendingHolds()
            return nil
        } catch {
            return error
        }
    }

    /// The earliest instant at which time alone changes something (an offer expires, a hold
    /// ends, a ladder step starts, wrap-up times out, an offline grace ends, a wait limit
    /// passes, a queue closes). The shell calls `handle(.timeAdvanced, at:)` then.
    public var nextDeadline: RoutingInstant? {
        mutating get {
            dropStaleTimers()
            return earliestScheduledDeadline
        }
    }

    /// The earliest instant a timer is scheduled for, without dropping timers that became moot
    /// (so it may be earlier than `nextDeadline`). Reading it changes nothing, so a shell that
    /// must not touch the engine between inputs (the router replays its journal through the
    /// same code, and a state changed outside an input would not replay) wakes at this instant
    /// and hands the engine a tick, which drops moot timers as part of an input.
    public var earliestScheduledDeadline: RoutingInstant? {
        let earliest = min(timers.min?.deadline ?? .max, nextClosingMilliseconds)
        return earliest == .max ? nil : RoutingInstant(millisecondsSinceEpoch: earliest)
    }

    /// Sizes the engine's tables for this many open conversations and known customers (those
    /// with an open conversation or a sticky owner within the longest window), so that they do
    /// not grow while routing: growing a table of hundreds of thousands of entries rehashes or
    /// copies all of them at once, a pause of milliseconds in the middle of one decision. The
    /// router calls it at start with the figures it plans for; it changes no decision.
    public mutating func reserveCapacity(openConversations: Int, customers customerCount: Int) {
        let conversationCount = max(0, openConversations)
        conversations.reserveCapacity(conversationCount)
        conversationSlots.reserveCapacity(conversationCount)
        customers.reserveCapacity(max(0, customerCount))
        customerSlots.reserveCapacity(max(0, customerCount))
        ownershipExpiries.reserveCapacity(max(0, customerCount))
    }

    /// The latest time the engine has seen.
    public var now: RoutingInstant { RoutingInstant(millisecondsSinceEpoch: nowMilliseconds) }

    /// The configuration in force.
    public var routingConfiguration: RoutingConfiguration { configuration }

    /// An open conversation (queued, offered, assigned or in wrap-up), or nil.
    public func conversation(_ id: ConversationID) -> Conversation? {
        guard let slot = conversationSlots[id] else { return nil }
        return exportConversation(slot)
    }

    /// An agent as the engine knows them, or nil.
    public func agent(_ id: AgentID) -> AgentRecord? {
        guard let slot = agentSlots[id] else { return nil }
        return exportAgent(slot)
    }

    /// An agent's load, capacity and derived presence, or nil.
    public func agentLoad(_ id: AgentID) -> AgentLoad? {
        guard let slot = agentSlots[id] else { return nil }
        return loadOf(slot)
    }

    /// The customer's sticky owner, whether or not any queue's window still holds.
    public func stickyOwner(of customer: CustomerID) -> StickyOwnership? {
        guard let slot = customerSlots[customer], let record = customers[Int(slot)].owner else { return nil }
        return StickyOwnership(
            customer: customer, agent: agents[Int(record.agent)].profile.id,
            lastHandledAt: RoutingInstant(millisecondsSinceEpoch: record.lastHandledAt),
            openConversations: record.openConversations, topic: record.topic)
    }

    /// Figures for one queue, or nil when it is unknown.
    public func statistics(of queue: QueueID) -> QueueStatistics? {
        guard let slot = queueSlots[queue] else { return nil }
        let runtime = queues[Int(slot)]
        var oldest: Int64?
        for bucketID in runtime.buckets {
            for line in buckets[Int(bucketID)].lines {
                if let entry = line.first {
                    let since = conversations[Int(entry.slot)].waitingSince
                    oldest = min(oldest ?? since, since)
                }
            }
        }
        return QueueStatistics(
            queue: queue, waiting: runtime.waiting, held: runtime.held,
            oldestWaitingSince: oldest.map { RoutingInstant(millisecondsSinceEpoch: $0) }, assigned: runtime.assigned,
            assignedWithinServiceLevel: runtime.assignedWithinServiceLevel, abandoned: runtime.abandoned)
    }

    /// Open conversations, in arrival order.
    public var openConversationCount: Int { conversationSlots.count }

    /// Waiting conversations of every queue (held ones included).
    public var waitingCount: Int { queues.reduce(0) { $0 + $1.waiting } }

    /// Alerts raised and not yet cleared.
    public var alerts: [RoutingAlert] {
        activeAlerts.values.sorted { String(describing: $0.key) < String(describing: $1.key) }
    }

    // MARK: Dispatch

    mutating func apply(_ input: RoutingInput) throws(RoutingError) {
        switch input {
        case .openConversation(let request): try openConversation(request)
        case .addAgent(let profile, let presence): try addAgent(profile, presence: presence)
        case .updateAgent(let profile): try updateAgent(profile)
        case .removeAgent(let id): try removeAgent(id)
        case .presenceChanged(let id, let status, let stamp): try changePresence(id, status: status, stamp: stamp)
        case .acceptOffer(let id, let agent): try acceptOffer(id, agent: agent)
        case .declineOffer(let id, let agent): try declineOffer(id, agent: agent)
        case .closeConversation(let id): try closeConversation(id)
        case .endWrapUp(let id, let disposition): try endWrapUp(id, disposition: disposition)
        case .abandonConversation(let id): try abandonConversation(id)
        case .transferConversation(let id, let target): try transferConversation(id, to: target)
        case .timeAdvanced: break
        }
    }

    // MARK: Small helpers

    /// Sorted requirement set from (skill slot, level) pairs; a skill named twice keeps the higher level.
    static func merge(_ pairs: [(Int32, Int)]) -> [SkillNeed] {
        let bySkill = pairs.sorted { $0.0 < $1.0 }
        var result: [SkillNeed] = []
        result.reserveCapacity(bySkill.count)
        var index = 0
        while index < bySkill.count {
            let skill = bySkill[index].0
            var level = 0
            while index < bySkill.count, bySkill[index].0 == skill {
                level = max(level, bySkill[index].1)
                index += 1
            }
            result.append(SkillNeed(skill: skill, level: Int8(clamping: level)))
        }
        return result
    }

    mutating func internRequirement(_ needs: [SkillNeed]) -> Int32 {
        if let id = requirementIDs[needs] { return id }
        let id = Int32(requirementSets.count)
        requirementSets.append(needs)
        packedRequirements.append(PackedRequirement(needs))
        requirementIDs[needs] = id
        requirementSkills.append(
            needs.map { SkillRequirement(skillDefinitions[Int($0.skill)].id, minimumLevel: Int($0.level)) })
        requirementFacts.append(
            needs.map {
                SkillLevelFact(
                    skill: skillDefinitions[Int($0.skill)].id, skillName: skillDefinitions[Int($0.skill)].name,
                    level: Int($0.level))
            })
        return id
    }

    /// The customer's slot, made on first sight. Call only once the input is known to apply.
    mutating func internCustomer(_ id: CustomerID) -> Int32 {
        let fresh = freeCustomerSlots.last ?? Int32(customers.count)
        let (slot, inserted) = Self.claim(&customerSlots[id, default: -1], for: fresh)
        guard inserted else { return slot }
        if freeCustomerSlots.last == fresh {
            freeCustomerSlots.removeLast()
            customers[Int(fresh)] = CustomerRecord(id: id)
        } else {
            customers.append(CustomerRecord(id: id))
        }
        return slot
    }

    /// A slot-table entry reached through `table[key, default: -1]`: claims it for `slot`
    /// when it is new (-1), else leaves it. One hash and probe for "find or insert".
    static func claim(_ entry: inout Int32, for slot: Int32) -> (slot: Int32, inserted: Bool) {
        guard entry < 0 else { return (entry, false) }
        entry = slot
        return (slot, true)
    }

    /// Forgets a customer who has no open conversation and no owner left.
    mutating func releaseCustomerIfUnused(_ slot: Int32) {
        let index = Int(slot)
        guard customers[index].openConversations == 0, customers[index].owner == nil else { return }
        customerSlots.removeValue(forKey: customers[index].id)
        customers[index].owner = nil
        customers[index].waitingHead = -1
        freeCustomerSlots.append(slot)
    }

    func conversationSlot(_ id: ConversationID) throws(RoutingError) -> Int32 {
        guard let slot = conversationSlots[id] else { throw .unknownConversation(id) }
        return slot
    }

    func agentSlot(_ id: AgentID) throws(RoutingError) -> Int32 {
        guard let slot = agentSlots[id] else { throw .unknownAgent(id) }
        return slot
    }

    mutating func emit(_ action: RoutingAction) { output.append(action) }

    func seconds(_ milliseconds: Int64) -> Double { Double(milliseconds) / 1000 }

    func instant(_ milliseconds: Int64) -> RoutingInstant { RoutingInstant(millisecondsSinceEpoch: milliseconds) }

    func loadOf(_ slot: Int32) -> AgentLoad {
        let hot = agentHot[Int(slot)]
        return AgentLoad(
            agent: agents[Int(slot)].profile.id, load: hot.load, live: hot.live, capacity: hot.capacity,
            presence: hot.derivedPresence)
    }

    /// Load events go out once per agent at the end of a step, after the events that explain them.
    mutating func markLoadChanged(_ slot: Int32) {
        if !loadChangedAgents.contains(slot) { loadChangedAgents.append(slot) }
    }

    /// Ends one step (an input, or one deadline): overflow alerts and load events.
    mutating func finishStep() {
        refreshPendingAgents()
        checkDirtyQueues()
        for slot in loadChangedAgents { emit(.agentLoadChanged(loadOf(slot))) }
        loadChangedAgents.emptyKeepingCapacity()
    }

    mutating func scheduleTimer(_ kind: TimerEntry.Kind, at deadline: Int64, slot: Int32) {
        timers.push(
            TimerEntry(
                deadline: deadline, order: nextTimerOrder, kind: kind, slot: slot,
                arrivalSequence: conversations[Int(slot)].arrivalSequence),
            lane: timerLane(kind, slot: slot))
        nextTimerOrder += 1
    }

    /// The timer lane (see `TimerQueue`) of a kind of timer for a conversation: per queue,
    /// one per ladder step left, then one per other kind.
    mutating func timerLane(_ kind: TimerEntry.Kind, slot: Int32) -> Int {
        let queue = Int(conversations[Int(slot)].queue)
        let ladderLanes = queues[queue].stepStartsMilliseconds.count - 1
        let offset: Int
        switch kind {
        case .ladderStep: offset = Int(conversations[Int(slot)].line)
        case .holdExpiry: offset = ladderLanes
        case .offerExpiry: offset = ladderLanes + 1
        case .wrapUpTimeout: offset = ladderLanes + 2
        case .offlineGrace: offset = ladderLanes + 3
        case .waitLimit: offset = ladderLanes + 4
        }
        return queues[queue].firstTimerLane + offset
    }
}
