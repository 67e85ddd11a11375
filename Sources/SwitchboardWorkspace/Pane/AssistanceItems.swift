public import Foundation
public import SwitchboardRouting

/// Another case of the same customer, as the pane lists it.
public struct RelatedCase: Codable, Sendable, Hashable {
    public var reference: String
    public var title: String
    /// The case's state as the case system names it (`open`, `resolved`).
    public var status: String

    public init(reference: String, title: String, status: String) {
        self.reference = reference
        self.title = title
        self.status = status
    }
}

/// One earlier contact of the customer.
public struct HistoryEntry: Codable, Sendable, Hashable {
    public var at: Date
    public var channel: Channel
    public var summary: String

    public init(at: Date, channel: Channel, summary: String) {
        self.at = at
        self.channel = channel
        self.summary = summary
    }
}

/// The structured summary drafted at handoff or escalation, which the agent reviews and saves.
public struct CaseSummary: Codable, Sendable, Hashable {
    /// What the customer needs, in one sentence.
    public var issue: String
    /// What has been done so far, in order.
    public var actionsTaken: [String]
    /// What should happen next.
    public var nextStep: String
    /// The agent who corrected the drafted summary (`desk.editCaseSummary`), nil while it is as drafted.
    public var editedBy: String?
    /// When they corrected it.
    public var editedAt: Date?

    public init(
        issue: String, actionsTaken: [String], nextStep: String, editedBy: String? = nil, editedAt: Date? = nil
    ) {
        self.issue = issue
        self.actionsTaken = actionsTaken
        self.nextStep = nextStep
        self.editedBy = editedBy
        self.editedAt = editedAt
    }
}

/// Articles related to one knowledge article open in a tab.
public struct RelatedArticles: Codable, Sendable, Hashable {
    public var articleID: String
    public var articles: [KnowledgeArticleRef]

    public init(articleID: String, articles: [KnowledgeArticleRef]) {
        self.articleID = articleID
        self.articles = articles
    }
}
