import Foundation

/// Why the engine refused an input: each case names the thing and what to do.
public enum RoutingError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownConversation(ConversationID)
    case duplicateConversation(ConversationID)
    case unknownAgent(AgentID)
    case duplicateAgent(AgentID)
    case unknownQueue(QueueID)
    case unknownSkill(SkillID, context: String)
    case unknownRole(RoleID, agent: AgentID)
    case unknownCapacityProfile(CapacityProfileID, agent: AgentID)
    case invalidIdentifier(String, context: String)
    case invalidValue(String)
    case wrongState(ConversationID, state: ConversationState, expected: String)
    case notOfferedTo(ConversationID, agent: AgentID)
    case channelMismatch(ConversationID, channel: Channel, queue: QueueID, queueChannel: Channel)
    case agentCannotTake(AgentID, conversation: ConversationID, why: String)
    case invalidConfiguration([RoutingConfigurationProblem])
    case invalidSnapshot(String)
    /// The queue is outside its hours and refuses work then (`closedRule: refuse`).
    case queueClosed(QueueID, opensAt: RoutingInstant?)

    /// A stable code for the NACK.
    public var code: String {
        switch self {
        case .unknownConversation: "unknown-conversation"
        case .duplicateConversation: "duplicate-conversation"
        case .unknownAgent: "unknown-agent"
        case .duplicateAgent: "duplicate-agent"
        case .unknownQueue: "unknown-queue"
        case .unknownSkill: "unknown-skill"
        case .unknownRole: "unknown-role"
        case .unknownCapacityProfile: "unknown-capacity-profile"
        case .invalidIdentifier: "invalid-identifier"
        case .invalidValue: "invalid-value"
        case .wrongState: "wrong-state"
        case .notOfferedTo: "not-offered-to-agent"
        case .channelMismatch: "channel-mismatch"
        case .agentCannotTake: "agent-cannot-take"
        case .invalidConfiguration: "invalid-configuration"
        case .invalidSnapshot: "invalid-snapshot"
        case .queueClosed: "queue-closed"
        }
    }

    public var description: String {
        switch self {
        case .unknownConversation(let id): "conversation \(id) is unknown (closed, abandoned, or never opened)"
        case .duplicateConversation(let id): "conversation \(id) is already open; use a new id"
        case .unknownAgent(let id): "agent \(id) is unknown; add them with agent.add first"
        case .duplicateAgent(let id): "agent \(id) already exists; use agent.update to change them"
        case .unknownQueue(let id): "queue \(id) is not in the configuration; check the queue name"
        case .unknownSkill(let id, let context): "\(context) names skill \(id), which the skill catalog lacks"
        case .unknownRole(let role, let agent): "agent \(agent) names role \(role), which the configuration lacks"
        case .unknownCapacityProfile(let profile, let agent):
            "agent \(agent) names capacity profile \(profile), which the configuration lacks"
        case .invalidIdentifier(let value, let context):
            "\(context) '\(value)' is not a valid id: use 1-128 letters, digits, - _ : @"
        case .invalidValue(let message): message
        case .wrongState(let id, let state, let expected): "conversation \(id) is \(state.rawValue); \(expected)"
        case .notOfferedTo(let id, let agent): "conversation \(id) is not offered to agent \(agent)"
        case .channelMismatch(let id, let channel, let queue, let queueChannel):
            "conversation \(id) is \(channel.rawValue) but queue \(queue) takes \(queueChannel.rawValue)"
        case .agentCannotTake(let agent, let conversation, let why):
            "agent \(agent) cannot take \(conversation) now: \(why); transfer to a queue instead"
        case .invalidConfiguration(let problems):
            "invalid routing configuration: " + problems.map(\.description).joined(separator: "; ")
        case .invalidSnapshot(let message): "invalid routing snapshot: \(message)"
        case .queueClosed(let queue, let opensAt):
            "queue \(queue) is closed"
                + (opensAt.map { " until \(Self.utc($0))" } ?? " and does not open within the next 400 days")
                + "; open the conversation then, or in a queue that is open now"
        }
    }

    /// An instant as people read it in a refusal: `2026-03-27T08:00:00Z`.
    public static func utc(_ instant: RoutingInstant) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000))
    }
}
