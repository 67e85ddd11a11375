internal import Foundation

/// Ranks suggested replies for a customer turn: the reply templates of the likely intents and
/// the most relevant sentence of each surfaced article, weighted by the intent's probability and
/// by what agents did with each suggestion before (``ReplyFeedback``).
public struct ReplySuggester: Sendable {
    /// Suggestions offered per customer turn.
    public static let suggestionsMax = 3
    /// Intents less probable than this bring no templates.
    public static let templateProbabilityMin = 0.05
    /// Article sentences rank below a template of the same confidence: templates are written as replies.
    static let articleWeight = 0.6

    public let catalog: IntentCatalog
    public let knowledgeBase: KnowledgeBase
    /// The language of the templates: ids of languages other than English name it
    /// (`template:es:card_arrival:0`), so that feedback tells the languages apart.
    public let language: String

    public init(catalog: IntentCatalog, knowledgeBase: KnowledgeBase, language: String = AssistLanguages.english) {
        self.catalog = catalog
        self.knowledgeBase = knowledgeBase
        self.language = language
    }

    /// Up to `limit` suggestions for the customer's latest text, best first, none of `excluded`;
    /// `repeatPenalty` multiplies the score of suggestions already offered in the conversation.
    public func suggest(
        customerText: String, customerFirstName: String?, prediction: IntentPrediction,
        articles: [SurfacedArticle], feedback: ReplyFeedback, excluded: Set<String>,
        repeatPenalty: [String: Double] = [:], limit: Int = ReplySuggester.suggestionsMax
    ) -> [SuggestedReply] {
        var candidates: [SuggestedReply] = []
        for (rank, scored) in prediction.ranked.prefix(3).enumerated()
        where scored.probability >= Self.templateProbabilityMin {
            guard let profile = catalog.profile(for: scored.intent) else { continue }
            let percent = Int((scored.probability * 100).rounded())
            for (position, template) in profile.replies.enumerated() {
                let id =
                    language == AssistLanguages.english
                    ? "template:\(scored.intent):\(position)" : "template:\(language):\(scored.intent):\(position)"
                let base = scored.probability / (1 + 0.15 * Double(position))
                let which = rank == 0 ? "detected intent" : "possible intent"
                candidates.append(
                    SuggestedReply(
                        id: id, text: Self.fill(template, firstName: customerFirstName), source: .template,
                        score: base,
                        reason: "Reply for \(scored.intent), the \(which) (\(percent)% likely)."))
            }
        }
        let customerTerms = Set(BM25Index.terms(of: customerText))
        for article in articles {
            guard let full = knowledgeBase.article(id: article.articleId),
                let (position, sentence, overlap) = Self.bestSentence(of: full.body, matching: customerTerms)
            else { continue }
            let confidence = article.source == .intent ? article.score : min(1, article.score / 10)
            candidates.append(
                SuggestedReply(
                    id: "article:\(full.id):\(position)", text: sentence, source: .article,
                    score: Self.articleWeight * confidence * (0.5 + 0.5 * overlap),
                    reason:
                        "From the article \u{201C}\(full.title)\u{201D}, the passage closest to the customer's words."))
        }
        var adjusted: [SuggestedReply] = []
        for candidate in candidates where !excluded.contains(candidate.id) {
            var suggestion = candidate
            suggestion.score *=
                feedback.multiplier(for: candidate.id, intent: prediction.intent) * (repeatPenalty[candidate.id] ?? 1)
            if let tally = feedback.tally(for: candidate.id, intent: prediction.intent) {
                suggestion.reason +=
                    " Agents accepted it \(tally.accepted), edited it \(tally.edited) and rejected it "
                    + "\(tally.rejected) times."
            }
            adjusted.append(suggestion)
        }
        adjusted.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        var seenTexts = Set<String>()
        let distinct = adjusted.filter { seenTexts.insert($0.text).inserted }
        return Array(distinct.prefix(max(0, limit)))
    }

    /// Puts the customer's first name into a template, or removes the slot gracefully.
    static func fill(_ template: String, firstName: String?) -> String {
        if let firstName, !firstName.isEmpty {
            return template.replacingOccurrences(of: "{customer}", with: firstName)
        }
        return template.replacingOccurrences(of: ", {customer}", with: "")
            .replacingOccurrences(of: "{customer}, ", with: "")
            .replacingOccurrences(of: " {customer}", with: "")
            .replacingOccurrences(of: "{customer}", with: "")
    }

    /// The sentence of `body` sharing most terms with the customer's text (ties: the earlier one),
    /// with its position and the share of the customer's terms it covers.
    static func bestSentence(of body: String, matching customerTerms: Set<String>) -> (Int, String, Double)? {
        var best: (Int, String, Double)?
        var bestScore = -1.0
        for (position, sentence) in sentences(of: body).enumerated() {
            let terms = Set(BM25Index.terms(of: sentence))
            let shared = Double(terms.intersection(customerTerms).count)
            let overlap = customerTerms.isEmpty ? 0 : shared / Double(customerTerms.count)
            // A slight preference for early sentences: articles lead with the answer.
            let score = shared - 0.05 * Double(position)
            if score > bestScore {
                bestScore = score
                best = (position, sentence, overlap)
            }
        }
        return best
    }

    /// Sentences worth sending on their own: list markers stripped, headings and fragments dropped.
    static func sentences(of body: String) -> [String] {
        var result: [String] = []
        for line in body.split(whereSeparator: \.isNewline) {
            var text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("- ") { text.removeFirst(2) }
            if let first = text.first, first.isNumber, text.dropFirst().hasPrefix(". ") { text.removeFirst(3) }
            var current = ""
            let characters = Array(text)
            for (index, character) in characters.enumerated() {
                current.append(character)
                let atEnd = index == characters.count - 1
                let boundary =
                    ".!?".contains(character)
                    && (atEnd
                        || (characters[index + 1] == " " && index + 2 < characters.count
                            && characters[index + 2].isUppercase))
                if boundary || atEnd {
                    let sentence = current.trimmingCharacters(in: .whitespaces)
                    if sentence.count >= 25 && !sentence.hasSuffix(":") && sentence.first?.isUppercase == true {
                        result.append(sentence.hasSuffix(";") ? String(sentence.dropLast()) + "." : sentence)
                    }
                    current = ""
                }
            }
        }
        return result
    }
}
