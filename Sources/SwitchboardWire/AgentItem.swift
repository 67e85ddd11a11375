public import SwitchboardBus
public import SwitchboardRouting

/// The router's agent item, `agent.<id>` (docs/PROTOCOL.md §6.1): who the agent is, their
/// presence as routing sees it (busy when no room is left), and their load per channel.
public struct AgentItem: Sendable, Hashable {
    public var agentId: AgentID
    public var name: String
    public var role: RoleID
    /// available, busy, away, dnd or offline.
    public var presence: DerivedPresence
    /// Work held per channel (offered, assigned, in wrap-up).
    public var load: ChannelCounts
    /// Offered or assigned work per channel (not in wrap-up): what channel exclusions look at.
    public var live: ChannelCounts
    public var capacity: ChannelCounts
    /// Why the router set the agent Away (missed offers), if it did.
    public var awayReason: String?

    public init(
        agentId: AgentID, name: String, role: RoleID, presence: DerivedPresence, load: ChannelCounts = .zero,
        live: ChannelCounts = .zero, capacity: ChannelCounts = .zero, awayReason: String? = nil
    ) {
        self.agentId = agentId
        self.name = name
        self.role = role
        self.presence = presence
        self.load = load
        self.live = live
        self.capacity = capacity
        self.awayReason = awayReason
    }

    /// The item's key, `agent.<id>`.
    public var key: String { "agent.\(agentId)" }

    public var json: JSON {
        [
            "agentId": .string(agentId.rawValue), "name": .string(name), "role": .string(role.rawValue),
            "presence": .string(presence.rawValue), "load": load.json, "live": live.json, "capacity": capacity.json,
            "awayReason": .optional(awayReason),
        ]
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "agent item")
        self.init(
            agentId: try fields.identifier("agentId"), name: try fields.string("name"),
            role: try fields.identifier("role"), presence: try fields.oneOf("presence"),
            load: try fields.channelCounts("load"), live: try fields.channelCounts("live"),
            capacity: try fields.channelCounts("capacity"), awayReason: try fields.optionalString("awayReason"))
    }
}
