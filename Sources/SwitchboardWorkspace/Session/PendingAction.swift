/// Something waiting for the agent in a session; idle sessions show these beside the unread count.
public enum PendingAction: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// The session opened in the background and the agent has not looked at it yet.
    case newWork = "new-work"
    /// The customer wrote last and waits for a reply.
    case awaitingReply = "awaiting-reply"
    /// The conversation was transferred in: read the summary before answering.
    case readSummary = "read-summary"
    /// A case summary was drafted: review and save it.
    case reviewCaseSummary = "review-case-summary"
    /// The call ended: wrap up (disposition, notes) and close the session.
    case wrapUp = "wrap-up"

    /// Short words for the session list.
    public var label: String {
        switch self {
        case .newWork: "new"
        case .awaitingReply: "awaiting reply"
        case .readSummary: "read summary"
        case .reviewCaseSummary: "review case summary"
        case .wrapUp: "wrap-up"
        }
    }

    public static func < (lhs: PendingAction, rhs: PendingAction) -> Bool {
        order(lhs) < order(rhs)
    }

    private static func order(_ action: PendingAction) -> Int {
        allCases.firstIndex(of: action) ?? allCases.count
    }
}
