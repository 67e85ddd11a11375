public import SwitchboardAssist
public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWire

/// The assistance of one conversation as the summariser publishes it: the value of the snapshot
/// item `assist.<conversationId>` and the `item` of every `assist.*` event about it.
///
/// It holds only what is published (no ranking scores, no message timestamps), rounded as
/// published, so that two items are equal exactly when a consumer could tell no difference, and a
/// facet changes exactly when its event is due.
public struct AssistItem: Sendable, Hashable {
    /// The detected intent, confidence rounded to two decimals (finer changes are noise to an agent).
    public struct Intent: Sendable, Hashable {
        public var intent: String
        public var confidence: Double
        public var skill: String

        public init(intent: String, confidence: Double, skill: String) {
            self.intent = intent
            self.confidence = (confidence * 100).rounded() / 100
            self.skill = skill
        }
    }

    /// A suggested reply as the agent's pane shows it.
    public struct Suggestion: Sendable, Hashable {
        public var id: String
        public var text: String
        public var source: String
        public var reason: String
    }

    /// A surfaced knowledge article: its id, title and why it was chosen.
    public struct Article: Sendable, Hashable {
        public var id: String
        public var title: String
        public var why: String
        /// `intent` (it answers a likely intent) or `text` (BM25 over the conversation's words).
        public var source: String
    }

    /// Why the case summary was drafted.
    public enum CaseSummaryReason: String, Sendable, Hashable, CaseIterable {
        case transfer
        case escalation
        case close
    }

    public var conversationId: String
    public var intent: Intent?
    /// Who, what they want, what has been done, what is pending, in one sentence.
    public var summary: String?
    public var suggestions: [Suggestion]
    public var knowledge: [Article]
    /// The structured case summary drafted at the latest transfer, escalation or close (nil before any).
    public var caseSummary: SwitchboardAssist.CaseSummary?
    public var caseSummaryReason: CaseSummaryReason?
    /// Where the summary sentence and suggestions came from (`offline`, `openai-compatible`).
    public var backend: String

    public init(conversationId: String, backend: String = "offline") {
        self.conversationId = conversationId
        self.intent = nil
        self.summary = nil
        self.suggestions = []
        self.knowledge = []
        self.caseSummary = nil
        self.caseSummaryReason = nil
        self.backend = backend
    }

    /// The snapshot key of a conversation's assistance.
    public static func key(of conversationId: String) -> String { "assist.\(conversationId)" }

    public var key: String { Self.key(of: conversationId) }

    /// Whether there is anything to show yet.
    public var isEmpty: Bool {
        intent == nil && summary == nil && suggestions.isEmpty && knowledge.isEmpty && caseSummary == nil
    }
}

// MARK: - From the assistance library

extension AssistItem.Suggestion {
    init(_ reply: SuggestedReply) {
        self.init(id: reply.id, text: reply.text, source: reply.source.rawValue, reason: reply.reason)
    }
}

extension AssistItem.Article {
    init(_ article: SurfacedArticle) {
        self.init(id: article.articleId, title: article.title, why: article.reason, source: article.source.rawValue)
    }
}

// MARK: - Facets: which events a change calls for

/// One part of a conversation's assistance, published as its own event type when it changes.
public enum AssistFacet: String, Sendable, Hashable, CaseIterable {
    case intent
    case knowledge
    case suggestions
    case summary
    case caseSummary

    /// The event type, `assist.<facet>`.
    public var eventType: String { "assist.\(rawValue)" }

    /// The facets that differ between `old` (nil: nothing published yet) and `new`, in
    /// publication order. From nothing, only facets with content are due.
    public static func changes(from old: AssistItem?, to new: AssistItem) -> [AssistFacet] {
        let before = old ?? AssistItem(conversationId: new.conversationId, backend: new.backend)
        var facets: [AssistFacet] = []
        if before.intent != new.intent { facets.append(.intent) }
        if before.knowledge != new.knowledge { facets.append(.knowledge) }
        if before.suggestions != new.suggestions { facets.append(.suggestions) }
        if before.summary != new.summary { facets.append(.summary) }
        if before.caseSummary != new.caseSummary || before.caseSummaryReason != new.caseSummaryReason {
            facets.append(.caseSummary)
        }
        return facets
    }
}

// MARK: - JSON (docs/PROTOCOL.md §6.4)

extension AssistItem {
    /// The snapshot value and event `item` as the wire's type, which alone writes the JSON.
    public var wireItem: SwitchboardWire.AssistItem {
        SwitchboardWire.AssistItem(
            conversationId: ConversationID(conversationId),
            intent: intent.map { .init(intent: $0.intent, confidence: $0.confidence, skill: $0.skill) },
            summary: summary, suggestions: suggestions.map(\.wire), knowledge: knowledge.map(\.wire),
            caseSummary: caseSummary.map(Self.wire(of:)),
            caseSummaryReason: caseSummaryReason.map(Self.wire(of:)), backend: backend)
    }

    /// The snapshot value and event `item`.
    public var json: JSON { wireItem.json }

    /// The event `data` for `facet`: `conversationId`, the facet's own fields, `key` and `item`.
    public func eventData(for facet: AssistFacet, itemJSON: JSON) -> JSON {
        var data = JSONObject([("conversationId", .string(conversationId))])
        switch facet {
        case .intent:
            data["intent"] = .optional(intent?.intent)
            data["confidence"] = intent.map { .double($0.confidence) } ?? .null
            data["skill"] = .optional(intent?.skill)
        case .knowledge:
            data["articles"] = .array(knowledge.map(\.json))
        case .suggestions:
            data["suggestions"] = .array(suggestions.map(\.json))
        case .summary:
            data["sentence"] = .optional(summary)
        case .caseSummary:
            data["caseSummary"] = caseSummary.map(Self.json(of:)) ?? .null
            data["reason"] = .optional(caseSummaryReason?.rawValue)
        }
        data["key"] = .string(key)
        data["item"] = itemJSON
        return .object(data)
    }

    static func wire(of summary: SwitchboardAssist.CaseSummary) -> SwitchboardWire.AssistItem.CaseSummary {
        SwitchboardWire.AssistItem.CaseSummary(
            customer: summary.customer, issue: summary.issue, intent: summary.intent, skill: summary.skill,
            stepsTaken: summary.stepsTaken,
            status: wire(of: summary.status), nextAction: summary.nextAction, agents: summary.agents)
    }

    static func wire(of status: SwitchboardAssist.CaseSummary.Status) -> SwitchboardWire.AssistItem.CaseSummary.Status {
        switch status {
        case .waitingForAgent: .waitingForAgent
        case .waitingForCustomer: .waitingForCustomer
        case .transferred: .transferred
        case .escalated: .escalated
        case .resolved: .resolved
        }
    }

    static func json(of summary: SwitchboardAssist.CaseSummary) -> JSON { wire(of: summary).json }

    static func wire(of reason: CaseSummaryReason) -> SwitchboardWire.AssistItem.CaseSummaryReason {
        switch reason {
        case .transfer: .transfer
        case .escalation: .escalation
        case .close: .close
        }
    }
}

extension AssistItem.Suggestion {
    var wire: SwitchboardWire.AssistItem.Suggestion { .init(id: id, text: text, source: source, reason: reason) }
    var json: JSON { wire.json }
}

extension AssistItem.Article {
    var wire: SwitchboardWire.AssistItem.Article { .init(id: id, title: title, why: why, source: source) }
    var json: JSON { wire.json }
}
