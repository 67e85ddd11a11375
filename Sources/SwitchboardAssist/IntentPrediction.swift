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

    /// The confidence at and above which the intent is taken as known; below it the model is not
    /// sure, and the latest turn's intent does not choose the suggested replies (the conversation's
    /// does). `switchboard assist eval` reports the accuracy above it and the share of messages it covers.
    public static let confidenceThreshold = 0.5

    /// Whether ``confidence`` reaches ``confidenceThreshold``.
    public var isConfident: Bool { confidence >= Self.confidenceThreshold }

    public init(intent: String, confidence: Double, skill: String, ranked: [IntentScore]) {
        self.intent = intent
        self.confidence = confidence
        self.skill = skill
        self.ranked = ranked
    }
}
