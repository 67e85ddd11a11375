internal import Foundation

/// The agent's own search of the knowledge base: BM25 over each article's title (twice), the
/// intents it answers and its body, the way ``KnowledgeBase/surface(text:intents:limit:)`` ranks
/// by text, but for the words the agent types.
public struct KnowledgeSearch: Sendable {
    /// One article found, best first.
    public struct Hit: Sendable, Hashable {
        public var articleId: String
        public var title: String
        /// The BM25 score (higher is closer).
        public var score: Double
        /// The query words the article contains.
        public var matched: [String]
        /// The article's sentence closest to the query: what to read first.
        public var snippet: String

        public init(articleId: String, title: String, score: Double, matched: [String], snippet: String) {
            self.articleId = articleId
            self.title = title
            self.score = score
            self.matched = matched
            self.snippet = snippet
        }
    }

    /// Bytes of a query, at most; results per query, at most.
    public static let queryBytesMax = 512
    public static let resultsMax = 10

    public let knowledgeBase: KnowledgeBase
    private let index: BM25Index

    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
        self.index = BM25Index(
            documents: knowledgeBase.articles.map { article in
                ([article.title, article.title] + article.intents.map { $0.replacingOccurrences(of: "_", with: " ") }
                    + [article.body]).joined(separator: " ")
            })
    }

    /// Up to `limit` (at most ``resultsMax``) articles sharing words with `query`, best first; none
    /// for a query of function words only.
    public func search(_ query: String, limit: Int = 5) -> [Hit] {
        let terms = Set(BM25Index.terms(of: query))
        return index.search(query, limit: min(max(0, limit), Self.resultsMax)).map { match in
            let article = knowledgeBase.articles[match.document]
            let snippet = ReplySuggester.bestSentence(of: article.body, matching: terms)?.1
            return Hit(
                articleId: article.id, title: article.title, score: (match.score * 100).rounded() / 100,
                matched: match.matched, snippet: snippet ?? String(article.body.prefix(200)))
        }
    }
}
