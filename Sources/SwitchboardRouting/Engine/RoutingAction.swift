/// What the engine decided; the shell persists it and publishes the matching bus event.
/// Each case carries what its event needs, so the shell never has to look anything up.
public enum RoutingAction: Sendable, Hashable {
    /// `conversation.queued`: now waiting (`heldFor` set while held for its sticky owner).
    case queued(QueuedConversation)
    /// `conversation.offered`: the agent's capacity is held until accept, decline or `expiresAt`.
    case offered(RoutingDecision, expiresAt: RoutingInstant)
    /// `conversation.assigned` (directly, or when an offer is accepted).
    case assigned(RoutingDecision)
    /// The agent declined; the conversation waits again and never goes back to them.
    case offerDeclined(ConversationID, agent: AgentID)
    /// Nobody answered the offer in time.
    case offerExpired(ConversationID, agent: AgentID, missedInARow: Int)
    /// `conversation.requeued`: it lost its agent (or was transferred) and waits again.
    case requeued(RequeuedConversation)
    /// `conversation.transferred`.
    case transferred(ConversationID, from: AgentID?, to: TransferTarget)
    /// `conversation.closed` (wrap-up may follow).
    case closed(ConversationID, agent: AgentID?, at: RoutingInstant)
    /// Wrap-up began: the agent's capacity on the channel stays held until `endsAt`.
    case wrapUpStarted(ConversationID, agent: AgentID, endsAt: RoutingInstant)
    /// Wrap-up ended, with the agent's disposition code or by timing out.
    case wrapUpEnded(ConversationID, agent: AgentID, disposition: String?, timedOut: Bool)
    /// `conversation.abandoned`: the customer left; it is never assigned.
    case abandoned(ConversationID, queue: QueueID, waitedSeconds: Double)
    /// `conversation.abandoned` with `cause: queue-closed`: its queue closed while it waited
    /// and refuses work outside its hours (`closedRule: refuse`), so it ends, with the next
    /// opening for the channel to tell the customer.
    case turnedAway(ConversationID, queue: QueueID, waitedSeconds: Double, opensAt: RoutingInstant?)
    /// `agent.removed`: comes first among the actions of a removal.
    case agentRemoved(AgentID)
    /// `agent.load`: the agent's load changed.
    case agentLoadChanged(AgentLoad)
    /// The engine stopped routing to the agent (missed offers in a row). The shell asks the
    /// presence tracker to set them Away with this reason.
    case agentSetAway(AgentID, reason: String)
    /// `sticky.*`: the customer's owner changed (nil when cleared).
    case stickyOwnerChanged(CustomerID, owner: AgentID?, reason: StickyChangeReason)
    /// `alert.raised` for supervisors.
    case alertRaised(RoutingAlert)
    /// The condition behind an alert is gone.
    case alertCleared(RoutingAlert.Key)
}

/// A conversation entering the wait.
public struct QueuedConversation: Sendable, Hashable, Codable {
    public var conversation: ConversationID
    public var customer: CustomerID
    public var queue: QueueID
    public var channel: Channel
    public var priority: Int
    public var requiredSkills: [SkillRequirement]
    public var topic: String?
    public var arrivalSequence: UInt64
    public var waitingSince: RoutingInstant
    public var aheadOfNewWork: Bool
    public var heldFor: AgentID?
    public var holdUntil: RoutingInstant?

    public init(
        conversation: ConversationID, customer: CustomerID, queue: QueueID, channel: Channel, priority: Int,
        requiredSkills: [SkillRequirement], topic: String?, arrivalSequence: UInt64, waitingSince: RoutingInstant,
        aheadOfNewWork: Bool, heldFor: AgentID?, holdUntil: RoutingInstant?
    ) {
        self.conversation = conversation
        self.customer = customer
        self.queue = queue
        self.channel = channel
        self.priority = priority
        self.requiredSkills = requiredSkills
        self.topic = topic
        self.arrivalSequence = arrivalSequence
        self.waitingSince = waitingSince
        self.aheadOfNewWork = aheadOfNewWork
        self.heldFor = heldFor
        self.holdUntil = holdUntil
    }
}

/// A conversation that lost its agent (or was transferred) and waits again.
public struct RequeuedConversation: Sendable, Hashable, Codable {
    /// Where and how it waits now (queue, requirement, hold, order).
    public var waiting: QueuedConversation
    public var previousAgent: AgentID?
    public var reason: RequeueReason
    /// Where it came from and which limit it passed, when `reason` is `.overflowed`.
    public var overflow: OverflowMove?

    public init(
        waiting: QueuedConversation, previousAgent: AgentID?, reason: RequeueReason, overflow: OverflowMove? = nil
    ) {
        self.waiting = waiting
        self.previousAgent = previousAgent
        self.reason = reason
        self.overflow = overflow
    }

    /// What a supervisor reads: the reason's sentence, or for an overflow which limit moved
    /// it where ("Waited longer than 5 min in chat-en-general: moved to chat-en-overflow.").
    public var sentence: String {
        guard let overflow else { return reason.sentence }
        return "\(overflow.cause.sentence(queue: overflow.fromQueue)): moved to \(waiting.queue)."
    }

    public var conversation: ConversationID { waiting.conversation }
    public var queue: QueueID { waiting.queue }
    /// Re-queued after its agent went Offline, was removed, or transferred it.
    public var aheadOfNewWork: Bool { waiting.aheadOfNewWork }
    /// Start of the new wait: kept after a declined or missed offer, now after losing an agent.
    public var waitingSince: RoutingInstant { waiting.waitingSince }
}

/// Why a conversation went back to waiting.
public enum RequeueReason: String, Sendable, Hashable, Codable {
    /// Its offer was declined.
    case offerDeclined
    /// Its offer expired unanswered.
    case offerExpired
    /// Its agent went Offline (offers at once; chats after the grace period).
    case agentOffline
    /// Its agent was removed ("leaves the company").
    case agentRemoved
    /// It was transferred to a queue.
    case transferred
    /// Its offered agent was taken out of routing after missed offers.
    case agentSetAway
    /// It passed its queue's overflow limit and moved to the queue's `overflow.to`.
    case overflowed

    /// What a supervisor reads.
    public var sentence: String {
        switch self {
        case .offerDeclined: "The agent declined the offer."
        case .offerExpired: "The offer expired unanswered."
        case .agentOffline: "The agent went Offline."
        case .agentRemoved: "The agent was removed from the contact centre; ownership cleared."
        case .transferred: "Transferred to another queue."
        case .agentSetAway: "The agent was set Away after missed offers."
        case .overflowed: "Past its queue's overflow limit: moved to the overflow queue."
        }
    }
}

/// A waiting conversation moved to its queue's overflow queue.
public struct OverflowMove: Sendable, Hashable, Codable {
    /// Which limit it passed.
    public enum Cause: Sendable, Hashable, Codable {
        /// It waited `maxWaitSeconds` in the queue.
        case waitedLongerThan(seconds: Double)
        /// It arrived while `maxWaiting` conversations already waited there.
        case queueFull(maxWaiting: Int)
        /// It waited in the queue when the queue closed, and the queue sends its work on
        /// outside its hours (`closedRule: overflow`).
        case queueClosed

        func sentence(queue: QueueID) -> String {
            switch self {
            case .waitedLongerThan(let seconds): "Waited longer than \(DecisionReason.duration(seconds)) in \(queue)"
            case .queueFull(let maxWaiting): "Queue \(queue) was full (\(maxWaiting) waiting)"
            case .queueClosed: "Queue \(queue) closed while it waited"
            }
        }
    }

    /// The queue it left.
    public var fromQueue: QueueID
    public var cause: Cause

    public init(fromQueue: QueueID, cause: Cause) {
        self.fromQueue = fromQueue
        self.cause = cause
    }
}

/// Why a customer's sticky owner changed.
public enum StickyChangeReason: String, Sendable, Hashable, Codable {
    case assigned
    case transferred
    case agentRemoved
}

/// Something a supervisor should act on.
public enum RoutingAlert: Sendable, Hashable, Codable {
    /// `alert.skill-too-rare`: conversations need `skill` at `minimumLevel` and no Available
    /// agent has it at all.
    case skillTooRare(skill: SkillID, minimumLevel: Int, queue: QueueID, conversation: ConversationID)
    /// `alert.queue-overflow`: the queue is past its overflow limits.
    case queueOverflow(queue: QueueID, waiting: Int, maxWaiting: Int?, overdue: Int, maxWaitSeconds: Double?)

    /// Identifies an alert so it is raised once and cleared once.
    public enum Key: Sendable, Hashable, Codable {
        case skillTooRare(skill: SkillID, minimumLevel: Int, queue: QueueID)
        case queueOverflow(queue: QueueID)
    }

    public var key: Key {
        switch self {
        case .skillTooRare(let skill, let level, let queue, _):
            .skillTooRare(skill: skill, minimumLevel: level, queue: queue)
        case .queueOverflow(let queue, _, _, _, _): .queueOverflow(queue: queue)
        }
    }

    /// What a supervisor reads.
    public var sentence: String {
        switch self {
        case .skillTooRare(let skill, let level, let queue, let conversation):
            return
                "Skill too rare: \(conversation) in \(queue) needs \(skill) \(level) and no Available agent has it; "
                + "bring such an agent online or widen the fallback ladder."
        case .queueOverflow(let queue, let waiting, let maxWaiting, let overdue, let maxWaitSeconds):
            var parts: [String] = []
            if let maxWaiting, waiting > maxWaiting { parts.append("\(waiting) waiting (limit \(maxWaiting))") }
            if let maxWaitSeconds, overdue > 0 {
                parts.append("\(overdue) waiting longer than \(DecisionReason.duration(maxWaitSeconds))")
            }
            return "Queue \(queue) overflowing: \(parts.joined(separator: ", "))."
        }
    }
}

/// What `RoutingEngine.handle` returns: the actions, and the refusal of the input if it was refused.
public struct RoutingOutcome: Sendable, Hashable {
    /// Actions in the order they happened (deadlines that came due first, then the input's).
    public var actions: [RoutingAction]
    /// Why the input was refused, for the shell's NACK; nil when it was applied.
    public var rejection: RoutingError?

    public init(actions: [RoutingAction], rejection: RoutingError?) {
        self.actions = actions
        self.rejection = rejection
    }
}
