/// Bounds on everything a workspace holds, so a misbehaving client or a flood of assistance
/// cannot grow an agent's state (and its SQLite row) without limit.
public enum WorkspaceLimits {
    /// Open sessions per agent. Capacity profiles keep real loads far below this (1 call,
    /// 3 chats, 5 cases); the bound exists so a routing fault cannot grow the desk unchecked.
    public static let sessionsMax = 32
    /// The most tabs personalisation may ask a session to remember.
    public static let tabsRememberedMax = 20
    /// The fewest: the anchor tab plus one other.
    public static let tabsRememberedMin = 2
    /// Drafts kept across sessions (email drafts outlive their sessions).
    public static let draftsMax = 200
    /// Subject plus body of one draft, in UTF-8 bytes.
    public static let draftBytesMax = 256 * 1024
    /// One reply the agent sends, in UTF-8 bytes.
    public static let replyBytesMax = 16 * 1024
    /// Form fields kept per tab, and bytes per field (name plus value).
    public static let formFieldsMax = 100
    public static let formFieldBytesMax = 8 * 1024
    /// Free text inside a tab's content (titles, references).
    public static let tabContentBytesMax = 1024
    /// The unread badge stops counting here; the client shows "999+".
    public static let unreadMax = 999
    /// Assistance items kept per list (suggestions, articles, cases, history entries); the
    /// summariser ranks best first, so the first ones are kept.
    public static let assistanceItemsMax = 10
    /// One assistance text (summary, case summary field, suggestion), in UTF-8 bytes.
    public static let assistanceTextBytesMax = 4 * 1024
    /// Knowledge articles with related-article lists kept per session.
    public static let relatedArticleListsMax = 20
}
