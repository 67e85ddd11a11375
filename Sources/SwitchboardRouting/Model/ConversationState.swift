/// Where a conversation is in its life. Transfers and re-queues are transitions (they
/// return it to `queued`), reported as actions.
public enum ConversationState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for an agent (possibly held for its sticky owner).
    case queued
    /// Offered to one agent, who holds capacity for it until accept, decline or expiry.
    case offered
    /// Being handled by its agent.
    case assigned
    /// Closed; the agent's capacity stays held until wrap-up ends.
    case wrapUp
    /// Finished.
    case closed
    /// The customer left before being served; never assigned afterwards.
    case abandoned

    /// True while the conversation waits for an agent (queued, held or not).
    public var isWaiting: Bool { self == .queued }

    /// True while an agent's capacity is taken by it.
    public var holdsCapacity: Bool { self == .offered || self == .assigned || self == .wrapUp }
}
