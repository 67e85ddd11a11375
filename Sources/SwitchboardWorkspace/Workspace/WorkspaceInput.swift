public import SwitchboardRouting

/// Why the router ended a piece of work.
public enum WorkEndReason: String, Codable, Sendable, Hashable {
    /// The conversation was closed.
    case closed
    /// The conversation was transferred to another agent or queue.
    case transferred
    /// The customer left.
    case abandoned
    /// The work went back to the queue (the agent went offline, an offer was withdrawn).
    case requeued
}

/// Who wrote a message that arrived in a session.
public enum MessageAuthor: String, Codable, Sendable, Hashable {
    case customer
    /// A supervisor's whisper or barge message (the router decides its audience).
    case supervisor
}

/// A fact the workspace learns from another authority: the router (`conv.*`), the
/// summariser (`assist.*`) or the contact-centre configuration. Facts are never refused;
/// one that repeats or refers to an unknown session changes nothing, so redelivery is safe.
public enum WorkspaceInput: Codable, Sendable, Equatable {
    /// The router assigned work to the agent: open its session.
    case workAssigned(WorkItem)
    /// The router ended the work: close its session.
    case workEnded(conversation: ConversationID, reason: WorkEndReason)
    /// A message reached the agent in this conversation.
    case messageArrived(conversation: ConversationID, author: MessageAuthor)
    /// The voice call hung up; the session stays open for wrap-up.
    case callEnded(conversation: ConversationID)
    /// The summariser published assistance for this conversation.
    case assistanceArrived(conversation: ConversationID, update: AssistanceUpdate)
    /// The agent's role or its defaults changed (configuration reload).
    case roleDefaultsChanged(role: RoleName, defaults: PreferenceOverrides)
}
