public import Foundation
public import SwitchboardRouting

/// The router's answer to one input, as typed values; `RouterEventEncoder.outcome` words it
/// as the command's reply.
public enum RouterReply: Sendable, Hashable {
    /// An input that is not a command (presence, tick) was applied.
    case applied
    /// A command about a conversation (open, decline, close, wrap-up, abandon, transfer) was applied.
    case conversation(ConversationID)
    /// An offer was accepted.
    case accepted(ConversationID, agent: AgentID)
    /// A message joined the transcript as message `number`.
    case messageAppended(ConversationID, number: Int)
    /// An agent was added, updated or removed.
    case agent(AgentID)
    /// A new contact-centre file took effect, with the changes to the agents it made.
    case reloaded(agentsAdded: Int, agentsUpdated: Int, agentsRemoved: Int)
    /// The input was refused and changed nothing (deadlines that fell due still fired).
    case refused(Refusal)

    /// Why an input was refused.
    public enum Refusal: Sendable, Hashable {
        /// The routing engine refused it.
        case routing(RoutingError)
        /// A message for a conversation the router does not know.
        case unknownConversation(ConversationID)
        /// A message for a conversation that has ended.
        case conversationEnded(ConversationID, ConversationState)
        /// A message for a conversation that already holds `messagesMax` messages.
        case transcriptFull(ConversationID, messagesMax: Int)
        /// A reloaded contact-centre file the engine cannot run with.
        case settingsRefused(RoutingError)
        /// The queue is outside its hours and refuses new work: when it opens next (nil: not
        /// within the calendar's reach), in the time zone its calendar keeps.
        case queueClosed(QueueID, opensAt: RoutingInstant?, timeZone: TimeZone)
    }
}
