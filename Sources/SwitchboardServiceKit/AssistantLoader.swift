import Foundation
public import Logging
public import SwitchboardAssist
public import SwitchboardTopology

/// Loads the assistance library for a service: the training data the topology names (the
/// shipped example set by default), with the trained model cached in the data directory so
/// that a restarted process loads it instead of training again.
public enum AssistantLoader {
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
                "languages": "\(loaded.languageOrigins.joined(separator: "; "))",
            ])
        return loaded.assistant
    }
}
