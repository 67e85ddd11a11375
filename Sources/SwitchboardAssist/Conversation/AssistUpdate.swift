/// What changed in a conversation's assistance after one input: each field is set only when its
/// value changed, so the summariser publishes one `assist.*` event per non-nil field.
public struct AssistUpdate: Sendable, Hashable, Codable {
    /// `assist.<conversation>.intent`: the conversation's detected intent changed.
    public var intent: IntentPrediction?
    /// `assist.<conversation>.summary`: the one-sentence summary changed.
    public var summary: String?
    /// `assist.<conversation>.suggestions`: the suggested replies changed (possibly to none).
    public var suggestions: [SuggestedReply]?
    /// `assist.<conversation>.knowledge`: the surfaced articles changed.
    public var knowledge: [SurfacedArticle]?
    /// `assist.<conversation>.case`: the structured case summary changed.
    public var caseSummary: CaseSummary?
    /// The customer's language changed (BCP 47 primary tag); it travels with the summary.
    public var language: String?
    /// The conversation was just transferred or escalated: show the summary to whoever takes it.
    public var handoff: Bool

    public init(
        intent: IntentPrediction? = nil, summary: String? = nil, suggestions: [SuggestedReply]? = nil,
        knowledge: [SurfacedArticle]? = nil, caseSummary: CaseSummary? = nil, handoff: Bool = false
    ) {
        self.intent = intent
        self.summary = summary
        self.suggestions = suggestions
        self.knowledge = knowledge
        self.caseSummary = caseSummary
        self.handoff = handoff
    }

    /// Whether nothing changed.
    public var isEmpty: Bool {
        intent == nil && summary == nil && suggestions == nil && knowledge == nil && caseSummary == nil && !handoff
            && language == nil
    }
}
