public import SwitchboardRouting

/// Where a newly opened session went.
public enum SessionPlacement: Codable, Sendable, Hashable {
    case focused
    case background(reason: BackgroundReason)
}

/// Why a session opened in the background.
public enum BackgroundReason: Codable, Sendable, Hashable {
    /// A live voice call holds focus.
    case liveCall(ConversationID)
    /// Cases wait in the background until the agent focuses them.
    case caseWaits
    /// The agent is working in another session; concurrent work does not take focus from it.
    case agentBusy(activeSession: ConversationID)
}

/// Why a session got focus.
public enum FocusReason: String, Codable, Sendable, Hashable {
    /// The agent chose it.
    case agentChose = "agent-chose"
    /// A voice call started and took focus.
    case callStarted = "call-started"
    /// It opened while nothing else had focus.
    case firstSession = "first-session"
    /// The active session closed and focus moved here.
    case previousClosed = "previous-closed"
    /// The agent reopened one of their own items.
    case reopened
}

/// Why a session closed.
public enum SessionCloseReason: String, Codable, Sendable, Hashable {
    case closedByAgent = "closed-by-agent"
    case conversationClosed = "conversation-closed"
    case transferredAway = "transferred-away"
    case customerAbandoned = "customer-abandoned"
    case requeued

    init(_ reason: WorkEndReason) {
        switch reason {
        case .closed: self = .conversationClosed
        case .transferred: self = .transferredAway
        case .abandoned: self = .customerAbandoned
        case .requeued: self = .requeued
        }
    }
}

/// Why a tab closed.
public enum TabCloseReason: String, Codable, Sendable, Hashable {
    case closedByAgent = "closed-by-agent"
    /// The session was over its tabs-remembered limit: the least recently used tab went.
    case leastRecentlyUsed = "least-recently-used"
}

/// Why a draft was dropped.
public enum DraftDiscardReason: String, Codable, Sendable, Hashable {
    /// The reply went out.
    case sent
    case discardedByAgent = "discarded-by-agent"
    /// The session of a channel whose drafts do not outlive sessions (chat) closed.
    case sessionClosed = "session-closed"
    /// The router ended the conversation (closed, transferred away, abandoned).
    case conversationEnded = "conversation-ended"
}

/// What happened in the workspace, in order. The desk publishes these as `desk.*` events
/// (`type` names each one) and carries out the two that need the router: `replySent` (forward
/// the reply) and `sessionClosed` with `endsConversation` (forward the close).
public enum WorkspaceEvent: Codable, Sendable, Equatable {
    case sessionOpened(
        conversation: ConversationID, channel: Channel, customer: CustomerID, queue: QueueID,
        placement: SessionPlacement)
    /// The agent already has `WorkspaceLimits.sessionsMax` sessions; the desk should raise an alert.
    case sessionRefused(conversation: ConversationID, sessionsMax: Int)
    case sessionFocused(conversation: ConversationID, previous: ConversationID?, reason: FocusReason)
    /// The agent is looking at this session while `activeSession` keeps focus.
    case sessionBrowsed(conversation: ConversationID, activeSession: ConversationID?)
    case sessionClosed(conversation: ConversationID, reason: SessionCloseReason, endsConversation: Bool)
    /// The call hung up: it no longer holds focus.
    case callEnded(conversation: ConversationID)
    case unreadChanged(conversation: ConversationID, unread: Int)
    case pendingActionsChanged(conversation: ConversationID, actions: [PendingAction])
    /// The client should show a notification in this style (the preferences said so).
    case notificationRaised(conversation: ConversationID, trigger: NotificationTrigger, style: NotificationStyle)
    case tabOpened(conversation: ConversationID, tab: TabID, kind: TabKind)
    case tabSelected(conversation: ConversationID, tab: TabID)
    case tabClosed(conversation: ConversationID, tab: TabID, reason: TabCloseReason)
    /// The pane now shows these tools (the active tab or the enabled tools changed).
    case paneChanged(conversation: ConversationID, tab: TabID, tools: [PaneTool])
    /// New content for a pane tool; `shown` tells whether the pane displays that tool right now.
    case paneUpdated(conversation: ConversationID, tool: PaneTool, shown: Bool)
    case draftSaved(conversation: ConversationID, revision: Int, bytes: Int)
    /// A reopened session found its draft.
    case draftRestored(conversation: ConversationID, revision: Int, bytes: Int)
    /// The session closed and its draft was kept for next time.
    case draftKept(conversation: ConversationID, revision: Int, bytes: Int)
    case draftDiscarded(conversation: ConversationID, reason: DraftDiscardReason)
    /// The agent's reply, for the desk to forward to the router.
    case replySent(conversation: ConversationID, text: String)
    case preferencesChanged(WorkspacePreferences)

    /// The event type on the bus (`session.opened`), past tense like every event.
    public var type: String {
        switch self {
        case .sessionOpened: "session.opened"
        case .sessionRefused: "session.refused"
        case .sessionFocused: "session.focused"
        case .sessionBrowsed: "session.browsed"
        case .sessionClosed: "session.closed"
        case .callEnded: "session.call-ended"
        case .unreadChanged: "session.unread-changed"
        case .pendingActionsChanged: "session.pending-changed"
        case .notificationRaised: "notification.raised"
        case .tabOpened: "tab.opened"
        case .tabSelected: "tab.selected"
        case .tabClosed: "tab.closed"
        case .paneChanged: "pane.changed"
        case .paneUpdated: "pane.updated"
        case .draftSaved: "draft.saved"
        case .draftRestored: "draft.restored"
        case .draftKept: "draft.kept"
        case .draftDiscarded: "draft.discarded"
        case .replySent: "reply.sent"
        case .preferencesChanged: "preferences.changed"
        }
    }

    /// The conversation the event is about (every such event carries it on the bus).
    public var conversation: ConversationID? {
        switch self {
        case .sessionOpened(let conversation, _, _, _, _), .sessionRefused(let conversation, _),
            .sessionFocused(let conversation, _, _), .sessionBrowsed(let conversation, _),
            .sessionClosed(let conversation, _, _), .callEnded(let conversation),
            .unreadChanged(let conversation, _), .pendingActionsChanged(let conversation, _),
            .notificationRaised(let conversation, _, _), .tabOpened(let conversation, _, _),
            .tabSelected(let conversation, _), .tabClosed(let conversation, _, _),
            .paneChanged(let conversation, _, _), .paneUpdated(let conversation, _, _),
            .draftSaved(let conversation, _, _), .draftRestored(let conversation, _, _),
            .draftKept(let conversation, _, _), .draftDiscarded(let conversation, _),
            .replySent(let conversation, _):
            conversation
        case .preferencesChanged:
            nil
        }
    }
}
