public import SwitchboardRouting

/// Something the agent asks of their workspace through the desk. A command is either applied
/// whole or refused with a `WorkspaceError` and no change.
///
/// Viewing commands (browse, tabs, places, drafts) are always allowed on an open session.
/// Commands that start new work (focus, reply, reopen) are refused while a live call holds
/// focus elsewhere.
public enum WorkspaceCommand: Codable, Sendable, Equatable {
    /// Make this session the active one (where new work goes).
    case focusSession(conversation: ConversationID)
    /// Look at this session without moving focus (allowed during a live call).
    case browseSession(conversation: ConversationID)
    case selectTab(conversation: ConversationID, tab: TabID)
    /// Open a tab (or select it when it is already open).
    case openTab(conversation: ConversationID, content: TabContent)
    case closeTab(conversation: ConversationID, tab: TabID)
    /// Keep where the agent is in a tab (scroll, cursor, form values).
    case rememberPlace(conversation: ConversationID, tab: TabID, place: TabPlace)
    /// Save what the agent is composing. Never moves focus, so a client may autosave on leaving.
    case saveDraft(conversation: ConversationID, subject: String?, body: String)
    case discardDraft(conversation: ConversationID)
    /// Send a reply; the desk forwards it to the router when the workspace returns `replySent`.
    case sendReply(conversation: ConversationID, text: String)
    /// The agent is done with the session. For chat, messaging and voice this also ends the
    /// conversation; for email and case it only closes the session.
    case closeSession(conversation: ConversationID)
    /// The agent opens one of their own email or case items again.
    case reopenSession(WorkItem)
    /// The agent dealt with a pending action (reviewed the case summary, finished wrap-up).
    case completeAction(conversation: ConversationID, action: PendingAction)
    /// Replace the agent's own personalisation overrides.
    case setPreferences(PreferenceOverrides)
}
