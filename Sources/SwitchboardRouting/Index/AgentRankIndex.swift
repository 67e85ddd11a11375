/// One candidate in an agent index: the rank under the queue's method, then the agent id
/// so that ties are broken the same way every time.
struct RankEntry: Comparable, Sendable {
    var primary: Int64
    var secondary: Int64
    var agentID: AgentID
    var slot: Int32
    /// Position of this index in the agent's membership list.
    var membership: Int32
    var version: UInt64

    static func < (lhs: RankEntry, rhs: RankEntry) -> Bool {
        if lhs.primary != rhs.primary { return lhs.primary < rhs.primary }
        if lhs.secondary != rhs.secondary { return lhs.secondary < rhs.secondary }
        if lhs.agentID != rhs.agentID { return lhs.agentID < rhs.agentID }
        return lhs.version < rhs.version
    }

    static func == (lhs: RankEntry, rhs: RankEntry) -> Bool {
        lhs.primary == rhs.primary && lhs.secondary == rhs.secondary && lhs.agentID == rhs.agentID
            && lhs.version == rhs.version
    }
}

/// The agents who could take a conversation of one queue needing one requirement set now
/// (Available, free capacity on the channel, no excluding channel live, skilled enough),
/// best first by the queue's method. Entries are deleted lazily: the agent's membership
/// holds the version of its one live entry.
struct AgentRankIndex: Sendable {
    let queue: Int32
    let requirement: Int32
    var heap = MinHeap<RankEntry>()
    /// Agents with a live entry.
    var liveCount = 0

    init(queue: Int32, requirement: Int32) {
        self.queue = queue
        self.requirement = requirement
    }
}

/// An agent's place in one index: whether they are in it now, and with which entry.
struct IndexMembership: Sendable {
    var index: Int32
    var isMember = false
    var version: UInt64 = 0
    var primary: Int64 = 0
    var secondary: Int64 = 0

    init(index: Int32) { self.index = index }
}
