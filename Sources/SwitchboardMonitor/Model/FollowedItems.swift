public import SwitchboardBus
public import SwitchboardRouting
import SwitchboardWire

// The items of other services that the monitor reads, each read by the wire's type
// (SwitchboardWire) and trimmed to what the monitor needs; an item the wire type refuses is
// left out, as an unreadable item always was.

/// Figures per channel, every channel listed.
func channelCounts(_ counts: ChannelCounts) -> [Channel: Int] {
    Dictionary(uniqueKeysWithValues: Channel.allCases.map { ($0, counts[$0]) })
}

/// An agent as the router knows them (`agent.<id>`): routing presence (Busy derived from
/// load), load and capacity per channel.
public struct RouterAgentLine: Sendable, Equatable {
    public var agent: AgentID
    public var name: String
    public var role: String
    /// available, busy, away, dnd, offline, unknown.
    public var presence: String
    public var load: [Channel: Int]
    /// Offered or assigned work per channel (not wrap-up): what exclusions look at.
    public var live: [Channel: Int]
    public var capacity: [Channel: Int]
    public var awayReason: String?

    public init?(item: JSON) {
        guard let wire = try? AgentItem(json: item) else { return nil }
        self.agent = wire.agentId
        self.name = wire.name
        self.role = wire.role.rawValue
        self.presence = wire.presence.rawValue
        self.load = channelCounts(wire.load)
        self.live = channelCounts(wire.live)
        self.capacity = channelCounts(wire.capacity)
        self.awayReason = wire.awayReason
    }
}

/// An agent's presence at the presence tracker (`presence.<id>`).
public struct PresenceLine: Sendable, Equatable {
    public var agent: AgentID
    /// available, away, dnd, offline.
    public var status: String
    public var reason: String?
    public var sinceMilliseconds: Int64?

    public init?(item: JSON) {
        guard let wire = try? PresenceItem(json: item) else { return nil }
        self.agent = wire.agentId
        self.status = wire.status.rawValue
        self.reason = wire.reason
        self.sinceMilliseconds = wire.since.millisecondsSinceEpoch
    }
}

/// An agent's workspace as the desk summarises it (`desk.<id>`): sessions per channel, the
/// active one, unread messages.
public struct DeskLine: Sendable, Equatable {
    public var agent: AgentID
    public var signedIn: Bool
    public var sessions: Int
    public var sessionsByChannel: [Channel: Int]
    public var activeSession: String?
    public var unread: Int

    public init?(item: JSON) {
        guard let wire = try? DeskItem(json: item) else { return nil }
        self.agent = wire.agentId
        self.signedIn = wire.signedIn
        self.sessions = wire.summary.sessions.count
        self.sessionsByChannel = wire.summary.sessionsByChannel
        self.activeSession = wire.summary.activeSession?.rawValue
        self.unread = wire.summary.unreadTotal
    }
}

/// A queue's counters at the router (`queue.<id>`).
public struct RouterQueueLine: Sendable, Equatable {
    public var queue: QueueID
    public var name: String
    public var channel: Channel?
    public var waiting: Int
    public var held: Int
    public var oldestWaitingSinceMilliseconds: Int64?
    /// Assignments and abandonments since the router's store was created.
    public var assigned: Int
    public var assignedWithinServiceLevel: Int
    public var abandoned: Int
    public var targetPercent: Double?
    public var withinSeconds: Double?

    public init?(item: JSON) {
        guard let wire = try? QueueItem(json: item) else { return nil }
        self.queue = wire.queue
        self.name = wire.name
        self.channel = wire.channel
        self.waiting = wire.waiting
        self.held = wire.held
        self.oldestWaitingSinceMilliseconds = wire.oldestWaitingSince?.millisecondsSinceEpoch
        self.assigned = wire.assigned
        self.assignedWithinServiceLevel = wire.assignedWithinServiceLevel
        self.abandoned = wire.abandoned
        self.targetPercent = wire.serviceLevel.percent
        self.withinSeconds = wire.serviceLevel.withinSeconds
    }
}

/// A customer's sticky owner at the router (`sticky.<customerId>`).
public struct StickyLine: Sendable, Equatable {
    public var customer: CustomerID
    public var agent: AgentID
    public var lastHandledAtMilliseconds: Int64?

    public init?(item: JSON) {
        guard let wire = try? StickyItem(json: item) else { return nil }
        self.customer = wire.customerId
        self.agent = wire.agentId
        self.lastHandledAtMilliseconds = wire.lastHandledAt.millisecondsSinceEpoch
    }
}

/// An alert the router raised and has not cleared (`alert.<kind>:<...>`).
public struct RouterAlertLine: Sendable, Equatable {
    /// The alert's id: its key without `alert.`.
    public var id: String
    public var kind: String
    public var sentence: String
    public var queue: String?
    public var conversation: String?

    public init?(key: String, item: JSON) {
        guard key.hasPrefix("alert."), let wire = try? RouterAlertItem(json: item) else { return nil }
        self.id = String(key.dropFirst("alert.".count))
        self.kind = wire.kind.rawValue
        self.sentence = wire.sentence
        self.queue = wire.queue.rawValue
        if case .skillTooRare(_, _, _, let conversation, _) = wire {
            self.conversation = conversation.rawValue
        } else {
            self.conversation = nil
        }
    }
}
