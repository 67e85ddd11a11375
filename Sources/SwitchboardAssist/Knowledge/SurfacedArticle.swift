/// An article put in front of the agent, with why it was chosen.
public struct SurfacedArticle: Sendable, Hashable, Codable {
    /// How the article was found.
    public enum Source: String, Sendable, Hashable, Codable {
        /// It answers one of the most likely intents of the conversation.
        case intent
        /// Its text matches the conversation's words (BM25), the fallback when intents are unsure.
        case text
    }

    public var articleId: String
    public var title: String
    public var source: Source
    /// The intent probability (source `intent`) or the BM25 score (source `text`) that ranked it.
    public var score: Double
    /// The intents the article answers.
    public var intents: [String]
    /// One sentence for the agent: why this article is here.
    public var reason: String

    public init(
        articleId: String, title: String, source: Source, score: Double, intents: [String], reason: String
    ) {
        self.articleId = articleId
        self.title = title
        self.source = source
        self.score = score
        self.intents = intents
        self.reason = reason
    }
}
