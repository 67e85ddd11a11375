public import SwitchboardRouting

/// An agent the engine set Away after missed offers: the presence tracker is asked to agree.
public struct PresenceRequest: Sendable, Equatable {
    public var agent: AgentID
    public var reason: String
}
