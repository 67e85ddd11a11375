public import Foundation
public import SwitchboardRouting
public import SwitchboardWire

/// What happened to one conversation at the router, as typed values: the engine's decision
/// (with its rule and reason), the agent, the times. `RouterEventEncoder` makes each one a
/// `conversation.*` event; nothing here is JSON or a sentence.
public enum ConversationChange: Sendable, Hashable {
    /// It waits (again, after a transfer or a declined offer), with what an observer needs to
    /// check the routing invariants: arrival order, hold, the requirement of the first step.
    case queued(QueuedConversation)
    /// Offered to the decision's agent, whose capacity is held until `expiresAt`.
    case offered(RoutingDecision, expiresAt: RoutingInstant)
    /// Assigned to the decision's agent after waiting `waitedSeconds` since it was opened.
    case assigned(RoutingDecision, waitedSeconds: Double)
    case declined(ConversationID, agent: AgentID)
    case offerExpired(ConversationID, agent: AgentID, missedInARow: Int)
    /// It lost its agent (or was transferred to a queue) and waits again.
    case requeued(RequeuedConversation)
    case transferred(ConversationID, ConversationTransfer)
    /// Closed by `agent` (nil: by the system); wrap-up may follow.
    case closed(ConversationID, agent: AgentID?)
    case wrapUpStarted(ConversationID, agent: AgentID, endsAt: RoutingInstant)
    case wrapUpEnded(ConversationID, agent: AgentID, disposition: String?, timedOut: Bool)
    /// The customer left after waiting `waitedSeconds` in `queue`.
    case abandoned(ConversationID, queue: QueueID, waitedSeconds: Double)
    /// Its queue closed while it waited and refuses work outside its hours; `opensAt` is the
    /// next opening (nil: none within the calendar's search), in the queue's time zone.
    case turnedAway(ConversationID, queue: QueueID, waitedSeconds: Double, opensAt: RoutingInstant?, timeZone: TimeZone)
    /// A message joined the transcript, numbered.
    case messageAppended(ConversationID, TranscriptMessage)

    /// The conversation it happened to.
    public var conversation: ConversationID {
        switch self {
        case .queued(let waiting): waiting.conversation
        case .offered(let decision, _), .assigned(let decision, _): decision.conversation
        case .requeued(let requeued): requeued.conversation
        case .declined(let id, _), .offerExpired(let id, _, _), .transferred(let id, _), .closed(let id, _),
            .wrapUpStarted(let id, _, _), .wrapUpEnded(let id, _, _, _), .abandoned(let id, _, _),
            .turnedAway(let id, _, _, _, _), .messageAppended(let id, _):
            id
        }
    }
}
