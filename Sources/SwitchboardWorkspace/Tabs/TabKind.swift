/// What a tab inside a session shows.
public enum TabKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// The conversation itself (chat transcript, call, email thread): the anchor of most sessions.
    case conversation
    /// The customer record.
    case customer
    /// A case record; the anchor of case sessions.
    case caseRecord = "case"
    /// One knowledge article.
    case knowledgeArticle = "knowledge"
    /// A form or inspection the agent is filling in.
    case form

    /// The productivity-pane tools that belong to this tab, in display order. The pane shows
    /// these, minus the tools the agent's preferences switch off.
    public var paneTools: [PaneTool] {
        switch self {
        case .conversation: [.conversationSummary, .suggestedReplies, .knowledge]
        case .customer: [.relatedCases, .customerHistory]
        case .caseRecord: [.caseSummary, .relatedCases]
        case .knowledgeArticle: [.relatedArticles]
        case .form: [.knowledge]
        }
    }
}
