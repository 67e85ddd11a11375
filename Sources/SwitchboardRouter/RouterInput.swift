public import SwitchboardRouting
public import SwitchboardWire

/// One input to the router's state, as the journal records it. Replaying the journal from the
/// last checkpoint through `RouterState.apply` rebuilds exactly the state the router had: the
/// engine is deterministic, and everything that is not (the time, the intent detected in an
/// opening text, a reloaded configuration) is recorded here.
public enum RouterInput: Sendable, Hashable, Codable {
    case open(ConversationRequest, text: String?, intent: DetectedIntent?)
    case message(ConversationID, TranscriptMessage)
    case accept(ConversationID, agent: AgentID)
    case decline(ConversationID, agent: AgentID)
    case close(ConversationID)
    case endWrapUp(ConversationID, disposition: String)
    case abandon(ConversationID)
    /// `note`: what the agent wrote for the next one (journals written before notes decode without).
    case transfer(ConversationID, to: TransferTarget, note: String? = nil)
    case addAgent(AgentProfile)
    case updateAgent(AgentProfile)
    case removeAgent(AgentID)
    case presence(AgentID, PresenceStatus, stamp: PresenceStamp)
    case tick
    case reload(RouterSettings)

    /// The conversation the input is about, if any.
    public var conversation: ConversationID? {
        switch self {
        case .open(let request, _, _): request.id
        case .message(let id, _), .accept(let id, _), .decline(let id, _), .close(let id), .endWrapUp(let id, _),
            .abandon(let id), .transfer(let id, _, _):
            id
        default: nil
        }
    }
}

/// The intent found in a conversation's opening text and the product skill it implies.
public struct DetectedIntent: Sendable, Hashable, Codable {
    public var intent: String
    public var confidence: Double
    public var skill: String?

    public init(intent: String, confidence: Double, skill: String?) {
        self.intent = intent
        self.confidence = confidence
        self.skill = skill
    }
}

/// One line of a conversation's transcript: the wire's type, which the router keeps, journals
/// and publishes as it is.
public typealias TranscriptMessage = SwitchboardWire.TranscriptMessage

/// What the router runs with: the routing configuration and agents of the contact-centre file,
/// the queues that require the detected intent's product skill (at a minimum level), and how
/// long closed conversations stay in the snapshot.
public struct RouterSettings: Sendable, Hashable, Codable {
    public var routing: RoutingConfiguration
    public var agents: [AgentProfile]
    public var intentSkillLevels: [QueueID: Int]
    public var closedRetentionSeconds: Double

    public init(
        routing: RoutingConfiguration, agents: [AgentProfile], intentSkillLevels: [QueueID: Int] = [:],
        closedRetentionSeconds: Double = 3_600
    ) {
        self.routing = routing
        self.agents = agents
        self.intentSkillLevels = intentSkillLevels
        self.closedRetentionSeconds = closedRetentionSeconds
    }
}
