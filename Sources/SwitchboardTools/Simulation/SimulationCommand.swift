public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardTopology

/// A command the simulation wants sent: to which service, its type and data, the lane that
/// keeps it in order with the commands before it, and what it was for (so the simulation
/// can react to its outcome).
public struct SimulationCommand: Sendable, Equatable {
    public var service: ServiceName
    public var type: String
    public var data: JSON
    /// Commands of one lane are sent one after the other (an agent's, a customer's); lanes
    /// run side by side.
    public var lane: String
    public var purpose: Purpose

    public init(service: ServiceName, type: String, data: JSON, lane: String, purpose: Purpose) {
        self.service = service
        self.type = type
        self.data = data
        self.lane = lane
        self.purpose = purpose
    }

    public enum Purpose: Sendable, Equatable {
        case open(ConversationID)
        case customerTurn(ConversationID, turn: Int)
        case abandon(ConversationID)
        case answerOffer(ConversationID, AgentID, accept: Bool)
        case agentTurn(ConversationID, turn: Int)
        case close(ConversationID)
        case endWrapUp(ConversationID)
        case signIn(AgentID)
        case presence(AgentID, PresenceStatus)
        case heartbeat(AgentID)
        case signOut(AgentID)
    }
}

/// How a command ended.
public enum SimulationCommandResult: Sendable, Equatable {
    case ok(JSON)
    /// The service answered with a refusal (`conflict`, `not_found`…).
    case rejected(code: String, message: String)
    /// No answer before the deadline, or the client closed.
    case failed(String)
}
