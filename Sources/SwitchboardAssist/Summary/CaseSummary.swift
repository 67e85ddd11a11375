/// A structured case summary, drafted at handoff or escalation for the agent to review and save.
public struct CaseSummary: Sendable, Hashable, Codable {
    /// Where the case stands.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// The customer spoke last, or an agent promised something: the agent owes the next step.
        case waitingForAgent = "waiting-for-agent"
        /// The agent asked or told the customer something and waits for them.
        case waitingForCustomer = "waiting-for-customer"
        /// Transferred, and the new agent has not written yet.
        case transferred
        /// Escalated to a supervisor or specialist.
        case escalated
        /// Closed, or the customer confirmed the need is met.
        case resolved
    }

    /// The customer's name as the transcript shows it.
    public var customer: String
    /// What the customer wants, with their own words when they said it plainly.
    public var issue: String
    /// The detected intent and the product skill it implies, when known.
    public var intent: String?
    public var skill: String?
    /// What agents, supervisors and the platform did, oldest first.
    public var stepsTaken: [String]
    public var status: Status
    /// What should happen next, as an instruction.
    public var nextAction: String
    /// The agents who have handled the conversation, in order.
    public var agents: [String]

    public init(
        customer: String, issue: String, intent: String?, skill: String?, stepsTaken: [String], status: Status,
        nextAction: String, agents: [String]
    ) {
        self.customer = customer
        self.issue = issue
        self.intent = intent
        self.skill = skill
        self.stepsTaken = stepsTaken
        self.status = status
        self.nextAction = nextAction
        self.agents = agents
    }
}

/// The one-sentence summary and the case summary of a conversation.
public struct ConversationSummary: Sendable, Hashable, Codable {
    /// Who, what they want, what has been done, what is pending, in one sentence.
    public var sentence: String
    public var caseSummary: CaseSummary

    public init(sentence: String, caseSummary: CaseSummary) {
        self.sentence = sentence
        self.caseSummary = caseSummary
    }
}
