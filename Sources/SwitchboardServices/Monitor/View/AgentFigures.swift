public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWire

/// One agent on the supervisor's view (`monitor.agent.<id>`): presence, load per channel
/// against capacity, and the sessions open on their desk.
public struct AgentFigures: Sendable, Equatable {
    public var agent: AgentID
    public var name: String
    public var role: String
    /// The presence tracker's status (available, away, dnd, offline), or the router's view
    /// when the tracker has said nothing of them.
    public var presence: String
    public var presenceReason: String?
    /// The router's view: `busy` when their load leaves no room.
    public var routing: String?
    /// Why the router set them Away (missed offers), if it did.
    public var awayReason: String?
    /// Channels they take work on (capacity above 0) or hold work on.
    public var channels: [ChannelLoad]
    /// Their desk's sessions; nil when the desk has no workspace for them (or is not followed).
    public var sessions: Sessions?
    /// The presence tracker is not heard: the presence shown may be out of date.
    public var presenceStale: Bool

    public struct ChannelLoad: Sendable, Equatable {
        public var channel: Channel
        public var load: Int
        public var capacity: Int

        public init(channel: Channel, load: Int, capacity: Int) {
            self.channel = channel
            self.load = load
            self.capacity = capacity
        }
    }

    public struct Sessions: Sendable, Equatable {
        public var count: Int
        public var byChannel: [Channel: Int]
        public var active: String?
        public var unread: Int
        public var signedIn: Bool
    }

    /// Signed in: anything but Offline.
    public var isSignedIn: Bool { presence != "offline" && presence != "unknown" }

    /// The wire item `monitor.agent.<id>`.
    public var wire: MonitorAgentItem {
        MonitorAgentItem(
            agentId: agent, name: name, role: role, presence: presence, presenceReason: presenceReason,
            routing: routing, awayReason: awayReason,
            channels: channels.map { .init(channel: $0.channel, load: $0.load, capacity: $0.capacity) },
            sessions: sessions.map {
                .init(
                    count: $0.count, byChannel: $0.byChannel, active: $0.active, unread: $0.unread,
                    signedIn: $0.signedIn)
            },
            presenceStale: presenceStale)
    }

    public var json: JSON { wire.json }
}
