/// Everything that can happen to the engine. The shell hands each one to
/// `RoutingEngine.handle(_:at:)` with the current time; offer expiry, hold expiry, ladder
/// steps, wrap-up timeouts and offline grace come from time passing (`timeAdvanced`).
public enum RoutingInput: Sendable, Hashable {
    /// `conversation.open`.
    case openConversation(ConversationRequest)
    /// `agent.add`, with the presence the tracker last reported (Offline when unknown).
    case addAgent(AgentProfile, presence: AgentPresence)
    /// `agent.update`: new skills, role, profile or overrides. Work in hand is kept.
    case updateAgent(AgentProfile)
    /// `agent.remove` ("leaves the company"): ownership cleared, open work re-queued.
    case removeAgent(AgentID)
    /// `presence.changed` from the presence tracker. Older stamps than the one applied are ignored.
    case presenceChanged(AgentID, PresenceStatus, stamp: PresenceStamp)
    /// `conversation.accept` by the agent it is offered to.
    case acceptOffer(ConversationID, agent: AgentID)
    /// `conversation.decline`: goes to the next agent, never back to this one.
    case declineOffer(ConversationID, agent: AgentID)
    /// `conversation.close` of an assigned conversation; wrap-up starts when the queue has one.
    case closeConversation(ConversationID)
    /// The agent ends wrap-up with a disposition code, freeing the capacity.
    case endWrapUp(ConversationID, disposition: String)
    /// `conversation.abandon`: the customer left while waiting or while it was offered.
    case abandonConversation(ConversationID)
    /// `conversation.transfer` to another queue or to a named agent.
    case transferConversation(ConversationID, to: TransferTarget)
    /// Nothing but time: fires every deadline up to `now`.
    case timeAdvanced
}

/// Where a transfer sends a conversation.
public enum TransferTarget: Sendable, Hashable, Codable {
    /// Back to waiting, in this queue (same channel), ahead of new work.
    case queue(QueueID)
    /// Straight to this agent, who must be Available with capacity now.
    case agent(AgentID)
}
