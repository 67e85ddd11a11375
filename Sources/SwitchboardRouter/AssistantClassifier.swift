public import Logging
public import SwitchboardAssist
import SwitchboardServiceKit
public import SwitchboardTopology

/// The router's view of the assistance library: intent, confidence and the product skill of
/// an opening text, classified inline as the conversation is opened by the model of the language
/// the text is written in.
public struct AssistantClassifier: IntentClassifying {
    public let assistant: Assistant

    public init(assistant: Assistant) { self.assistant = assistant }

    /// The classifier of the model the topology names (trained once, then cached).
    public static func load(for topology: Topology, logger: Logger) throws -> AssistantClassifier {
        AssistantClassifier(assistant: try AssistantLoader.assistant(for: topology, logger: logger))
    }

    public func classify(_ text: String) -> DetectedIntent? {
        let prediction = assistant.detectIntentInCustomerLanguage(text, alternatives: 1)
        return DetectedIntent(intent: prediction.intent, confidence: prediction.confidence, skill: prediction.skill)
    }
}
