public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWire

/// One agent's presence as the tracker holds it, persists it and publishes it
/// (`presence.<agent>`: the snapshot value and every event's `item`).
public struct PresenceRecord: Sendable, Hashable {
    public var agent: AgentID
    public var status: PresenceStatus
    public var reason: String?
    /// Milliseconds since the Unix epoch when the status took effect.
    public var sinceMilliseconds: Int64
    /// The status before heartbeats stopped, restored when they resume.
    public var statusBeforeTimeout: PresenceStatus?

    public init(
        agent: AgentID, status: PresenceStatus, reason: String?, sinceMilliseconds: Int64,
        statusBeforeTimeout: PresenceStatus? = nil
    ) {
        self.agent = agent
        self.status = status
        self.reason = reason
        self.sinceMilliseconds = sinceMilliseconds
        self.statusBeforeTimeout = statusBeforeTimeout
    }

    /// The wire item, `presence.<agent>`.
    public var item: PresenceItem {
        PresenceItem(
            agentId: agent, status: status, reason: reason,
            since: RoutingInstant(millisecondsSinceEpoch: sinceMilliseconds))
    }

    public var json: JSON { item.json }
}
