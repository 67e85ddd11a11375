/// The assistance a session has received so far: what its productivity pane can show.
/// Every list and text is bounded (`WorkspaceLimits`); longer input is cut, best items kept.
public struct Assistance: Codable, Sendable, Equatable {
    public internal(set) var summary: String?
    public internal(set) var suggestedReplies: [String]
    public internal(set) var knowledge: [KnowledgeArticleRef]
    public internal(set) var relatedCases: [RelatedCase]
    public internal(set) var customerHistory: [HistoryEntry]
    public internal(set) var caseSummary: CaseSummary?
    /// Related articles per open article, most recent last.
    public internal(set) var relatedArticles: [RelatedArticles]

    public init() {
        summary = nil
        suggestedReplies = []
        knowledge = []
        relatedCases = []
        customerHistory = []
        caseSummary = nil
        relatedArticles = []
    }

    /// Articles related to `articleID`, if any arrived.
    public func articles(relatedTo articleID: String) -> [KnowledgeArticleRef] {
        relatedArticles.last { $0.articleID == articleID }?.articles ?? []
    }

    mutating func apply(_ update: AssistanceUpdate) {
        let itemsMax = WorkspaceLimits.assistanceItemsMax
        switch update {
        case .summary(let text):
            summary = Self.bounded(text)
        case .suggestedReplies(let replies):
            suggestedReplies = replies.prefix(itemsMax).map(Self.bounded)
        case .knowledge(let articles):
            knowledge = articles.prefix(itemsMax).map(Self.bounded)
        case .relatedCases(let cases):
            relatedCases = cases.prefix(itemsMax).map {
                RelatedCase(
                    reference: Self.bounded($0.reference), title: Self.bounded($0.title),
                    status: Self.bounded($0.status))
            }
        case .customerHistory(let entries):
            customerHistory = entries.prefix(itemsMax).map {
                HistoryEntry(at: $0.at, channel: $0.channel, summary: Self.bounded($0.summary))
            }
        case .caseSummary(let summary):
            caseSummary = CaseSummary(
                issue: Self.bounded(summary.issue),
                actionsTaken: summary.actionsTaken.prefix(itemsMax).map(Self.bounded),
                nextStep: Self.bounded(summary.nextStep), editedBy: summary.editedBy.map(Self.bounded),
                editedAt: summary.editedAt)
        case .relatedArticles(let related):
            relatedArticles.removeAll { $0.articleID == related.articleID }
            relatedArticles.append(
                RelatedArticles(
                    articleID: Self.bounded(related.articleID),
                    articles: related.articles.prefix(itemsMax).map(Self.bounded)))
            if relatedArticles.count > WorkspaceLimits.relatedArticleListsMax {
                relatedArticles.removeFirst(relatedArticles.count - WorkspaceLimits.relatedArticleListsMax)
            }
        }
    }

    /// Cuts `text` to the byte bound on a character boundary.
    static func bounded(_ text: String) -> String {
        let bytesMax = WorkspaceLimits.assistanceTextBytesMax
        guard text.utf8.count > bytesMax else { return text }
        var kept = ""
        var bytes = 0
        for character in text {
            let characterBytes = character.utf8.count
            if bytes + characterBytes > bytesMax { break }
            kept.append(character)
            bytes += characterBytes
        }
        return kept
    }

    static func bounded(_ article: KnowledgeArticleRef) -> KnowledgeArticleRef {
        KnowledgeArticleRef(id: bounded(article.id), title: bounded(article.title))
    }
}
