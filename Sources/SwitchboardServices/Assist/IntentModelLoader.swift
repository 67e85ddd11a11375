import Foundation
public import Logging
public import SwitchboardAssist
public import SwitchboardTopology

/// Loads the assistance library for a service: the training data the topology names (the
/// shipped example set by default), with the trained model cached in the data directory so
/// that a restarted process loads it instead of training again.
public enum IntentModelLoader {
    public static func assistant(for topology: Topology, logger: Logger) throws -> Assistant {
        var configuration = AssistConfiguration()
        configuration.trainingDataPath = topology.assist.trainingData
        configuration.modelCachePath = "\(topology.dataDirectory)/assist/intent-model.bin"
        try? FileManager.default.createDirectory(
            atPath: "\(topology.dataDirectory)/assist", withIntermediateDirectories: true)
        let loaded = try Assistant.load(configuration)
        logger.info(
            "intent model ready",
            metadata: [
                "training": "\(loaded.trainingDataPath)", "origin": "\(loaded.modelOrigin)",
                "intents": "\(loaded.assistant.classifier.intents.count)",
            ])
        return loaded.assistant
    }

    /// The router's view of it: intent, confidence and the product skill for an opening text.
    public static func classifier(for topology: Topology, logger: Logger) throws -> any IntentClassifying {
        AssistantClassifier(assistant: try assistant(for: topology, logger: logger))
    }
}

struct AssistantClassifier: IntentClassifying {
    let assistant: Assistant

    func classify(_ text: String) -> DetectedIntent? {
        let prediction = assistant.detectIntent(text, alternatives: 1)
        return DetectedIntent(intent: prediction.intent, confidence: prediction.confidence, skill: prediction.skill)
    }
}
