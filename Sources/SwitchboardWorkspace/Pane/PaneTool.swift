/// A tool in the productivity pane on the right of a session.
public enum PaneTool: String, Codable, Sendable, Hashable, CaseIterable {
    /// One-sentence summary of the conversation so far (matters most after a transfer).
    case conversationSummary = "summary"
    /// Reply phrasings the agent can accept, edit or reject.
    case suggestedReplies = "suggested-replies"
    /// Knowledge articles surfaced for the conversation without a search.
    case knowledge
    /// Other cases of the same customer.
    case relatedCases = "related-cases"
    /// The customer's earlier contacts.
    case customerHistory = "history"
    /// The structured case summary drafted at handoff or escalation.
    case caseSummary = "case-summary"
    /// Articles related to the one open in the tab.
    case relatedArticles = "related-articles"

    /// The heading shown above the tool in the pane.
    public var title: String {
        switch self {
        case .conversationSummary: "Summary"
        case .suggestedReplies: "Suggested replies"
        case .knowledge: "Knowledge"
        case .relatedCases: "Related cases"
        case .customerHistory: "History"
        case .caseSummary: "Case summary"
        case .relatedArticles: "Related articles"
        }
    }
}
