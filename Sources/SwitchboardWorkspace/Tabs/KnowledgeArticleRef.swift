/// A knowledge article as the workspace shows it: an id from the knowledge base and its title.
public struct KnowledgeArticleRef: Codable, Sendable, Hashable {
    public var id: String
    public var title: String

    public init(id: String, title: String) {
        self.id = id
        self.title = title
    }
}
