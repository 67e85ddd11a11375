/// One article of the knowledge base: what an agent reads to answer a customer.
public struct KnowledgeArticle: Sendable, Hashable, Codable, Identifiable {
    /// A stable identifier (`kb-card-delivery`), used in events and feedback.
    public var id: String
    public var title: String
    /// The article's text; paragraphs are separated by blank lines.
    public var body: String
    /// The intents this article answers.
    public var intents: [String]
    /// BCP 47 language tag of the text (`en`).
    public var language: String

    public init(id: String, title: String, body: String, intents: [String], language: String) {
        self.id = id
        self.title = title
        self.body = body
        self.intents = intents
        self.language = language
    }
}
