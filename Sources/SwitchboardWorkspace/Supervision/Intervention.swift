public import Foundation
public import SwitchboardRouting

/// A supervisor's intervention in progress on one conversation.
public struct Intervention: Codable, Sendable, Equatable {
    public let supervisor: AgentID
    public let conversation: ConversationID
    public let channel: Channel
    /// How engaged the supervisor is now; a whisper from someone who barged stays a barge.
    public internal(set) var kind: InterventionKind
    public let startedAt: Date
    public internal(set) var messagesSent: Int
}

/// Why an intervention ended.
public enum InterventionEndReason: String, Codable, Sendable, Hashable {
    case stoppedBySupervisor = "stopped-by-supervisor"
    case conversationEnded = "conversation-ended"
}

/// What the monitor publishes (`monitor.*`) and carries out. `messageSent` goes to the router
/// with its audience, which the router enforces when it delivers.
public enum SupervisionEvent: Codable, Sendable, Equatable {
    case interventionStarted(conversation: ConversationID, supervisor: AgentID, kind: InterventionKind)
    case interventionChanged(
        conversation: ConversationID, supervisor: AgentID, from: InterventionKind, to: InterventionKind)
    case interventionEnded(
        conversation: ConversationID, supervisor: AgentID, kind: InterventionKind, reason: InterventionEndReason)
    /// A supervisor joined the conversation: the customer is told someone else is present.
    case supervisorJoined(conversation: ConversationID, supervisor: AgentID)
    /// A supervisor left a conversation they had joined.
    case supervisorLeft(conversation: ConversationID, supervisor: AgentID)
    /// A supervisor's message, for the router to deliver to exactly `audience`.
    case messageSent(
        conversation: ConversationID, supervisor: AgentID, kind: InterventionKind, text: String, audience: [Recipient])

    /// The event type on the bus.
    public var type: String {
        switch self {
        case .interventionStarted: "intervention.started"
        case .interventionChanged: "intervention.changed"
        case .interventionEnded: "intervention.ended"
        case .supervisorJoined: "supervisor.joined"
        case .supervisorLeft: "supervisor.left"
        case .messageSent: "supervisor.message-sent"
        }
    }
}
