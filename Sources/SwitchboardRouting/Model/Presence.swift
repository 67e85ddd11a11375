/// An agent's presence as the presence tracker publishes it. Busy is not a status of its
/// own: it is derived from load (see `DerivedPresence`).
public enum PresenceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case available
    case away
    case doNotDisturb = "dnd"
    case offline
}

/// What a supervisor sees: the presence status, with Available split into Available
/// (some free capacity) and Busy (no free capacity on any channel).
public enum DerivedPresence: String, Sendable, Hashable, Codable, CaseIterable {
    case available
    case busy
    case away
    case doNotDisturb = "dnd"
    case offline
}

/// Identifies one presence event: the presence tracker's (epoch, seq). Assignments carry
/// the stamp they relied on, so an observer can check that the agent was Available then.
public struct PresenceStamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Rises each time the presence tracker process starts.
    public var epoch: UInt64
    /// Rises by one per presence event within an epoch.
    public var sequence: UInt64

    public init(epoch: UInt64, sequence: UInt64) {
        self.epoch = epoch
        self.sequence = sequence
    }

    /// The stamp of an agent that no presence event has described yet (treated as Offline).
    public static let none = PresenceStamp(epoch: 0, sequence: 0)

    public static func < (lhs: PresenceStamp, rhs: PresenceStamp) -> Bool {
        (lhs.epoch, lhs.sequence) < (rhs.epoch, rhs.sequence)
    }

    public var description: String { "\(epoch):\(sequence)" }
}

/// An agent's presence as last reported, with the stamp of the event that said so.
public struct AgentPresence: Sendable, Hashable, Codable {
    public var status: PresenceStatus
    public var stamp: PresenceStamp
    /// When this status began.
    public var since: RoutingInstant

    public init(status: PresenceStatus, stamp: PresenceStamp, since: RoutingInstant) {
        self.status = status
        self.stamp = stamp
        self.since = since
    }

    /// An agent nobody has heard from yet.
    public static let unknown = AgentPresence(status: .offline, stamp: .none, since: .zero)
}
