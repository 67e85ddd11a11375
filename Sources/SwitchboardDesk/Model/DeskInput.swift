public import Foundation
public import SwitchboardRouting
public import SwitchboardWorkspace

/// A fact the desk learns about one agent's work from another authority: the router
/// (offers, assignments, messages, ends of work) or the summariser (assistance). `RouterMirror`
/// and `AssistanceTranslation` make them from the bus; `DeskRecord.apply(_:now:)` carries them
/// out. Facts are never refused, and a repeated one changes nothing, so a redelivery after a
/// gap or a restart is safe.
public enum DeskInput: Sendable, Equatable {
    /// The router offered the conversation to the agent.
    case offered(DeskOffer)
    /// The offer left the agent (declined, expired); the conversation stays with the router.
    case offerEnded(ConversationID, reason: OfferEndReason)
    /// The router assigned the work: open its session. `transcript` is the end of the
    /// conversation so far, so customer messages nobody has answered yet wait as unread.
    case assigned(WorkItem, at: Date, transcript: [TranscriptMessage])
    /// The router took the work away from the agent (requeued, transferred, abandoned):
    /// the offer or the session goes.
    case withdrawn(ConversationID, reason: WorkEndReason)
    /// The router closed the conversation. A live call ends and its session stays for
    /// wrap-up; any other session closes.
    case conversationClosed(ConversationID)
    /// The agent's wrap-up ended: a session kept for it closes.
    case wrapUpEnded(ConversationID)
    /// A transcript message of one of the agent's conversations.
    case message(ConversationID, TranscriptMessage)
    /// New assistance for the conversation's productivity pane.
    case assistance(ConversationID, AssistanceUpdate)
    /// The contact-centre file gives the agent this role and its defaults.
    case roleDefaults(RoleName, PreferenceOverrides)
}

/// A fact for one agent, as a translation of the bus produces it.
public struct DeskDirective: Sendable, Equatable {
    public var agent: AgentID
    public var input: DeskInput

    public init(agent: AgentID, input: DeskInput) {
        self.agent = agent
        self.input = input
    }
}
