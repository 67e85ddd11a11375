/// An agent inside the engine: the profile resolved to slots, and what the indexes need.
/// `AgentRecord` is its persisted form. What every decision reads (presence, load,
/// capacity) lives apart in `AgentHotState`.
struct AgentState: Sendable {
    var profile: AgentProfile
    /// Set when the engine took them out of routing (missed offers); `AgentHotState.isSetAway` mirrors it.
    var awayReason: String?
    var missedOffersInARow = 0
    var roundRobinTurns: [Int32: UInt64] = [:]
    /// Level per skill slot (0 when the agent lacks it).
    var skillLevels: [Int8]
    /// Per live channel, the channels it blocks, in the profile's order.
    var exclusionMasks: [(channel: Channel, blocks: UInt8)]
    var servedQueues: [Int32]
    var memberships: [IndexMembership] = []
    /// Memberships with a live index entry.
    var liveMemberships = 0
    /// Conversations offered to, assigned to, or in wrap-up with this agent.
    var work: [Int32] = []
    /// Head of the list (through `CustomerRecord.ownedPrevious/ownedNext`) of the customers
    /// whose sticky owner this agent is, or -1.
    var ownedCustomersHead: Int32 = -1
    /// Waiting conversations whose customer this agent owns, held ones included, in no
    /// particular order (an array: read side by side, its records load in parallel).
    var waitingOwned: [Int32] = []
    /// Listed in `RoutingEngine.agentsToRefresh`: their index entries are brought up to date
    /// before the next index query.
    var refreshPending = false
}

/// The part of an agent that decisions read all the time. It holds no references (no
/// strings, arrays or sets), so reading or copying it never touches reference counts.
struct AgentHotState: Sendable {
    var presence: AgentPresence
    /// `AgentState.awayReason != nil`.
    var isSetAway = false
    var isRemoved = false
    var idleSince: Int64
    var capacity: ChannelCounts
    var load = ChannelCounts()
    var live = ChannelCounts()
    /// Byte `channel.ordinal`: the channels that live work on `channel` blocks.
    var exclusionBlocks: UInt64

    init(
        presence: AgentPresence, idleSince: Int64, capacity: ChannelCounts,
        exclusions: [(channel: Channel, blocks: UInt8)]
    ) {
        self.presence = presence
        self.idleSince = idleSince
        self.capacity = capacity
        exclusionBlocks = Self.pack(exclusions)
    }

    static func pack(_ exclusions: [(channel: Channel, blocks: UInt8)]) -> UInt64 {
        var packed: UInt64 = 0
        for exclusion in exclusions { packed |= UInt64(exclusion.blocks) << (8 * UInt64(exclusion.channel.ordinal)) }
        return packed
    }

    /// Available per the presence tracker and not taken out of routing by the engine.
    @inline(__always)
    var isAvailable: Bool { presence.status == .available && !isSetAway && !isRemoved }

    /// Channels that live work blocks now.
    @inline(__always)
    var blockedMask: UInt8 {
        guard exclusionBlocks != 0 else { return 0 }
        var mask: UInt64 = 0
        if live.voice > 0 { mask |= exclusionBlocks }
        if live.chat > 0 { mask |= exclusionBlocks >> 8 }
        if live.messaging > 0 { mask |= exclusionBlocks >> 16 }
        if live.email > 0 { mask |= exclusionBlocks >> 24 }
        if live.case > 0 { mask |= exclusionBlocks >> 32 }
        return UInt8(truncatingIfNeeded: mask)
    }

    /// Free capacity on `channel` with no live exclusion against it.
    @inline(__always)
    func hasRoom(on channel: Channel) -> Bool {
        load[channel] < capacity[channel] && blockedMask & channel.bit == 0
    }

    @inline(__always)
    func canTake(_ channel: Channel) -> Bool { isAvailable && hasRoom(on: channel) }

    /// Whether they could take work on some channel now.
    @inline(__always)
    var canTakeAny: Bool {
        isAvailable
            && (hasRoom(on: .voice) || hasRoom(on: .chat) || hasRoom(on: .messaging) || hasRoom(on: .email)
                || hasRoom(on: .case))
    }

    var derivedPresence: DerivedPresence {
        switch presence.status {
        case .offline: return .offline
        case .away: return .away
        case .doNotDisturb: return .doNotDisturb
        case .available:
            if isSetAway { return .away }
            let anyRoom =
                hasRoom(on: .voice) || hasRoom(on: .chat) || hasRoom(on: .messaging) || hasRoom(on: .email)
                || hasRoom(on: .case)
            return anyRoom ? .available : .busy
        }
    }
}

extension Channel {
    /// One bit per channel, for exclusion masks.
    @inline(__always)
    var bit: UInt8 {
        switch self {
        case .voice: 1
        case .chat: 2
        case .messaging: 4
        case .email: 8
        case .case: 16
        }
    }

    /// 0 to 4, for per-channel tables.
    var ordinal: Int { bit.trailingZeroBitCount }
}

/// A conversation inside the engine. `Conversation` is its persisted form.
struct ConversationRecord: Sendable {
    var id: ConversationID
    var customer: CustomerID
    var customerSlot: Int32
    var queue: Int32
    var channel: Channel
    var extraSkills: [SkillRequirement]
    var priority: Int
    var topic: String?
    var state: ConversationState
    var agent: Int32 = -1
    var openedAt: Int64
    var arrivalSequence: UInt64
    var waitingSince: Int64
    var aheadOfNewWork = false
    var heldFor: Int32 = -1
    var holdUntil: Int64 = 0
    var holdExpired = false
    var heldSinceMilliseconds: Int64 = 0
    /// How long its last hold lasted, once it ended.
    var heldMilliseconds: Int64 = 0
    /// Agent slots that may never get it again.
    var excluded: [Int32] = []
    var bucket: Int32
    /// The ladder line it waits in (0-based step), or -1 when not in a line.
    var line: Int8 = -1
    var nextLadderAt: Int64 = 0
    /// Deadline of the ladder timer this wait has in the timer heap (0 when none), so that
    /// leaving and re-entering the same line does not schedule a second one.
    var ladderTimerAt: Int64 = 0
    var offerExpiresAt: Int64 = 0
    var assignedAt: Int64 = 0
    var wrapUpEndsAt: Int64 = 0
    var graceEndsAt: Int64 = 0
    var waitLimitAt: Int64 = 0
    var overdue = false
    /// Doubly linked list of the customer's waiting conversations.
    var customerPrevious: Int32 = -1
    var customerNext: Int32 = -1
    /// The owner whose `waitingOwned` lists it, or -1.
    var ownerListed: Int32 = -1
    /// The offer or assignment in force, boxed: most records are waiting and hold none, and
    /// a decision is several hundred bytes that every copy of the record would move.
    var decisionBox: DecisionBox?
    var decision: RoutingDecision? {
        get { decisionBox?.decision }
        set { decisionBox = newValue.map(DecisionBox.init) }
    }
    var requeueCount = 0
    var isFree = false

    @inline(__always)
    var isWaiting: Bool { state == .queued && !isFree }
    @inline(__always)
    var isHeld: Bool { heldFor >= 0 }
    @inline(__always)
    var lineKey: UInt64 { WaitingLine.key(arrivalSequence: arrivalSequence, aheadOfNewWork: aheadOfNewWork) }
}

/// An immutable box around a decision (see `ConversationRecord.decisionBox`).
final class DecisionBox: Sendable {
    let decision: RoutingDecision

    init(_ decision: RoutingDecision) { self.decision = decision }
}

/// A queue inside the engine.
struct QueueRuntime: Sendable {
    var configuration: QueueConfiguration
    /// Waiting time (ms) at which each ladder step starts; [0] is step 1 at 0.
    var stepStartsMilliseconds: [Int64]
    var requiredNeeds: [SkillNeed]
    // Copied (and converted to milliseconds) out of `configuration`, which is too large to
    // read on the hot path.
    let id: QueueID
    let channel: Channel
    let method: AssignmentMethod
    let defaultPriority: Int
    let stickyEnabled: Bool
    let stickyWindowMilliseconds: Int64
    let sameTopicOnly: Bool
    let holdForOwnerMilliseconds: Int64?
    let offers: Bool
    let offerTimeoutMilliseconds: Int64
    let wrapUpSeconds: Double
    let wrapUpMilliseconds: Int64
    let serviceLevelMilliseconds: Int64
    let maxWaitMilliseconds: Int64?
    let maxWaiting: Int?
    let overflowTarget: QueueID?
    /// Per fallback step (step 2 first): its threshold and what it relaxes, as reasons say it.
    let stepAfterSeconds: [Double]
    let stepRelaxations: [String]
    /// Its first lane in the engine's `TimerQueue`.
    let firstTimerLane: Int
    var servingAgents: Set<Int32> = []
    var buckets: [Int32] = []
    var indexes: [Int32] = []
    var waiting = 0
    var held = 0
    var overdue = 0
    var overflowRaised = false
    var assigned = 0
    var assignedWithinServiceLevel = 0
    var abandoned = 0
    /// When its hours next end (`Int64.max`: no hours, or none within the calendar's search).
    var closesAtMilliseconds = Int64.max

    init(
        configuration: QueueConfiguration, stepStartsMilliseconds: [Int64], requiredNeeds: [SkillNeed],
        stepRelaxations: [String],
        firstTimerLane: Int
    ) {
        self.firstTimerLane = firstTimerLane
        self.configuration = configuration
        self.stepStartsMilliseconds = stepStartsMilliseconds
        self.requiredNeeds = requiredNeeds
        self.stepRelaxations = stepRelaxations
        id = configuration.id
        channel = configuration.channel
        method = configuration.method
        defaultPriority = configuration.priority
        stickyEnabled = configuration.sticky.enabled
        stickyWindowMilliseconds = RoutingInstant.milliseconds(fromSeconds: configuration.sticky.windowSeconds)
        sameTopicOnly = configuration.sticky.sameTopicOnly
        holdForOwnerMilliseconds = configuration.holdForOwnerSeconds.map {
            RoutingInstant.milliseconds(fromSeconds: $0)
        }
        offers = configuration.offer.mode == .offer
        offerTimeoutMilliseconds = RoutingInstant.milliseconds(fromSeconds: configuration.offer.timeoutSeconds)
        wrapUpSeconds = configuration.wrapUpSeconds
        wrapUpMilliseconds = RoutingInstant.milliseconds(fromSeconds: configuration.wrapUpSeconds)
        serviceLevelMilliseconds = RoutingInstant.milliseconds(fromSeconds: configuration.serviceLevel.withinSeconds)
        maxWaitMilliseconds = configuration.overflow.maxWaitSeconds.map { RoutingInstant.milliseconds(fromSeconds: $0) }
        maxWaiting = configuration.overflow.maxWaiting
        overflowTarget = configuration.overflow.to
        stepAfterSeconds = configuration.fallbackSteps.map(\.afterSeconds)
    }
    var stepCount: Int { stepStartsMilliseconds.count }
}

/// Waiting conversations of one queue with one priority and one requirement set, one line
/// per ladder step, plus the agent index that serves each step.
struct WaitingBucket: Sendable {
    let queue: Int32
    let priority: Int
    /// Requirement set id per step.
    let stepRequirements: [Int32]
    /// Agent index id per step.
    let stepIndexes: [Int32]
    var lines: [WaitingLine]
    var count = 0
}

struct BucketKey: Hashable, Sendable {
    var queue: Int32
    var priority: Int
    var requirement: Int32
}

/// A queue, a priority and up to two extra (skill slot << 8 | level) needs as a conversation
/// names them: what `RoutingEngine.bucket` remembers to skip building the requirement set.
struct BucketShortcut: Hashable, Sendable {
    var queue: Int32
    var priority: Int
    var firstExtra: Int64 = -1
    var secondExtra: Int64 = -1
}

struct IndexKey: Hashable, Sendable {
    var queue: Int32
    var requirement: Int32
}

/// A customer the engine knows about: while they have an open conversation or a sticky
/// owner. Inside the engine customers are slots, so that ownership and their waiting list
/// cost no string hashing.
struct CustomerRecord: Sendable {
    var id: CustomerID
    var owner: OwnerRecord?
    /// Head of the doubly linked list of their waiting conversations, or -1.
    var waitingHead: Int32 = -1
    /// Open conversations (any state) that refer to this slot.
    var openConversations: Int32 = 0
    /// Neighbours in the owner's list of owned customers.
    var ownedPrevious: Int32 = -1
    var ownedNext: Int32 = -1
}

/// Sticky ownership inside the engine.
struct OwnerRecord: Sendable {
    var agent: Int32
    var lastHandledAt: Int64
    var openConversations: Int
    var topic: String?
}
