public import Foundation

/// The knowledge base: articles, an index from intent to articles, and BM25 over their text.
public struct KnowledgeBase: Sendable {
    /// Every article, in file order.
    public let articles: [KnowledgeArticle]
    private let articlesByIntent: [String: [Int]]
    private let positionById: [String: Int]
    private let index: BM25Index

    /// Intents whose probability is below this never bring an article by themselves.
    public static let minimumIntentProbability = 0.01

    public init(articles: [KnowledgeArticle]) {
        self.articles = articles
        var byIntent: [String: [Int]] = [:]
        for (position, article) in articles.enumerated() {
            for intent in article.intents { byIntent[intent, default: []].append(position) }
        }
        self.articlesByIntent = byIntent
        self.positionById = Dictionary(
            articles.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Intent names are indexed too ("card_arrival" → "card arrival"): they are the article's topic.
        self.index = BM25Index(
            documents: articles.map { article in
                ([article.title, article.title] + article.intents.map { $0.replacingOccurrences(of: "_", with: " ") }
                    + [article.body]).joined(separator: " ")
            })
    }

    /// Parses the knowledge base's JSON form: `{"articles": [{id, title, body, intents, language}]}`.
    public static func parse(json: Data, source: String) throws(AssistError) -> KnowledgeBase {
        struct File: Decodable { var articles: [KnowledgeArticle] }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch {
            throw .malformedFile(path: source, reason: "not a knowledge base: \(error)")
        }
        var seen = Set<String>()
        for article in file.articles {
            guard seen.insert(article.id).inserted else {
                throw .malformedFile(path: source, reason: "article id \(article.id) appears twice: ids must be unique")
            }
            guard !article.intents.isEmpty else {
                throw .malformedFile(path: source, reason: "article \(article.id) names no intent")
            }
        }
        return KnowledgeBase(articles: file.articles)
    }

    /// Every intent some article answers.
    public var coveredIntents: Set<String> { Set(articlesByIntent.keys) }

    /// The article with `id`, if any.
    public func article(id: String) -> KnowledgeArticle? { positionById[id].map { articles[$0] } }

    /// The articles that answer `intent`, in file order.
    public func articles(for intent: String) -> [KnowledgeArticle] {
        (articlesByIntent[intent] ?? []).map { articles[$0] }
    }

    /// Up to `limit` articles for a conversation, without a search by the agent.
    ///
    /// Intent first: for each likely intent in turn (most probable first, probability at least
    /// ``minimumIntentProbability``) not yet answered by a chosen article, the article that answers
    /// it and best matches the text. Then BM25 over the text fills the remaining places, so that a
    /// conversation the model is unsure about still gets the articles that share its words.
    public func surface(text: String, intents: [IntentScore], limit: Int = 3) -> [SurfacedArticle] {
        guard limit > 0, !articles.isEmpty else { return [] }
        let matches = index.search(text, limit: max(limit, 8) * 2)
        let textScore = Dictionary(matches.map { ($0.document, $0.score) }, uniquingKeysWith: max)
        var chosen: [Int] = []
        var surfaced: [SurfacedArticle] = []
        for (rank, candidate) in intents.enumerated() where surfaced.count < limit {
            guard candidate.probability >= Self.minimumIntentProbability else { break }
            if chosen.contains(where: { articles[$0].intents.contains(candidate.intent) }) { continue }
            guard
                let best = (articlesByIntent[candidate.intent] ?? []).filter({ !chosen.contains($0) })
                    .max(by: { (textScore[$0] ?? 0, -$0) < (textScore[$1] ?? 0, -$1) })
            else { continue }
            chosen.append(best)
            let percent = Int((candidate.probability * 100).rounded())
            let which = rank == 0 ? "the detected intent" : "a possible intent"
            surfaced.append(
                SurfacedArticle(
                    articleId: articles[best].id, title: articles[best].title, source: .intent,
                    score: candidate.probability, intents: articles[best].intents,
                    reason: "Answers \(candidate.intent), \(which) (\(percent)% likely)."))
        }
        for match in matches where surfaced.count < limit && !chosen.contains(match.document) {
            chosen.append(match.document)
            let words = match.matched.prefix(4).map { "\"\($0)\"" }.joined(separator: ", ")
            surfaced.append(
                SurfacedArticle(
                    articleId: articles[match.document].id, title: articles[match.document].title, source: .text,
                    score: match.score, intents: articles[match.document].intents,
                    reason:
                        "Shares the words \(words) with the conversation (BM25 \(String(format: "%.1f", match.score)))."
                ))
        }
        return surfaced
    }
}
