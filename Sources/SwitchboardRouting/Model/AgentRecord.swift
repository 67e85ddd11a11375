/// An agent as the engine knows them at run time: profile, presence, and what routing
/// remembers about them. Load is not stored: it is derived from their conversations.
public struct AgentRecord: Sendable, Hashable, Codable {
    public var profile: AgentProfile
    public var presence: AgentPresence
    /// Set when the engine took the agent out of routing after missed offers; cleared by
    /// the next presence event.
    public var awayReason: String?
    /// Expired offers in a row (reset by accept or decline).
    public var missedOffersInARow: Int
    /// Last time they received or finished work, or became Available ("most idle").
    public var idleSince: RoutingInstant
    /// Per queue, the round-robin turn at which they last got work from it.
    public var roundRobinTurns: [QueueID: UInt64]

    public init(
        profile: AgentProfile, presence: AgentPresence, awayReason: String? = nil, missedOffersInARow: Int = 0,
        idleSince: RoutingInstant = .zero, roundRobinTurns: [QueueID: UInt64] = [:]
    ) {
        self.profile = profile
        self.presence = presence
        self.awayReason = awayReason
        self.missedOffersInARow = missedOffersInARow
        self.idleSince = idleSince
        self.roundRobinTurns = roundRobinTurns
    }
}

/// An agent's work per channel as the `agent.load` event reports it.
public struct AgentLoad: Sendable, Hashable, Codable {
    public var agent: AgentID
    /// Offered, assigned and wrap-up conversations per channel.
    public var load: ChannelCounts
    /// Offered and assigned only (what exclusions look at).
    public var live: ChannelCounts
    public var capacity: ChannelCounts
    public var presence: DerivedPresence

    public init(
        agent: AgentID, load: ChannelCounts, live: ChannelCounts, capacity: ChannelCounts, presence: DerivedPresence
    ) {
        self.agent = agent
        self.load = load
        self.live = live
        self.capacity = capacity
        self.presence = presence
    }
}
