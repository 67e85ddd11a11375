public import SwitchboardRouting
public import SwitchboardWorkspace

/// What happened on one agent's desk, in order: the workspace's own events plus the desk's
/// (sign-in, offers). Each becomes one `desk.<agentId>.<what>` event on the bus.
public enum DeskEvent: Sendable, Equatable {
    case workspace(WorkspaceEvent)
    case signedIn(role: RoleName)
    case signedOut
    case offerReceived(DeskOffer)
    case offerWithdrawn(ConversationID, reason: OfferEndReason)
    /// The agent corrected the conversation's case summary; the next agent's pane shows it.
    case caseSummaryEdited(ConversationID, CaseSummary)

    /// The topic's last segments and the type's suffix: `session.opened`, `offer.received`.
    public var what: String {
        switch self {
        case .workspace(let event): event.type
        case .signedIn: "signed-in"
        case .signedOut: "signed-out"
        case .offerReceived: "offer.received"
        case .offerWithdrawn: "offer.withdrawn"
        case .caseSummaryEdited: "case-summary.edited"
        }
    }

    /// The conversation the event is about, if any.
    public var conversation: ConversationID? {
        switch self {
        case .workspace(let event): event.conversation
        case .signedIn, .signedOut: nil
        case .offerReceived(let offer): offer.conversation
        case .offerWithdrawn(let conversation, _): conversation
        case .caseSummaryEdited(let conversation, _): conversation
        }
    }
}
