/// Every entity the engine's state is made of. The router stores these (in SQLite) and
/// rebuilds the engine from them with `RoutingEngine(snapshot:)`; the indexes are derived.
public struct RoutingSnapshot: Sendable, Hashable, Codable {
    public var configuration: RoutingConfiguration
    public var agents: [AgentRecord]
    /// Open conversations: queued, offered, assigned or in wrap-up.
    public var conversations: [Conversation]
    public var stickyOwners: [StickyOwnership]
    /// Alerts raised and not yet cleared.
    public var activeAlerts: [RoutingAlert]
    /// The latest time the engine has seen.
    public var now: RoutingInstant
    /// The next arrival sequence and round-robin turn to hand out.
    public var nextArrivalSequence: UInt64
    public var nextRoundRobinTurn: UInt64

    public init(
        configuration: RoutingConfiguration, agents: [AgentRecord] = [], conversations: [Conversation] = [],
        stickyOwners: [StickyOwnership] = [], activeAlerts: [RoutingAlert] = [], now: RoutingInstant = .zero,
        nextArrivalSequence: UInt64 = 1, nextRoundRobinTurn: UInt64 = 1
    ) {
        self.configuration = configuration
        self.agents = agents
        self.conversations = conversations
        self.stickyOwners = stickyOwners
        self.activeAlerts = activeAlerts
        self.now = now
        self.nextArrivalSequence = nextArrivalSequence
        self.nextRoundRobinTurn = nextRoundRobinTurn
    }
}

/// Per-queue figures for the monitor.
public struct QueueStatistics: Sendable, Hashable, Codable {
    public var queue: QueueID
    /// Waiting now, held ones included.
    public var waiting: Int
    /// Waiting now and held for a sticky owner.
    public var held: Int
    public var oldestWaitingSince: RoutingInstant?
    public var assigned: Int
    public var assignedWithinServiceLevel: Int
    public var abandoned: Int

    public init(
        queue: QueueID, waiting: Int = 0, held: Int = 0, oldestWaitingSince: RoutingInstant? = nil, assigned: Int = 0,
        assignedWithinServiceLevel: Int = 0, abandoned: Int = 0
    ) {
        self.queue = queue
        self.waiting = waiting
        self.held = held
        self.oldestWaitingSince = oldestWaitingSince
        self.assigned = assigned
        self.assignedWithinServiceLevel = assignedWithinServiceLevel
        self.abandoned = abandoned
    }
}
