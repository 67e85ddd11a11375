public import SwitchboardRouting

/// How a channel's sessions behave in the workspace. One table, so the focus rules of the
/// whole desk can be read in one place.
///
/// - voice: takes focus when the call starts and holds it while the call is live: other
///   sessions can be browsed (read, tabs switched, places kept, drafts autosaved) but not
///   focused, and no reply goes out from them until the call ends.
/// - chat, messaging: concurrent; a new one takes focus only when nothing else has it.
/// - email: like chat, but long-running: closing the session keeps the draft and leaves the
///   conversation open, so the agent can compose across many short sessions.
/// - case: background; opening never steals focus; closing the session leaves the case open.
public struct ChannelBehaviour: Sendable, Equatable {
    /// Where a newly opened session of this channel goes.
    public enum Placement: String, Sendable, Equatable {
        /// Takes focus at once (unless another live call already holds it).
        case takesFocus
        /// Takes focus only when the agent has no active session.
        case focusWhenIdle
        /// Always opens in the background, waiting to be focused.
        case background
    }

    public var placement: Placement
    /// While the conversation is live, no other session can be focused for new work.
    public var holdsFocusWhileLive: Bool
    /// Whether the agent closing the session ends the conversation at the router too.
    /// False for email and case: the item stays open and the agent comes back to it.
    public var closingSessionEndsConversation: Bool
    /// Whether the draft outlives the session (kept by conversation until sent or discarded).
    public var draftOutlivesSession: Bool
    /// Whether the agent may open a session on this item again by themselves.
    public var agentMayReopen: Bool
    /// Whether the agent can send text replies from the session.
    public var acceptsTextReplies: Bool
    /// The tab every session of this channel is anchored on; it is never closed.
    public var anchorTab: TabKind

    /// The behaviour of `channel`'s sessions.
    public static func of(_ channel: Channel) -> ChannelBehaviour {
        switch channel {
        case .voice:
            ChannelBehaviour(
                placement: .takesFocus, holdsFocusWhileLive: true, closingSessionEndsConversation: true,
                draftOutlivesSession: false, agentMayReopen: false, acceptsTextReplies: false,
                anchorTab: .conversation)
        case .chat, .messaging:
            ChannelBehaviour(
                placement: .focusWhenIdle, holdsFocusWhileLive: false, closingSessionEndsConversation: true,
                draftOutlivesSession: false, agentMayReopen: false, acceptsTextReplies: true,
                anchorTab: .conversation)
        case .email:
            ChannelBehaviour(
                placement: .focusWhenIdle, holdsFocusWhileLive: false, closingSessionEndsConversation: false,
                draftOutlivesSession: true, agentMayReopen: true, acceptsTextReplies: true,
                anchorTab: .conversation)
        case .case:
            ChannelBehaviour(
                placement: .background, holdsFocusWhileLive: false, closingSessionEndsConversation: false,
                draftOutlivesSession: false, agentMayReopen: true, acceptsTextReplies: false,
                anchorTab: .caseRecord)
        }
    }
}
