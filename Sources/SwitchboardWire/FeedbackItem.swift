public import SwitchboardBus
public import SwitchboardRouting

/// The desk's item `feedback.<intent>` (docs/PROTOCOL.md §6.3): what agents did with the
/// suggested replies and articles offered for one intent, counted across conversations. The
/// summariser ranks its suggestions from it; it holds counts only, never a conversation's text.
public struct FeedbackItem: Sendable, Hashable {
    /// The counts of one suggestion (its id as the summariser gave it).
    public struct Suggestion: Sendable, Hashable {
        public var suggestionId: String
        /// Times an agent sent it, edited or not.
        public var used: Int
        /// Of those, the times the agent changed the text first.
        public var edited: Int
        public var dismissed: Int

        public init(suggestionId: String, used: Int = 0, edited: Int = 0, dismissed: Int = 0) {
            self.suggestionId = suggestionId
            self.used = used
            self.edited = edited
            self.dismissed = dismissed
        }

        public var json: JSON {
            [
                "suggestionId": .string(suggestionId), "used": .number(used), "edited": .number(edited),
                "dismissed": .number(dismissed),
            ]
        }
    }

    /// How many times agents marked an article helpful.
    public struct Article: Sendable, Hashable {
        public var articleId: String
        public var helpful: Int

        public init(articleId: String, helpful: Int = 0) {
            self.articleId = articleId
            self.helpful = helpful
        }

        public var json: JSON { ["articleId": .string(articleId), "helpful": .number(helpful)] }
    }

    public var intent: String
    /// Ordered by id.
    public var suggestions: [Suggestion]
    /// Ordered by id.
    public var articles: [Article]
    public var updatedAt: RoutingInstant

    public init(intent: String, suggestions: [Suggestion] = [], articles: [Article] = [], updatedAt: RoutingInstant) {
        self.intent = intent
        self.suggestions = suggestions
        self.articles = articles
        self.updatedAt = updatedAt
    }

    /// The snapshot key of an intent's feedback.
    public static func key(of intent: String) -> String { "feedback.\(intent)" }

    public var key: String { Self.key(of: intent) }

    public var json: JSON {
        [
            "intent": .string(intent), "suggestions": .array(suggestions.map(\.json)),
            "articles": .array(articles.map(\.json)), "updatedAt": .int(updatedAt.millisecondsSinceEpoch),
        ]
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "feedback item")
        let suggestions = try fields.elements("suggestions") { value, path throws(WireError) -> Suggestion in
            let inner = try WireFields(value, item: "feedback item", path: path)
            return Suggestion(
                suggestionId: try inner.string("suggestionId"), used: try inner.int("used"),
                edited: try inner.int("edited"), dismissed: try inner.int("dismissed"))
        }
        let articles = try fields.elements("articles") { value, path throws(WireError) -> Article in
            let inner = try WireFields(value, item: "feedback item", path: path)
            return Article(articleId: try inner.string("articleId"), helpful: try inner.int("helpful"))
        }
        self.init(
            intent: try fields.string("intent"), suggestions: suggestions, articles: articles,
            updatedAt: try fields.instant("updatedAt"))
    }
}
