/// What an observer of the bus sees, in a vocabulary close to the bus events, so the same
/// checker reads facts made from engine actions (tests) or decoded from the real event
/// stream (the chaos checker).
public enum RoutingFact: Sendable, Hashable, Codable {
    /// `agent.added` / `agent.updated`: who the agent is (skills, profile, queues).
    case agentDescribed(AgentProfile)
    /// `agent.removed`.
    case agentRemoved(AgentID)
    /// `presence.changed`.
    case presenceChanged(AgentID, PresenceStatus, stamp: PresenceStamp)
    /// The router took the agent out of routing (missed offers) until a newer presence event.
    case agentSetAway(AgentID)
    /// `conversation.queued`: waiting, with its hold state.
    case conversationQueued(QueuedConversation)
    /// `conversation.offered`.
    case conversationOffered(RoutingDecision)
    /// `conversation.assigned`.
    case conversationAssigned(RoutingDecision)
    /// `conversation.requeued` (after decline, expiry, Offline, removal, transfer).
    case conversationRequeued(RequeuedConversation)
    /// `conversation.transferred`.
    case conversationTransferred(ConversationID, from: AgentID?, to: TransferTarget)
    /// `conversation.closed`.
    case conversationClosed(ConversationID)
    /// `conversation.wrapup-ended`.
    case wrapUpEnded(ConversationID)
    /// `conversation.abandoned`.
    case conversationAbandoned(ConversationID)
    /// `conversation.abandoned` with `cause: queue-closed`: its queue closed while it waited.
    case conversationTurnedAway(ConversationID, queue: QueueID)
    /// `agent.load`.
    case agentLoad(AgentLoad)

    /// The facts an engine action stands for (none for alerts and sticky notices, which the
    /// checker derives on its own).
    public static func facts(from action: RoutingAction) -> [RoutingFact] {
        switch action {
        case .queued(let queued): [.conversationQueued(queued)]
        case .offered(let decision, _): [.conversationOffered(decision)]
        case .assigned(let decision): [.conversationAssigned(decision)]
        case .requeued(let requeued): [.conversationRequeued(requeued)]
        case .transferred(let id, let from, let to): [.conversationTransferred(id, from: from, to: to)]
        case .closed(let id, _, _): [.conversationClosed(id)]
        case .wrapUpEnded(let id, _, _, _): [.wrapUpEnded(id)]
        case .abandoned(let id, _, _): [.conversationAbandoned(id)]
        case .turnedAway(let id, let queue, _, _): [.conversationTurnedAway(id, queue: queue)]
        case .agentLoadChanged(let load): [.agentLoad(load)]
        case .agentSetAway(let agent, _): [.agentSetAway(agent)]
        case .agentRemoved(let agent): [.agentRemoved(agent)]
        case .offerDeclined, .offerExpired, .wrapUpStarted, .stickyOwnerChanged, .alertRaised, .alertCleared: []
        }
    }
}

/// A fact and when it happened.
public struct ObservedFact: Sendable, Hashable, Codable {
    public var at: RoutingInstant
    public var fact: RoutingFact

    public init(at: RoutingInstant, fact: RoutingFact) {
        self.at = at
        self.fact = fact
    }
}

/// One broken invariant, naming what and who.
public struct InvariantViolation: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Load above the cap on a channel.
        case overCapacity
        /// Work given on a channel that a live exclusive channel forbids.
        case exclusionBroken
        /// Offered or assigned while another agent holds it.
        case doubleAssignment
        /// Assigned or offered after it was abandoned or closed, or never announced.
        case assignedWhenNotWaiting
        /// The presence event the assignment names did not say Available.
        case agentNotAvailable
        /// Rule 1 held for the sticky owner, yet someone else got it.
        case stickyOwnerBypassed
        /// An older (or higher-priority) conversation the agent could take was left waiting.
        case olderConversationSkipped
        /// An agent got a conversation they had declined, missed, or transferred away.
        case reofferedToExcludedAgent
        /// The rule or sentence does not match the decision actually taken.
        case reasonMismatch
        /// The router's reported load differs from what its events add up to.
        case loadMismatch
        /// A conversation that should be open is missing or in another state.
        case conversationLost
        /// A fact that cannot follow the facts before it.
        case impossibleTransition
        /// A conversation moved to an overflow queue its queue does not name, before its limit,
        /// while held or offered, or losing its place by arrival or its priority.
        case overflowBroken
        /// A conversation ended or moved by its queue's closing when the queue did not close
        /// then, or its rule says otherwise.
        case hoursBroken
    }

    public var kind: Kind
    public var at: RoutingInstant
    public var conversation: ConversationID?
    public var agent: AgentID?
    public var message: String

    public init(kind: Kind, at: RoutingInstant, conversation: ConversationID?, agent: AgentID?, message: String) {
        self.kind = kind
        self.at = at
        self.conversation = conversation
        self.agent = agent
        self.message = message
    }

    public var description: String {
        "\(kind.rawValue) at \(at): \(message)"
    }
}
