import ArgumentParser
import Foundation
import SwitchboardAssist

/// `switchboard assist`: the assistance library from the command line (intent, knowledge, replies).
struct AssistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assist",
        abstract: "Evaluate and try the assistance library: intent detection, knowledge articles, suggested replies.",
        discussion: """
            The library trains its intent model at start from a CSV of text,intent (the shipped \
            example set unless --train or --data names another, such as BANKING77's train.csv).
            """,
        subcommands: [AssistEvalCommand.self, AssistTryCommand.self, AssistClassifyCommand.self]
    )
}

/// Options every assist subcommand shares: which files to read.
struct AssistFileOptions: ParsableArguments {
    @Option(name: .long, help: "Knowledge base JSON (default: the shipped one).")
    var knowledge: String?

    @Option(name: .long, help: "Intent catalogue JSON: skills and reply templates (default: the shipped one).")
    var catalog: String?

    @Option(name: .long, help: "Folder of the shipped assistance files, if it is not found by itself.")
    var resources: String?
}

/// Options of the commands that train (or load) a model before answering.
struct AssistTrainingOptions: ParsableArguments {
    @Option(name: .long, help: "CSV of text,intent to train on (default: the shipped example set).")
    var train: String?

    @Option(name: .long, help: "Model file: loaded when it matches the training data, else written after training.")
    var modelCache: String?

    @OptionGroup var files: AssistFileOptions
    @OptionGroup var model: AssistModelOptions

    /// Loads the assistant and reports on standard error how the model was obtained.
    func loadAssistant() throws -> Assistant {
        let configuration = AssistConfiguration(
            trainingDataPath: train, knowledgeBasePath: files.knowledge, intentCatalogPath: files.catalog,
            resourcesFolder: files.resources, modelCachePath: modelCache, parameters: model.parameters)
        let clock = ContinuousClock()
        let start = clock.now
        let loaded = try Assistant.load(configuration)
        let elapsed = start.duration(to: clock.now)
        let how: String
        switch loaded.modelOrigin {
        case .loaded: how = "loaded the model from \(modelCache ?? "")"
        case .trained(let reason, let saveError):
            how = "trained the model (\(reason))" + (saveError.map { "; not saved: \($0)" } ?? "")
        }
        let rows = loaded.trainingRows.map { " (\($0) rows)" } ?? ""
        let line = "assist: \(how) for \(loaded.trainingDataPath)\(rows) in \(elapsed)\n"
        FileHandle.standardError.write(Data(line.utf8))
        return loaded.assistant
    }
}
