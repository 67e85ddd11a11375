import SwitchboardRouting

/// One conversation as the simulation plays it: the customer's side (opening, patience,
/// their turns) and what the router last said about it.
struct SimulatedConversation: Sendable {
    let id: ConversationID
    let number: Int
    let customer: CustomerID
    let queue: Int
    let channel: Channel
    let language: String
    /// The product line it is about (also the conversation's `topic`).
    let topic: String
    let opening: UtteranceBank.Opening
    let dialogue: Dialogue
    /// The agent of the customer's previous conversation, for a returning customer.
    let previousAgent: AgentID?
    /// Draws about this conversation only, so its choices do not depend on the order in
    /// which the router's answers arrive.
    var random: SimulationRandom

    /// The state the router last reported; nil until the first word from it.
    var state: ConversationState?
    var agent: AgentID?
    /// Messages in its transcript as far as we know (the opening is number 1).
    var messagesSeen = 0
    /// The dialogue turn scheduled or being sent (cleared once its message shows up).
    var turnInProgress: Int?
    var turnFailures = 0
    /// The agent an offer is being answered by, and how many answers were refused.
    var answering: AgentID?
    var answerAttempts = 0
    var closeScheduled = false
    var closeAttempts = 0
    var wrapUpScheduled = false
    var abandonSent = false
    /// The customer leaves because the run ends (counted apart from those who ran out of patience).
    var leavingAtEnd = false
    var counted = Counted()

    var isReturning: Bool { previousAgent != nil }

    /// True once it is closed or abandoned (or was refused at open).
    var ended = false

    /// Things counted at most once per conversation.
    struct Counted: Sendable {
        var reachedPreviousAgent = false
        var offeredToReturningPool = false
    }

    /// Still waiting for an agent as far as the simulation knows.
    var isWaiting: Bool { !ended && (state == nil || state == .queued || state == .offered) }
}

/// A customer who may come back: who they are, where they were, and who helped them.
struct ReturningCustomer: Sendable {
    var customer: CustomerID
    var queue: Int
    var topic: String
    var agent: AgentID
}
