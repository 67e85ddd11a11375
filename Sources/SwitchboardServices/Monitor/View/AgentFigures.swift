public import SwitchboardBus
public import SwitchboardRouting

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

    public var json: JSON {
        var object = JSONObject()
        object["agentId"] = .string(agent.rawValue)
        object["name"] = .string(name)
        object["role"] = .string(role)
        object["presence"] = .string(presence)
        object["presenceReason"] = .optional(presenceReason)
        object["routing"] = .optional(routing)
        object["awayReason"] = .optional(awayReason)
        object["channels"] = .array(
            channels.map {
                ["channel": .string($0.channel.rawValue), "load": .number($0.load), "capacity": .number($0.capacity)]
            })
        if let sessions {
            var byChannel = JSONObject()
            for (channel, count) in sessions.byChannel.sorted(by: { $0.key < $1.key }) {
                byChannel[channel.rawValue] = .number(count)
            }
            object["sessions"] = [
                "count": .number(sessions.count), "byChannel": .object(byChannel), "active": .optional(sessions.active),
                "unread": .number(sessions.unread), "signedIn": .bool(sessions.signedIn),
            ]
        } else {
            object["sessions"] = .null
        }
        object["presenceStale"] = .bool(presenceStale)
        return .object(object)
    }
}
