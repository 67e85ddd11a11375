/// A reply the agent may send, accept, edit or reject.
public struct SuggestedReply: Sendable, Hashable, Codable, Identifiable {
    /// Where a suggestion came from.
    public enum Source: String, Sendable, Hashable, Codable {
        /// A reply template of the detected intent (``IntentProfile/replies``).
        case template
        /// A sentence of a surfaced knowledge article.
        case article
        /// A remote backend (see ``AssistBackend``).
        case backend
    }

    /// Stable identity of the suggestion across conversations (`template:card_arrival:0`; other
    /// languages name theirs, `template:es:card_arrival:0`;
    /// `article:kb-card-delivery:2`), the key of feedback.
    public var id: String
    public var text: String
    public var source: Source
    /// Ranking score after feedback; higher first.
    public var score: Double
    /// One short sentence for the agent: why this suggestion is here.
    public var reason: String

    public init(id: String, text: String, source: Source, score: Double, reason: String) {
        self.id = id
        self.text = text
        self.source = source
        self.score = score
        self.reason = reason
    }
}
