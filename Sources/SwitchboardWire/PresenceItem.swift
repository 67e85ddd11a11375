public import SwitchboardBus
public import SwitchboardRouting

/// The presence tracker's item, `presence.<agentId>` (docs/PROTOCOL.md §6.2): the status the
/// agent set (busy is not one: the router derives it from load).
public struct PresenceItem: Sendable, Hashable {
    public var agentId: AgentID
    /// available, away, dnd or offline.
    public var status: PresenceStatus
    public var reason: String?
    /// When the status took effect.
    public var since: RoutingInstant

    public init(agentId: AgentID, status: PresenceStatus, reason: String? = nil, since: RoutingInstant) {
        self.agentId = agentId
        self.status = status
        self.reason = reason
        self.since = since
    }

    /// The item's key, `presence.<agentId>`.
    public var key: String { "presence.\(agentId)" }

    public var json: JSON {
        [
            "agentId": .string(agentId.rawValue), "status": .string(status.rawValue), "reason": .optional(reason),
            "since": .int(since.millisecondsSinceEpoch),
        ]
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "presence item")
        self.init(
            agentId: try fields.identifier("agentId"), status: try fields.oneOf("status"),
            reason: try fields.optionalString("reason"), since: try fields.instant("since"))
    }
}
