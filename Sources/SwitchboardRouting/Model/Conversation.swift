/// What a channel gateway asks the router to route (the `conversation.open` command).
public struct ConversationRequest: Sendable, Hashable, Codable {
    public var id: ConversationID
    public var customer: CustomerID
    public var queue: QueueID
    /// When given, must be the queue's channel.
    public var channel: Channel?
    /// Skills required beyond the queue's, from project or message metadata.
    public var extraSkills: [SkillRequirement]
    /// Overrides the queue's priority (higher is served first).
    public var priority: Int?
    /// What it is about; queues with `sameTopicOnly` compare it with the owner's last topic.
    public var topic: String?

    public init(
        id: ConversationID, customer: CustomerID, queue: QueueID, channel: Channel? = nil,
        extraSkills: [SkillRequirement] = [], priority: Int? = nil, topic: String? = nil
    ) {
        self.id = id
        self.customer = customer
        self.queue = queue
        self.channel = channel
        self.extraSkills = extraSkills
        self.priority = priority
        self.topic = topic
    }
}

/// A conversation as the engine knows it: the entity the router persists and snapshots.
/// Deadlines are absolute instants, so a restart rebuilds the same timers.
public struct Conversation: Sendable, Hashable, Codable {
    public var id: ConversationID
    public var customer: CustomerID
    public var channel: Channel
    public var queue: QueueID
    public var extraSkills: [SkillRequirement]
    public var priority: Int
    public var topic: String?
    public var state: ConversationState
    /// The agent offered it, handling it or in wrap-up on it.
    public var agent: AgentID?
    public var openedAt: RoutingInstant
    /// Arrival order; older conversations are served first within a priority.
    public var arrivalSequence: UInt64
    /// Start of the current wait (the fallback ladder counts from here). Kept through
    /// declined offers; reset when an agent loses it or it is transferred.
    public var waitingSince: RoutingInstant
    /// Re-queued after its agent went Offline, was removed, or transferred it: it goes
    /// before conversations that never had an agent.
    public var aheadOfNewWork: Bool
    /// The sticky owner it waits for, while a hold-for-owner lasts.
    public var heldFor: AgentID?
    public var holdUntil: RoutingInstant?
    /// A hold already expired: do not hold it again for the same owner.
    public var holdExpired: Bool
    /// Agents who declined it, let an offer expire, or transferred it away: never offered it again.
    public var excludedAgents: [AgentID]
    public var offerExpiresAt: RoutingInstant?
    public var assignedAt: RoutingInstant?
    public var wrapUpEndsAt: RoutingInstant?
    /// Set while its agent is Offline: when reached, a non-voice conversation is re-queued.
    public var offlineGraceEndsAt: RoutingInstant?
    /// The decision that offered or assigned it.
    public var decision: RoutingDecision?
    /// Times it went back to waiting after having an agent.
    public var requeueCount: Int

    public init(
        id: ConversationID, customer: CustomerID, channel: Channel, queue: QueueID, extraSkills: [SkillRequirement],
        priority: Int, topic: String?, state: ConversationState, agent: AgentID?, openedAt: RoutingInstant,
        arrivalSequence: UInt64, waitingSince: RoutingInstant, aheadOfNewWork: Bool = false, heldFor: AgentID? = nil,
        holdUntil: RoutingInstant? = nil, holdExpired: Bool = false, excludedAgents: [AgentID] = [],
        offerExpiresAt: RoutingInstant? = nil, assignedAt: RoutingInstant? = nil, wrapUpEndsAt: RoutingInstant? = nil,
        offlineGraceEndsAt: RoutingInstant? = nil, decision: RoutingDecision? = nil, requeueCount: Int = 0
    ) {
        self.id = id
        self.customer = customer
        self.channel = channel
        self.queue = queue
        self.extraSkills = extraSkills
        self.priority = priority
        self.topic = topic
        self.state = state
        self.agent = agent
        self.openedAt = openedAt
        self.arrivalSequence = arrivalSequence
        self.waitingSince = waitingSince
        self.aheadOfNewWork = aheadOfNewWork
        self.heldFor = heldFor
        self.holdUntil = holdUntil
        self.holdExpired = holdExpired
        self.excludedAgents = excludedAgents
        self.offerExpiresAt = offerExpiresAt
        self.assignedAt = assignedAt
        self.wrapUpEndsAt = wrapUpEndsAt
        self.offlineGraceEndsAt = offlineGraceEndsAt
        self.decision = decision
        self.requeueCount = requeueCount
    }
}
