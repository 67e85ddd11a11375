/// New assistance for one session, as the summariser publishes it on `assist.*`.
/// Each update replaces the previous content of its tool.
public enum AssistanceUpdate: Codable, Sendable, Equatable {
    case summary(text: String)
    case suggestedReplies([String])
    case knowledge([KnowledgeArticleRef])
    case relatedCases([RelatedCase])
    case customerHistory([HistoryEntry])
    case caseSummary(CaseSummary)
    case relatedArticles(RelatedArticles)

    /// The pane tool this update feeds.
    public var tool: PaneTool {
        switch self {
        case .summary: .conversationSummary
        case .suggestedReplies: .suggestedReplies
        case .knowledge: .knowledge
        case .relatedCases: .relatedCases
        case .customerHistory: .customerHistory
        case .caseSummary: .caseSummary
        case .relatedArticles: .relatedArticles
        }
    }
}
