public import SwitchboardRouting

/// What a tab holds. The tab's id is derived from it.
public enum TabContent: Codable, Sendable, Hashable {
    /// The session's own conversation.
    case conversation
    /// A customer record (usually the session's customer).
    case customer(id: CustomerID)
    /// A case record, by its reference.
    case caseRecord(reference: String)
    /// A knowledge article.
    case knowledgeArticle(KnowledgeArticleRef)
    /// A form, by its name (`refund-request`) with a title to show.
    case form(name: String, title: String)

    public var kind: TabKind {
        switch self {
        case .conversation: .conversation
        case .customer: .customer
        case .caseRecord: .caseRecord
        case .knowledgeArticle: .knowledgeArticle
        case .form: .form
        }
    }

    public var id: TabID {
        switch self {
        case .conversation: TabID("conversation")
        case .customer(let customer): TabID("customer:\(customer.rawValue)")
        case .caseRecord(let reference): TabID("case:\(reference)")
        case .knowledgeArticle(let article): TabID("knowledge:\(article.id)")
        case .form(let name, _): TabID("form:\(name)")
        }
    }

    /// The label shown on the tab strip.
    public var title: String {
        switch self {
        case .conversation: "Conversation"
        case .customer(let customer): "Customer \(customer.rawValue)"
        case .caseRecord(let reference): "Case \(reference)"
        case .knowledgeArticle(let article): article.title
        case .form(_, let title): title
        }
    }

    /// The free text in this content, for bounds checks.
    var textBytes: Int {
        switch self {
        case .conversation: 0
        case .customer(let customer): customer.rawValue.utf8.count
        case .caseRecord(let reference): reference.utf8.count
        case .knowledgeArticle(let article): article.id.utf8.count + article.title.utf8.count
        case .form(let name, let title): name.utf8.count + title.utf8.count
        }
    }
}
