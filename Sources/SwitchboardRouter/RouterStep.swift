/// What one input produced: what happened, in order, and the answer to it. Typed values only;
/// the shell encodes them (`RouterEventEncoder`).
public struct RouterStep: Sendable, Hashable {
    public var effects: [RouterEffect] = []
    /// The answer to the input (`.applied` for inputs that are not commands).
    public var reply: RouterReply = .applied

    /// Agents the engine set Away after missed offers: the presence tracker is asked to agree.
    public var presenceRequests: [PresenceRequest] {
        effects.compactMap { effect in
            if case .agentSetAway(let agent, let reason) = effect {
                PresenceRequest(agent: agent, reason: reason)
            } else {
                nil
            }
        }
    }
}
