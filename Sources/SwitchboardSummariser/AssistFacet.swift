import SwitchboardAssist
public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardWire

// The summariser publishes the wire's `AssistItem` itself (docs/PROTOCOL.md §6.4): the value of
// the snapshot item `assist.<conversationId>` and the `item` of every `assist.*` event about it.
// It holds only what is published (no ranking scores, no message timestamps), rounded as
// published, so that two items are equal exactly when a consumer could tell no difference, and a
// facet changes exactly when its event is due.

extension AssistItem {
    /// The snapshot key of a conversation's assistance.
    public static func key(of conversationId: String) -> String { "assist.\(conversationId)" }

    /// Whether there is anything to show yet.
    public var isEmpty: Bool {
        intent == nil && summary == nil && suggestions.isEmpty && knowledge.isEmpty && caseSummary == nil
    }

    /// The event `data` for `facet`: `conversationId`, the facet's own fields, `key` and `item`.
    public func eventData(for facet: AssistFacet, itemJSON: JSON) -> JSON {
        var data = JSONObject([("conversationId", .string(conversationId.rawValue))])
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
            data["language"] = .optional(language)
        case .caseSummary:
            data["caseSummary"] = caseSummary.map(\.json) ?? .null
            data["reason"] = .optional(caseSummaryReason?.rawValue)
        }
        data["key"] = .string(key)
        data["item"] = itemJSON
        return .object(data)
    }
}

// MARK: - From the assistance library

extension AssistItem.Intent {
    /// The intent as published: confidence rounded to two decimals (finer changes are noise to an
    /// agent, and must not call for an `assist.intent` event).
    public static func rounded(intent: String, confidence: Double, skill: String) -> Self {
        Self(intent: intent, confidence: (confidence * 100).rounded() / 100, skill: skill)
    }
}

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

extension AssistItem.CaseSummary {
    /// The library's case summary as published. The assistance library keeps its own
    /// `CaseSummary` because it is a pure library that must not depend on the wire; this is the
    /// one place the two meet.
    init(_ summary: SwitchboardAssist.CaseSummary) {
        let status: Status =
            switch summary.status {
            case .waitingForAgent: .waitingForAgent
            case .waitingForCustomer: .waitingForCustomer
            case .transferred: .transferred
            case .escalated: .escalated
            case .resolved: .resolved
            }
        self.init(
            customer: summary.customer, issue: summary.issue, intent: summary.intent, skill: summary.skill,
            stepsTaken: summary.stepsTaken, status: status, nextAction: summary.nextAction, agents: summary.agents)
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
        if before.summary != new.summary || before.language != new.language { facets.append(.summary) }
        if before.caseSummary != new.caseSummary || before.caseSummaryReason != new.caseSummaryReason {
            facets.append(.caseSummary)
        }
        return facets
    }
}
