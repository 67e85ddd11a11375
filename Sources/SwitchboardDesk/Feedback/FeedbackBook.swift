public import Foundation
public import SwitchboardRouting
public import SwitchboardWire

/// What agents did with the assistance, counted per intent across conversations: suggested
/// replies used (edited or not) and dismissed, articles found helpful. The desk owns it (the
/// summariser keeps no database) and publishes each intent's counts as `feedback.<intent>`.
public struct FeedbackBook: Sendable, Equatable {
    /// One thing an agent did.
    public enum Action: Sendable, Equatable {
        case used(suggestionId: String, edited: Bool)
        case dismissed(suggestionId: String)
        case helpful(articleId: String)

        /// The event's last topic segments and type suffix: `suggestion.used`.
        public var what: String {
            switch self {
            case .used: "suggestion.used"
            case .dismissed: "suggestion.dismissed"
            case .helpful: "article.helpful"
            }
        }
    }

    /// Suggestions and articles counted per intent, at most; past it the least counted go first.
    public static let entriesPerIntentMax = 1_000
    /// Intents counted, at most; past it feedback for a new intent is counted under `unclassified`.
    public static let intentsMax = 1_000
    /// The intent feedback is counted under when the conversation's is unknown.
    public static let unclassified = "unclassified"

    public private(set) var items: [String: FeedbackItem]

    public init(items: [FeedbackItem] = []) {
        self.items = Dictionary(items.map { ($0.intent, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Counts `action` under `intent` and returns the intent's item as it now stands.
    public mutating func record(_ action: Action, intent requested: String, at: RoutingInstant) -> FeedbackItem {
        let intent =
            items[requested] != nil || items.count < Self.intentsMax ? requested : Self.unclassified
        var item = items[intent] ?? FeedbackItem(intent: intent, updatedAt: at)
        switch action {
        case .used(let id, let edited):
            Self.update(&item.suggestions, FeedbackItem.Suggestion(suggestionId: id)) {
                $0.used += 1
                if edited { $0.edited += 1 }
            }
        case .dismissed(let id):
            Self.update(&item.suggestions, FeedbackItem.Suggestion(suggestionId: id)) { $0.dismissed += 1 }
        case .helpful(let id):
            Self.update(&item.articles, FeedbackItem.Article(articleId: id)) { $0.helpful += 1 }
        }
        item.updatedAt = at
        items[intent] = item
        return item
    }

    /// The intent a suggestion was offered for: the conversation's as the summariser last gave it,
    /// else the one a template's id names (`template:<intent>:<n>`), else ``unclassified``.
    public static func intent(conversationIntent: String?, suggestionId: String?) -> String {
        if let conversationIntent, isValidIdentifier(conversationIntent) { return conversationIntent }
        if let suggestionId, suggestionId.hasPrefix("template:") {
            let parts = suggestionId.split(separator: ":")
            if parts.count == 3, isValidIdentifier(String(parts[1])) { return String(parts[1]) }
        }
        return unclassified
    }

    /// Changes the entry with `fresh`'s id, or adds `fresh` changed, keeping the list ordered by id.
    private static func update<Entry: FeedbackEntry>(
        _ entries: inout [Entry], _ fresh: Entry, _ change: (inout Entry) -> Void
    ) {
        let id = fresh.id
        if let index = entries.firstIndex(where: { $0.id == id }) {
            change(&entries[index])
        } else {
            var entry = fresh
            change(&entry)
            let at = entries.firstIndex { $0.id > id } ?? entries.endIndex
            entries.insert(entry, at: at)
        }
        if entries.count > entriesPerIntentMax {
            // Keep the most counted; those counted once are the first to go.
            let kept = Set(entries.sorted { $0.count > $1.count }.prefix(entriesPerIntentMax * 9 / 10).map(\.id))
            entries.removeAll { !kept.contains($0.id) }
        }
    }
}

/// A counted suggestion or article.
protocol FeedbackEntry {
    var id: String { get }
    var count: Int { get }
}

extension FeedbackItem.Suggestion: FeedbackEntry {
    var id: String { suggestionId }
    var count: Int { used + dismissed }
}

extension FeedbackItem.Article: FeedbackEntry {
    var id: String { articleId }
    var count: Int { helpful }
}
