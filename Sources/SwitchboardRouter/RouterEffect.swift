public import SwitchboardRouting
public import SwitchboardWire

/// What happened at the router during one input, in the order it happened, as typed values.
/// `RouterState.apply` returns these; `RouterEventEncoder` turns them into bus events, so the
/// state machine builds no JSON. An effect that changes an item of the router's state (a
/// conversation, an agent, a sticky owner, a queue) carries that item as it stood right after
/// the change: one input can change the same item twice (queued, then assigned), and each
/// event carries the item of its own moment.
public enum RouterEffect: Sendable, Hashable {
    /// A conversation changed; `item` is the conversation after the change (nil when the
    /// router holds no view of it).
    case conversation(ConversationChange, item: ConversationItem?)
    /// An agent joined routing (`agent.add`, or a reloaded contact-centre file).
    case agentAdded(AgentItem)
    /// An agent's profile changed through `agent.update`.
    case agentUpdated(AgentItem)
    case agentRemoved(AgentID)
    /// An agent's load changed; `presence` is the presence event routing relied on.
    case agentLoadChanged(AgentItem, presence: PresenceStamp)
    /// The engine stopped routing to the agent after missed offers; the presence tracker is
    /// asked to set them Away with `reason`.
    case agentSetAway(AgentID, reason: String)
    /// A customer's sticky owner changed (`owner` nil when cleared); `item` is the ownership
    /// after the change, nil when there is none.
    case stickyOwnerChanged(CustomerID, owner: AgentID?, reason: StickyChangeReason, item: StickyItem?)
    case alertRaised(RoutingAlert)
    case alertCleared(RoutingAlert.Key)
    /// A queue's waiting conversations or counters changed: the queue as it now stands.
    case queueChanged(QueueItem)
    /// A new contact-centre file took effect.
    case reloaded(queues: Int, agentsAdded: Int, agentsUpdated: Int, agentsRemoved: Int)
}
