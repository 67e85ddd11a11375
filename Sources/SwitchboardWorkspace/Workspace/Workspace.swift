public import SwitchboardRouting

/// One agent's multi-session workspace: their open sessions (one per work item), which one
/// has focus, which one they are looking at, the drafts they are composing, and their
/// personalisation.
///
/// It is a state machine with no I/O: facts from other authorities go in through
/// `apply(_:now:)`, the agent's commands through `handle(_:now:)`, and both return the
/// `WorkspaceEvent`s that happened, in order, for the desk to publish and carry out. Time is
/// injected. The whole value is `Codable`, so the desk stores it and a restart loses nothing.
///
/// Focus has two parts. The *active* session is where new work goes (the highlighted
/// session); the *viewed* session is the one on screen. Focusing a session sets both;
/// browsing sets only the viewed one. A live voice call holds the active session: while it
/// lasts every other session can be browsed (read, tabs switched, places kept, drafts
/// autosaved) but not focused, replied from or reopened.
public struct Workspace: Codable, Sendable, Equatable {
    public let agent: AgentID
    /// The agent's role in the contact-centre configuration.
    public internal(set) var role: RoleName
    /// The defaults supervisors set for `role`, as last received.
    public internal(set) var roleDefaults: PreferenceOverrides
    /// The agent's own choices.
    public internal(set) var agentOverrides: PreferenceOverrides
    /// Open sessions in the order they opened (the order of the session list).
    public internal(set) var sessions: [Session]
    /// Where new work goes; nil when nothing has focus.
    public internal(set) var activeSessionID: ConversationID?
    /// The session on screen: the active one, or one being browsed.
    public internal(set) var viewedSessionID: ConversationID?
    /// Drafts by conversation, including those of closed email sessions.
    public internal(set) var drafts: [Draft]
    /// Rises on every tab use and every focus; orders recency without relying on the clock.
    var useSequence: UInt64

    public init(
        agent: AgentID,
        role: RoleName,
        roleDefaults: PreferenceOverrides = PreferenceOverrides(),
        agentOverrides: PreferenceOverrides = PreferenceOverrides()
    ) {
        self.agent = agent
        self.role = role
        self.roleDefaults = roleDefaults
        self.agentOverrides = agentOverrides
        self.sessions = []
        self.activeSessionID = nil
        self.viewedSessionID = nil
        self.drafts = []
        self.useSequence = 0
    }

    /// The personalisation in force: agent over role over system, setting by setting.
    public var preferences: ResolvedPreferences {
        ResolvedPreferences.resolve(role: role, roleDefaults: roleDefaults, agent: agentOverrides)
    }

    public func session(_ conversation: ConversationID) -> Session? {
        sessions.first { $0.id == conversation }
    }

    public var activeSession: Session? { activeSessionID.flatMap(session) }

    public var viewedSession: Session? { viewedSessionID.flatMap(session) }

    /// The voice call that holds focus, if one is live.
    public var liveCall: Session? {
        if let active = activeSession, active.isLiveCall { return active }
        return sessions.first { $0.isLiveCall }
    }

    public func draft(for conversation: ConversationID) -> Draft? {
        drafts.first { $0.conversation == conversation }
    }

    /// The productivity pane of a session as it shows now.
    public func pane(of conversation: ConversationID) -> PaneView? {
        session(conversation)?.pane(enabledTools: preferences.values.paneTools)
    }

    /// Why the agent cannot start new work in `conversation` right now, or nil when they can.
    /// Clients use it to grey out the sessions a live call keeps them from.
    public func workRefusal(in conversation: ConversationID) -> WorkspaceError? {
        if let call = liveCall, call.id != conversation {
            return .focusRefused(conversation: conversation, liveCall: call.id)
        }
        return nil
    }

    /// Unread messages over all sessions.
    public var unreadTotal: Int { sessions.reduce(0) { $0 + $1.unreadCount } }
}
