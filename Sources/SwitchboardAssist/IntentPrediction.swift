/// The detected intent of a text, with the product skill it implies.
public struct IntentPrediction: Sendable, Hashable, Codable {
    /// The most probable intent.
    public var intent: String
    /// The model's probability for it, in [0, 1].
    public var confidence: Double
    /// The product skill the intent implies (see ``IntentCatalog/skill(for:)``).
    public var skill: String
    /// The most probable intents, best first (the first is ``intent``).
    public var ranked: [IntentScore]

    public init(intent: String, confidence: Double, skill: String, ranked: [IntentScore]) {
        self.intent = intent
        self.confidence = confidence
        self.skill = skill
        self.ranked = ranked
    }
}
