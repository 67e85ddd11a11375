public import SwitchboardRouting

/// Why the workspace refused a command. The desk answers the command with a NACK carrying
/// `code` and `description`, which names the thing and says what to do.
public enum WorkspaceError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    case unknownSession(conversation: ConversationID)
    /// A live voice call holds focus; the session can be browsed but not worked in.
    case focusRefused(conversation: ConversationID, liveCall: ConversationID)
    case unknownTab(conversation: ConversationID, tab: TabID)
    case anchorTabCannotClose(conversation: ConversationID, tab: TabID)
    /// This kind of tab does not exist in this session's channel (a conversation tab on a case).
    case tabNotAvailable(conversation: ConversationID, kind: TabKind, channel: Channel)
    case tabContentTooLarge(conversation: ConversationID, bytes: Int, bytesMax: Int)
    case invalidPlace(conversation: ConversationID, tab: TabID, problem: String)
    case repliesNotSupported(conversation: ConversationID, channel: Channel)
    case emptyReply(conversation: ConversationID)
    case replyTooLarge(conversation: ConversationID, bytes: Int, bytesMax: Int)
    case draftTooLarge(conversation: ConversationID, bytes: Int, bytesMax: Int)
    case draftLimitReached(conversation: ConversationID, draftsMax: Int)
    case noDraft(conversation: ConversationID)
    case sessionLimitReached(conversation: ConversationID, sessionsMax: Int)
    case cannotReopen(conversation: ConversationID, channel: Channel)
    case noSuchPendingAction(conversation: ConversationID, action: PendingAction)
    case invalidPreferences([PreferenceError])

    /// A stable machine-readable code for the NACK.
    public var code: String {
        switch self {
        case .unknownSession: "unknown-session"
        case .focusRefused: "focus-refused"
        case .unknownTab: "unknown-tab"
        case .anchorTabCannotClose: "anchor-tab"
        case .tabNotAvailable: "tab-not-available"
        case .tabContentTooLarge: "tab-too-large"
        case .invalidPlace: "invalid-place"
        case .repliesNotSupported: "replies-not-supported"
        case .emptyReply: "empty-reply"
        case .replyTooLarge: "reply-too-large"
        case .draftTooLarge: "draft-too-large"
        case .draftLimitReached: "draft-limit"
        case .noDraft: "no-draft"
        case .sessionLimitReached: "session-limit"
        case .cannotReopen: "cannot-reopen"
        case .noSuchPendingAction: "no-such-pending-action"
        case .invalidPreferences: "invalid-preferences"
        }
    }

    public var description: String {
        switch self {
        case .unknownSession(let conversation):
            "No session is open for conversation \(conversation); open sessions are listed by `desk show`."
        case .focusRefused(let conversation, let liveCall):
            "Cannot work in \(conversation): voice call \(liveCall) is live and holds focus. "
                + "Browse \(conversation) to read it, or end the call first."
        case .unknownTab(let conversation, let tab):
            "Session \(conversation) has no tab \(tab); open it first."
        case .anchorTabCannotClose(let conversation, let tab):
            "Tab \(tab) anchors session \(conversation) and cannot be closed; close the session instead."
        case .tabNotAvailable(let conversation, let kind, let channel):
            "Session \(conversation) is a \(channel.rawValue) session and has no \(kind.rawValue) tab."
        case .tabContentTooLarge(let conversation, let bytes, let bytesMax):
            "Tab for \(conversation) has \(bytes) bytes of title and reference; at most \(bytesMax) are kept."
        case .invalidPlace(let conversation, let tab, let problem):
            "Cannot keep the place in tab \(tab) of \(conversation): \(problem)."
        case .repliesNotSupported(let conversation, let channel):
            "Session \(conversation) is a \(channel.rawValue) session, which takes no text replies."
        case .emptyReply(let conversation):
            "The reply to \(conversation) is empty; write something before sending."
        case .replyTooLarge(let conversation, let bytes, let bytesMax):
            "The reply to \(conversation) is \(bytes) bytes; at most \(bytesMax) can be sent at once: split it."
        case .draftTooLarge(let conversation, let bytes, let bytesMax):
            "The draft for \(conversation) is \(bytes) bytes; at most \(bytesMax) are kept: shorten it."
        case .draftLimitReached(let conversation, let draftsMax):
            "Cannot keep a draft for \(conversation): \(draftsMax) drafts are already kept; send or discard some."
        case .noDraft(let conversation):
            "There is no draft for \(conversation)."
        case .sessionLimitReached(let conversation, let sessionsMax):
            "Cannot open \(conversation): \(sessionsMax) sessions are already open; close some first."
        case .cannotReopen(let conversation, let channel):
            "Cannot reopen \(conversation): \(channel.rawValue) work returns through the router, "
                + "only email and case items can be reopened by the agent."
        case .noSuchPendingAction(let conversation, let action):
            "Session \(conversation) has no pending '\(action.label)'."
        case .invalidPreferences(let errors):
            "Preferences refused: " + errors.map(\.description).joined(separator: "; ")
        }
    }
}
