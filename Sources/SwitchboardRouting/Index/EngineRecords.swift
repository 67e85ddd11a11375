/// An agent inside the engine: the profile resolved to slots, and the derived state the
/// indexes need. `AgentRecord` is its persisted form.
struct AgentState: Sendable {
    var profile: AgentProfile
    var presence: AgentPresence
    var awayReason: String?
    var missedOffersInARow = 0
    var idleSince: Int64
    var roundRobinTurns: [Int32: UInt64] = [:]
    /// Level per skill slot (0 when the agent lacks it).
    var skillLevels: [Int8]
    var capacity: ChannelCounts
    /// Per live channel (by `Channel.bit`), the channels it blocks.
    var exclusionMasks: [(channel: Channel, blocks: UInt8)]
    var load = ChannelCounts()
    var live = ChannelCounts()
    var servedQueues: [Int32]
    var memberships: [IndexMembership] = []
    /// Conversations offered to, assigned to, or in wrap-up with this agent.
    var work: [Int32] = []
    var ownedCustomers: Set<CustomerID> = []
    /// Waiting conversations whose customer this agent owns (held ones included).
    var waitingOwned: Set<Int32> = []
    var isRemoved = false

    /// Available per the presence tracker and not taken out of routing by the engine.
    var isAvailable: Bool { presence.status == .available && awayReason == nil && !isRemoved }

    /// Channels that live work blocks now.
    var blockedMask: UInt8 {
        var mask: UInt8 = 0
        for exclusion in exclusionMasks where live[exclusion.channel] > 0 { mask |= exclusion.blocks }
        return mask
    }

    /// Free capacity on `channel` with no live exclusion against it.
    func hasRoom(on channel: Channel) -> Bool {
        load[channel] < capacity[channel] && blockedMask & channel.bit == 0
    }

    func canTake(_ channel: Channel) -> Bool { isAvailable && hasRoom(on: channel) }

    func satisfies(_ needs: [SkillNeed]) -> Bool {
        for need in needs where skillLevels[Int(need.skill)] < need.level { return false }
        return true
    }

    var derivedPresence: DerivedPresence {
        switch presence.status {
        case .offline: return .offline
        case .away: return .away
        case .doNotDisturb: return .doNotDisturb
        case .available:
            if awayReason != nil { return .away }
            return Channel.allCases.contains { hasRoom(on: $0) } ? .available : .busy
        }
    }
}

extension Channel {
    /// One bit per channel, for exclusion masks.
    var bit: UInt8 {
        switch self {
        case .voice: 1
        case .chat: 2
        case .messaging: 4
        case .email: 8
        case .case: 16
        }
    }
}

/// A conversation inside the engine. `Conversation` is its persisted form.
struct ConversationRecord: Sendable {
    var id: ConversationID
    var customer: CustomerID
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
    var heldSinceMs: Int64 = 0
    /// How long its last hold lasted, once it ended.
    var heldMs: Int64 = 0
    /// Agent slots that may never get it again.
    var excluded: [Int32] = []
    var bucket: Int32
    /// The ladder line it waits in (0-based step), or -1 when not in a line.
    var line: Int8 = -1
    var nextLadderAt: Int64 = 0
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
    var decision: RoutingDecision?
    var requeueCount = 0
    var isFree = false

    var isWaiting: Bool { state == .queued && !isFree }
    var isHeld: Bool { heldFor >= 0 }
    var lineKey: UInt64 { WaitingLine.key(arrivalSequence: arrivalSequence, aheadOfNewWork: aheadOfNewWork) }
}

/// A queue inside the engine.
struct QueueRuntime: Sendable {
    var configuration: QueueConfiguration
    /// Waiting time (ms) at which each ladder step starts; [0] is step 1 at 0.
    var stepStartsMs: [Int64]
    var requiredNeeds: [SkillNeed]
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
    var roundRobin: Bool { configuration.method == .roundRobin }

    var stepCount: Int { stepStartsMs.count }
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

struct IndexKey: Hashable, Sendable {
    var queue: Int32
    var requirement: Int32
}

/// Sticky ownership inside the engine.
struct OwnerRecord: Sendable {
    var agent: Int32
    var lastHandledAt: Int64
    var openConversations: Int
    var topic: String?
}
