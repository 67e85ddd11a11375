/// A queue: one channel, the skills its work needs, and the policies that decide who gets
/// that work and when (sticky ownership, hold for owner, ranking, fallback ladder, offers).
public struct QueueConfiguration: Sendable, Hashable, Codable {
    public var id: QueueID
    public var name: String
    public var channel: Channel
    /// Default priority of its conversations (higher is served first); a conversation may
    /// carry its own.
    public var priority: Int
    public var requiredSkills: [SkillRequirement]
    public var method: AssignmentMethod
    /// Steps that widen the requirement with waiting time, in order of `afterSeconds`.
    /// Step 1 is the full requirement; `fallbackSteps[0]` is step 2, and so on.
    public var fallbackSteps: [FallbackStep]
    public var sticky: StickyPolicy
    /// When set, a conversation whose sticky owner is on break or at capacity waits up to
    /// this long for them before going to someone else.
    public var holdForOwnerSeconds: Double?
    public var offer: OfferPolicy
    /// After close, the agent's capacity on this channel stays held this long, or until
    /// they end wrap-up with a disposition code. 0 frees it at once.
    public var wrapUpSeconds: Double
    public var overflow: OverflowLimits
    public var serviceLevel: ServiceLevelTarget
    /// Opening hours and the rule for work arriving outside them; nil is always open.
    public var hours: QueueHours?

    public init(
        id: QueueID, name: String? = nil, channel: Channel, priority: Int = 0,
        requiredSkills: [SkillRequirement] = [], method: AssignmentMethod = .mostIdle,
        fallbackSteps: [FallbackStep] = [], sticky: StickyPolicy = StickyPolicy(),
        holdForOwnerSeconds: Double? = nil, offer: OfferPolicy = .assignDirectly, wrapUpSeconds: Double = 0,
        overflow: OverflowLimits = OverflowLimits(), serviceLevel: ServiceLevelTarget = ServiceLevelTarget(),
        hours: QueueHours? = nil
    ) {
        self.id = id
        self.name = name ?? id.rawValue
        self.channel = channel
        self.priority = priority
        self.requiredSkills = requiredSkills
        self.method = method
        self.fallbackSteps = fallbackSteps
        self.sticky = sticky
        self.holdForOwnerSeconds = holdForOwnerSeconds
        self.offer = offer
        self.wrapUpSeconds = wrapUpSeconds
        self.overflow = overflow
        self.serviceLevel = serviceLevel
        self.hours = hours
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(QueueID.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? id.rawValue
        channel = try container.decode(Channel.self, forKey: .channel)
        priority = try container.decodeIfPresent(Int.self, forKey: .priority) ?? 0
        requiredSkills = try container.decodeIfPresent([SkillRequirement].self, forKey: .requiredSkills) ?? []
        method = try container.decodeIfPresent(AssignmentMethod.self, forKey: .method) ?? .mostIdle
        fallbackSteps = try container.decodeIfPresent([FallbackStep].self, forKey: .fallbackSteps) ?? []
        sticky = try container.decodeIfPresent(StickyPolicy.self, forKey: .sticky) ?? StickyPolicy()
        holdForOwnerSeconds = try container.decodeIfPresent(Double.self, forKey: .holdForOwnerSeconds)
        offer = try container.decodeIfPresent(OfferPolicy.self, forKey: .offer) ?? .assignDirectly
        wrapUpSeconds = try container.decodeIfPresent(Double.self, forKey: .wrapUpSeconds) ?? 0
        overflow = try container.decodeIfPresent(OverflowLimits.self, forKey: .overflow) ?? OverflowLimits()
        serviceLevel =
            try container.decodeIfPresent(ServiceLevelTarget.self, forKey: .serviceLevel) ?? ServiceLevelTarget()
        hours = try container.decodeIfPresent(QueueHours.self, forKey: .hours)
    }
}

/// How a queue ranks the eligible agents. Ties are broken by agent id, so equal inputs give
/// equal decisions.
public enum AssignmentMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Longest since the agent last received or finished work, or became Available.
    case mostIdle
    /// Most remaining capacity on the queue's channel; ties go to the most idle.
    case leastLoaded
    /// Longest since the agent last received work from this queue (never first).
    case roundRobin
    /// Highest sum of levels over the required skills; ties go to the most idle.
    case bestSkillMatch
}

/// One rung of a fallback ladder: after `afterSeconds` of waiting, the requirement widens.
/// Steps are cumulative: step 3 also applies what step 2 dropped.
public struct FallbackStep: Sendable, Hashable, Codable {
    public var afterSeconds: Double
    /// Drop every requirement of these kinds ("the product skill").
    public var dropSkillKinds: [SkillKind]
    /// Drop these particular skills.
    public var dropSkills: [SkillID]
    /// Lower every remaining minimum level by this much (never below 1).
    public var lowerMinimumLevelsBy: Int
    /// Any agent who serves the queue, whatever their skills.
    public var anyAgentOfQueue: Bool

    public init(
        afterSeconds: Double, dropSkillKinds: [SkillKind] = [], dropSkills: [SkillID] = [],
        lowerMinimumLevelsBy: Int = 0, anyAgentOfQueue: Bool = false
    ) {
        self.afterSeconds = afterSeconds
        self.dropSkillKinds = dropSkillKinds
        self.dropSkills = dropSkills
        self.lowerMinimumLevelsBy = lowerMinimumLevelsBy
        self.anyAgentOfQueue = anyAgentOfQueue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        afterSeconds = try container.decode(Double.self, forKey: .afterSeconds)
        dropSkillKinds = try container.decodeIfPresent([SkillKind].self, forKey: .dropSkillKinds) ?? []
        dropSkills = try container.decodeIfPresent([SkillID].self, forKey: .dropSkills) ?? []
        lowerMinimumLevelsBy = try container.decodeIfPresent(Int.self, forKey: .lowerMinimumLevelsBy) ?? 0
        anyAgentOfQueue = try container.decodeIfPresent(Bool.self, forKey: .anyAgentOfQueue) ?? false
    }
}

/// Keeps a returning customer with the agent who last handled them.
public struct StickyPolicy: Sendable, Hashable, Codable {
    public var enabled: Bool
    /// How long after the owner last handled the customer the ownership still counts.
    public var windowSeconds: Double
    /// "New topic, new owner": when both topics are known and differ, stickiness does not apply.
    public var sameTopicOnly: Bool

    public init(enabled: Bool = true, windowSeconds: Double = 8 * 3600, sameTopicOnly: Bool = false) {
        self.enabled = enabled
        self.windowSeconds = windowSeconds
        self.sameTopicOnly = sameTopicOnly
    }

    public static let disabled = StickyPolicy(enabled: false, windowSeconds: 0)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        windowSeconds = try container.decodeIfPresent(Double.self, forKey: .windowSeconds) ?? 8 * 3600
        sameTopicOnly = try container.decodeIfPresent(Bool.self, forKey: .sameTopicOnly) ?? false
    }
}

/// Whether the queue assigns directly or offers first, and what a missed offer costs.
public struct OfferPolicy: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable {
        case assignDirectly
        case offer
    }

    public var mode: Mode
    /// How long an offer waits for accept or decline before it expires.
    public var timeoutSeconds: Double
    /// This many expired offers in a row set the agent Away (0 disables the rule).
    public var missedOffersBeforeAway: Int

    public init(mode: Mode, timeoutSeconds: Double = 20, missedOffersBeforeAway: Int = 3) {
        self.mode = mode
        self.timeoutSeconds = timeoutSeconds
        self.missedOffersBeforeAway = missedOffersBeforeAway
    }

    public static let assignDirectly = OfferPolicy(mode: .assignDirectly)

    /// Offer with a timeout; `missedOffersBeforeAway` expiries in a row set the agent Away.
    public static func offer(timeoutSeconds: Double, missedOffersBeforeAway: Int = 3) -> OfferPolicy {
        OfferPolicy(mode: .offer, timeoutSeconds: timeoutSeconds, missedOffersBeforeAway: missedOffersBeforeAway)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mode = try container.decodeIfPresent(Mode.self, forKey: .mode) ?? .assignDirectly
        timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 20
        missedOffersBeforeAway = try container.decodeIfPresent(Int.self, forKey: .missedOffersBeforeAway) ?? 3
    }
}

/// Past either limit the queue raises `alert.queue-overflow` for supervisors; with `to`, its
/// work goes to that queue instead (see `to`).
public struct OverflowLimits: Sendable, Hashable, Codable {
    /// Most conversations that may wait (held ones included).
    public var maxWaiting: Int?
    /// Longest a conversation may wait.
    public var maxWaitSeconds: Double?
    /// Where work goes past a limit: a conversation arriving while `maxWaiting` already wait
    /// goes there at once, and one that waited `maxWaitSeconds` moves there (not while held
    /// for its sticky owner: it moves when the hold ends). It keeps its place by arrival and
    /// its priority; its wait in the new queue (ladder, hold, limits) starts at the move.
    /// Same channel, never the queue itself, and no cycle through other queues' `to` or
    /// `hours.overflowQueue`.
    public var to: QueueID?

    public init(maxWaiting: Int? = nil, maxWaitSeconds: Double? = nil, to: QueueID? = nil) {
        self.maxWaiting = maxWaiting
        self.maxWaitSeconds = maxWaitSeconds
        self.to = to
    }
}

/// "80% answered within 20 s": counted per queue for the monitor.
public struct ServiceLevelTarget: Sendable, Hashable, Codable {
    public var percent: Double
    public var withinSeconds: Double

    public init(percent: Double = 80, withinSeconds: Double = 20) {
        self.percent = percent
        self.withinSeconds = withinSeconds
    }
}
