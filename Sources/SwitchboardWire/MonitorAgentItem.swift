public import SwitchboardBus
public import SwitchboardRouting

/// The monitor's item of one agent, `monitor.agent.<id>` (docs/PROTOCOL.md §6.5): presence,
/// load per channel against capacity, and the sessions open on their desk.
public struct MonitorAgentItem: Sendable, Hashable {
    public struct ChannelLoad: Sendable, Hashable {
        public var channel: Channel
        public var load: Int
        public var capacity: Int

        public init(channel: Channel, load: Int, capacity: Int) {
            self.channel = channel
            self.load = load
            self.capacity = capacity
        }
    }

    /// The agent's desk sessions.
    public struct Sessions: Sendable, Hashable {
        public var count: Int
        public var byChannel: [Channel: Int]
        public var active: String?
        public var unread: Int
        public var signedIn: Bool

        public init(count: Int, byChannel: [Channel: Int], active: String?, unread: Int, signedIn: Bool) {
            self.count = count
            self.byChannel = byChannel
            self.active = active
            self.unread = unread
            self.signedIn = signedIn
        }
    }

    public var agentId: AgentID
    public var name: String
    public var role: String
    /// The presence tracker's status (available, away, dnd, offline), else the router's view.
    public var presence: String
    public var presenceReason: String?
    /// The router's view: `busy` when their load leaves no room.
    public var routing: String?
    public var awayReason: String?
    public var channels: [ChannelLoad]
    /// Nil when the desk has no workspace for them (or is not followed).
    public var sessions: Sessions?
    /// The presence tracker is not heard: the presence shown may be out of date.
    public var presenceStale: Bool

    public init(
        agentId: AgentID, name: String, role: String, presence: String, presenceReason: String?, routing: String?,
        awayReason: String?, channels: [ChannelLoad], sessions: Sessions?, presenceStale: Bool
    ) {
        self.agentId = agentId
        self.name = name
        self.role = role
        self.presence = presence
        self.presenceReason = presenceReason
        self.routing = routing
        self.awayReason = awayReason
        self.channels = channels
        self.sessions = sessions
        self.presenceStale = presenceStale
    }

    /// The item's key, `monitor.agent.<id>`.
    public var key: String { "monitor.agent.\(agentId)" }

    public var json: JSON {
        var object = JSONObject()
        object["agentId"] = .string(agentId.rawValue)
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

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "monitor.agent item")
        self.init(
            agentId: try fields.identifier("agentId"), name: try fields.string("name"), role: try fields.string("role"),
            presence: try fields.string("presence"), presenceReason: try fields.optionalString("presenceReason"),
            routing: try fields.optionalString("routing"), awayReason: try fields.optionalString("awayReason"),
            channels: try fields.elements("channels") { value, path throws(WireError) in
                let load = try WireFields(value, item: fields.item, path: path)
                return ChannelLoad(
                    channel: try load.oneOf("channel"), load: try load.int("load"), capacity: try load.int("capacity"))
            },
            sessions: try fields.optionalFields("sessions").map { sessions throws(WireError) in
                Sessions(
                    count: try sessions.int("count"), byChannel: try sessions.channelMap("byChannel"),
                    active: try sessions.optionalString("active"),
                    unread: try sessions.int("unread"), signedIn: try sessions.bool("signedIn"))
            },
            presenceStale: try fields.bool("presenceStale"))
    }
}
