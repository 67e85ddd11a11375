import Foundation
import Testing

@testable import SwitchboardAssist

@Suite("Saved intent models")
struct IntentModelStoreTests {
    static let parameters = IntentModelParameters(epochs: 4)

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("assist-\(UUID().uuidString)-\(name)").path
    }

    @Test("a saved model loads back with the same intents, fingerprint and probabilities")
    func roundTrip() throws {
        let examples = try Fixtures.shippedExamples().examples
        let trained = try IntentClassifier.train(on: examples, parameters: Self.parameters)
        let path = temporaryPath("model")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try IntentModelStore.save(trained, path: path)
        let loaded = try IntentModelStore.load(path: path)
        #expect(loaded.intents == trained.intents)
        #expect(loaded.fingerprint == trained.fingerprint)
        #expect(loaded.parameters == trained.parameters)
        for text in ["where is my card", "exchange rate for dollars", "cancel my transfer"] {
            #expect(loaded.probabilities(of: text) == trained.probabilities(of: text))
        }
    }

    @Test("a model with a second, hidden-layer model and a temperature loads back with the same probabilities")
    func roundTripWithCompanion() throws {
        let examples = try Fixtures.shippedExamples().examples
        let parameters = IntentModelParameters(
            epochs: 3, companionHiddenUnits: 16, companionEpochs: 2, temperature: 0.8)
        let trained = try IntentClassifier.train(on: examples, parameters: parameters)
        let path = temporaryPath("model-companion")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try IntentModelStore.save(trained, path: path)
        let loaded = try IntentModelStore.load(path: path)
        #expect(loaded.parameters == parameters)
        #expect(loaded.companion != nil)
        for text in ["where is my card", "exchange rate for dollars", "cancel my transfer"] {
            #expect(loaded.probabilities(of: text) == trained.probabilities(of: text))
        }
        // Cut short, the second model is missing: refused as corrupt rather than read as garbage.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 4).write(to: URL(fileURLWithPath: path))
        #expect(throws: AssistError.self) { try IntentModelStore.load(path: path) }
    }

    @Test("loadOrTrain trains and saves first, loads next, retrains when the data changes")
    func loadOrTrain() throws {
        let examples = try Fixtures.shippedExamples().examples
        let path = temporaryPath("cache")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try IntentModelStore.loadOrTrain(examples: examples, parameters: Self.parameters, cachePath: path)
        guard case .trained(_, nil) = first.origin else {
            Issue.record("expected a fresh training that saved, got \(first.origin)")
            return
        }
        let second = try IntentModelStore.loadOrTrain(examples: examples, parameters: Self.parameters, cachePath: path)
        #expect(second.origin == .loaded)
        #expect(second.classifier.fingerprint == first.classifier.fingerprint)
        let fewer = Array(examples.dropLast())
        let third = try IntentModelStore.loadOrTrain(examples: fewer, parameters: Self.parameters, cachePath: path)
        #expect(third.origin != .loaded)
        #expect(third.classifier.fingerprint == IntentClassifier.fingerprint(of: fewer, parameters: Self.parameters))
    }

    @Test("at start, a cache trained on the same file bytes loads without parsing; an edited file retrains")
    func loadOrTrainFromFile() throws {
        let resources = try Fixtures.resources.get()
        let csv = try Data(contentsOf: URL(fileURLWithPath: resources.path(of: AssistResources.examplesFileName)))
        let dataPath = temporaryPath("train.csv")
        let cachePath = temporaryPath("file-cache")
        defer {
            try? FileManager.default.removeItem(atPath: dataPath)
            try? FileManager.default.removeItem(atPath: cachePath)
        }
        try csv.write(to: URL(fileURLWithPath: dataPath))
        let rows = try LabelledDataset.parse(csv: csv).examples.count
        let first = try IntentModelStore.loadOrTrain(
            trainingDataPath: dataPath, parameters: Self.parameters, cachePath: cachePath)
        #expect(first.origin != .loaded)
        #expect(first.trainingRows == rows)
        let second = try IntentModelStore.loadOrTrain(
            trainingDataPath: dataPath, parameters: Self.parameters, cachePath: cachePath)
        #expect(second.origin == .loaded)
        #expect(second.trainingRows == nil)
        #expect(second.classifier.probabilities(of: "lost card") == first.classifier.probabilities(of: "lost card"))
        try (csv + Data("Where is the nearest branch?,country_support\n".utf8)).write(
            to: URL(fileURLWithPath: dataPath))
        let third = try IntentModelStore.loadOrTrain(
            trainingDataPath: dataPath, parameters: Self.parameters, cachePath: cachePath)
        #expect(third.origin != .loaded)
        #expect(third.trainingRows == rows + 1)
    }

    @Test("a truncated or foreign file is refused as stale, and loadOrTrain retrains over it")
    func corruptFiles() throws {
        let examples = try Fixtures.shippedExamples().examples
        let path = temporaryPath("corrupt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try IntentModelStore.save(try IntentClassifier.train(on: examples, parameters: Self.parameters), path: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 7).write(to: URL(fileURLWithPath: path))
        #expect(throws: AssistError.self) { try IntentModelStore.load(path: path) }
        try Data("not a model at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: AssistError.self) { try IntentModelStore.load(path: path) }
        let recovered = try IntentModelStore.loadOrTrain(
            examples: examples, parameters: Self.parameters, cachePath: path)
        #expect(recovered.origin != .loaded)
        #expect(try IntentModelStore.load(path: path).fingerprint == recovered.classifier.fingerprint)
    }

    @Test("an unwritable cache path is reported, and the trained model is still returned")
    func unwritableCache() throws {
        let examples = try Fixtures.shippedExamples().examples
        let result = try IntentModelStore.loadOrTrain(
            examples: examples, parameters: Self.parameters, cachePath: "/nonexistent-folder/model.bin")
        guard case .trained(_, let saveError?) = result.origin else {
            Issue.record("expected a save error, got \(result.origin)")
            return
        }
        #expect(saveError.description.contains("/nonexistent-folder/model.bin"))
        #expect(result.classifier.intents.count == 77)
    }
}
