public import SwitchboardRouter
public import SwitchboardRouting

/// One routing decision as the replay compares them: an offer or an assignment, to whom, when,
/// by which rule and why.
public struct ReplayDecision: Sendable, Hashable {
    public var conversation: ConversationID
    public var agent: AgentID
    public var at: RoutingInstant
    public var offered: Bool
    public var rule: String
    public var reason: String

    /// The same decision: same agent, same instant, same kind (the rule and reason follow).
    public func matches(_ other: ReplayDecision) -> Bool {
        agent == other.agent && at == other.at && offered == other.offered
    }
}

/// What one run did to one conversation, as the figures need it.
public struct ConversationRecord: Sendable {
    public var id: ConversationID
    public var customer: CustomerID
    /// The queue it arrived in (its figures count there).
    public var queue: QueueID
    public var channel: Channel
    public var openedAt: RoutingInstant
    public var decisions: [ReplayDecision] = []
    /// The first assignment, and the wait before it.
    public var firstAssignment: ReplayDecision?
    public var waitSeconds: Double?
    /// The agent's load on the channel right after the first assignment (this one included).
    public var loadAtAssignment = 1
    /// First assignment to close.
    public var handlingSeconds: Double?
    public var abandonedWaitSeconds: Double?
    /// Offer to assignment by the same agent (accepted offers).
    public var acceptDelaySeconds: Double?
    public var wrapUpSeconds: Double?
    /// Whether the customer had been handled before, and if so whether by the same agent now.
    public var returning = false
    public var reachedOwner = false
    var offeredAt: RoutingInstant?
    var assignedAt: RoutingInstant?
    var wrapUpStartedAt: RoutingInstant?
}

/// Watches a run's steps and keeps, per conversation, its decisions and times, and per agent
/// the time spent on work within the window.
public struct ReplayTrace: Sendable {
    public private(set) var conversations: [ConversationID: ConversationRecord] = [:]
    /// Conversations in the order the run first saw them.
    public private(set) var order: [ConversationID] = []
    /// Seconds of assigned work per agent and channel within the window.
    public private(set) var busySeconds: [AgentID: [Channel: Double]] = [:]
    public private(set) var decisionCount = 0
    private var lastHandler: [CustomerID: AgentID] = [:]
    private var working: [ConversationID: (agent: AgentID, channel: Channel, since: RoutingInstant)] = [:]
    let windowStart: RoutingInstant
    let windowEnd: RoutingInstant

    public init(windowStart: RoutingInstant, windowEnd: RoutingInstant) {
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }

    /// Records what `step` did; returns the decisions it made, in order.
    @discardableResult
    public mutating func observe(_ step: RouterStep, at now: RoutingInstant, state: RouterState) -> [ReplayDecision] {
        var decisions: [ReplayDecision] = []
        for effect in step.effects {
            guard case .conversation(let change, _) = effect else { continue }
            let id = change.conversation
            switch change {
            case .offered(let decision, _):
                let made = made(decision, offered: true, at: now)
                record(id, state: state) { record in
                    record.decisions.append(made)
                    record.offeredAt = now
                }
                decisions.append(made)
            case .assigned(let decision, let waited):
                let made = made(decision, offered: false, at: now)
                let load = state.engine.agentLoad(decision.agent)?.load[decision.channel] ?? 1
                let owner = lastHandler[decision.customer]
                record(id, state: state) { record in
                    record.decisions.append(made)
                    if record.firstAssignment == nil {
                        record.firstAssignment = made
                        record.waitSeconds = waited
                        record.loadAtAssignment = max(1, load)
                        record.returning = owner != nil
                        record.reachedOwner = owner == decision.agent
                        if let offeredAt = record.offeredAt { record.acceptDelaySeconds = now.seconds(since: offeredAt) }
                    }
                    record.assignedAt = now
                }
                lastHandler[decision.customer] = decision.agent
                endWork(id, at: now)
                working[id] = (decision.agent, decision.channel, now)
                decisions.append(made)
            case .requeued, .transferred:
                endWork(id, at: now)
            case .closed:
                endWork(id, at: now)
                record(id, state: state) { record in
                    if let first = record.firstAssignment, record.handlingSeconds == nil {
                        record.handlingSeconds = now.seconds(since: first.at)
                    }
                }
            case .abandoned(_, _, let waited), .turnedAway(_, _, let waited, _, _):
                endWork(id, at: now)
                record(id, state: state) { $0.abandonedWaitSeconds = waited }
            case .wrapUpStarted:
                record(id, state: state) { $0.wrapUpStartedAt = now }
            case .wrapUpEnded(_, _, _, let timedOut):
                record(id, state: state) { record in
                    if !timedOut, let started = record.wrapUpStartedAt { record.wrapUpSeconds = now.seconds(since: started) }
                }
            case .queued, .declined, .offerExpired, .messageAppended:
                continue
            }
        }
        decisionCount += decisions.count
        return decisions
    }

    /// Ends the work still open at the end of the window.
    public mutating func finish() {
        for id in Array(working.keys) { endWork(id, at: windowEnd) }
    }

    private func made(_ decision: RoutingDecision, offered: Bool, at now: RoutingInstant) -> ReplayDecision {
        ReplayDecision(
            conversation: decision.conversation, agent: decision.agent, at: now, offered: offered,
            rule: decision.rule.name, reason: decision.reason.sentence)
    }

    private mutating func endWork(_ id: ConversationID, at now: RoutingInstant) {
        guard let work = working.removeValue(forKey: id) else { return }
        let start = max(work.since, windowStart)
        let end = min(now, windowEnd)
        guard end > start else { return }
        busySeconds[work.agent, default: [:]][work.channel, default: 0] += end.seconds(since: start)
    }

    private mutating func record(
        _ id: ConversationID, state: RouterState, _ change: (inout ConversationRecord) -> Void
    ) {
        if conversations[id] == nil {
            guard let view = state.views[id] else { return }
            conversations[id] = ConversationRecord(
                id: id, customer: view.customer, queue: view.queue, channel: view.channel, openedAt: view.openedAt)
            order.append(id)
        }
        change(&conversations[id]!)
    }

    /// Registers a conversation as it opens (before any decision), in the queue it arrived in.
    public mutating func opened(_ request: ConversationRequest, at now: RoutingInstant, state: RouterState) {
        guard conversations[request.id] == nil, let view = state.views[request.id] else { return }
        conversations[request.id] = ConversationRecord(
            id: request.id, customer: request.customer, queue: request.queue, channel: view.channel, openedAt: now)
        order.append(request.id)
    }
}
