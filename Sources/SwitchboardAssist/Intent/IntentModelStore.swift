internal import Foundation

/// Saves a trained ``IntentClassifier`` to a file and loads it back in milliseconds, so that a
/// process that restarts (the router after a crash) does not retrain.
///
/// The file holds a fingerprint of the training data and parameters; ``loadOrTrain(examples:parameters:cachePath:)``
/// loads only a file whose fingerprint matches, and retrains and rewrites a stale one.
/// Layout (little-endian): magic `SBINTENT`, format version (UInt32), fingerprint (UInt64),
/// header length (UInt32) and a JSON header (parameters, intents, counts), then the feature terms
/// (UInt64 each), inverse document frequencies, then the weights and biases (Float32 each) of the
/// linear model, or of the hidden and output layers of the network.
public enum IntentModelStore {
    /// Bumped whenever the featurizer, the trainer or the layout changes meaning.
    public static let formatVersion: UInt32 = 3
    private static let magic = Array("SBINTENT".utf8)

    /// Where a classifier came from.
    public enum Origin: Sendable, Equatable {
        /// Loaded from the cache file.
        case loaded
        /// Trained now; `saveError` says why the cache could not be written, if it could not.
        case trained(reason: String, saveError: AssistError?)
    }

    private struct Header: Codable {
        var parameters: IntentModelParameters
        var intents: [String]
        var featureCount: Int
        var wordFeatureCount: Int
    }

    /// Loads the model at `cachePath` when it matches `examples` and `parameters`; otherwise trains,
    /// then saves to `cachePath` (atomically) for next time. A failure to save is reported in the
    /// origin, not thrown: the trained classifier is still good.
    public static func loadOrTrain(
        examples: [LabelledExample], parameters: IntentModelParameters = IntentModelParameters(),
        cachePath: String?
    ) throws(AssistError) -> (classifier: IntentClassifier, origin: Origin) {
        let expected = IntentClassifier.fingerprint(of: examples, parameters: parameters)
        var reason = "no cache file configured"
        if let cachePath {
            if FileManager.default.fileExists(atPath: cachePath) {
                do {
                    let classifier = try load(path: cachePath)
                    if classifier.fingerprint == expected { return (classifier, .loaded) }
                    reason = "the cache was trained on other data or parameters"
                } catch {
                    reason = error.description
                }
            } else {
                reason = "no cache file yet"
            }
        }
        let classifier = try IntentClassifier.train(on: examples, parameters: parameters)
        var saveError: AssistError?
        if let cachePath {
            do { try save(classifier, path: cachePath) } catch { saveError = error }
        }
        return (classifier, .trained(reason: reason, saveError: saveError))
    }

    /// Loads the model at `cachePath` when it was trained on the file at `trainingDataPath` (same
    /// bytes) with `parameters`; otherwise parses the file, trains and saves. The fast path reads and
    /// hashes the file but never parses it: this is what a process calls at start.
    public static func loadOrTrain(
        trainingDataPath: String, parameters: IntentModelParameters = IntentModelParameters(), cachePath: String?
    ) throws(AssistError) -> (classifier: IntentClassifier, origin: Origin, trainingRows: Int?) {
        let bytes = try readFile(trainingDataPath)
        let expected = IntentClassifier.fingerprint(ofTrainingFile: bytes, parameters: parameters)
        var reason = "no cache file configured"
        if let cachePath {
            reason = "no cache file yet"
            if FileManager.default.fileExists(atPath: cachePath) {
                do {
                    let classifier = try load(path: cachePath)
                    if classifier.fingerprint == expected { return (classifier, .loaded, nil) }
                    reason = "the cache was trained on other data or parameters"
                } catch {
                    reason = error.description
                }
            }
        }
        let dataset = try LabelledDataset.parse(csv: bytes, source: trainingDataPath)
        var classifier = try IntentClassifier.train(on: dataset.examples, parameters: parameters)
        classifier.fingerprint = expected
        var saveError: AssistError?
        if let cachePath {
            do { try save(classifier, path: cachePath) } catch { saveError = error }
        }
        return (classifier, .trained(reason: reason, saveError: saveError), dataset.examples.count)
    }

    /// Writes `classifier` to `path`, replacing any file there in one step.
    public static func save(_ classifier: IntentClassifier, path: String) throws(AssistError) {
        var data = Data()
        data.append(contentsOf: magic)
        append(formatVersion, to: &data)
        append(classifier.fingerprint, to: &data)
        let header = Header(
            parameters: classifier.parameters, intents: classifier.intents,
            featureCount: classifier.vectorizer.featureCount,
            wordFeatureCount: classifier.vectorizer.wordFeatureCount)
        let headerBytes: Data
        do {
            headerBytes = try JSONEncoder().encode(header)
        } catch {
            throw .unwritableFile(path: path, reason: "cannot encode the header: \(error)")
        }
        append(UInt32(headerBytes.count), to: &data)
        data.append(headerBytes)
        appendArray(classifier.vectorizer.terms, to: &data)
        appendArray(classifier.vectorizer.inverseDocumentFrequency, to: &data)
        for scorer in [classifier.scorer] + (classifier.companion.map { [$0] } ?? []) {
            switch scorer {
            case .linear(let model):
                appendArray(model.weights, to: &data)
                appendArray(model.bias, to: &data)
            case .hiddenLayer(let model):
                appendArray(model.inputWeights, to: &data)
                appendArray(model.hiddenBias, to: &data)
                appendArray(model.outputWeights, to: &data)
                appendArray(model.outputBias, to: &data)
            }
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritableFile(path: path, reason: error.localizedDescription)
        }
    }

    /// Reads a classifier saved by ``save(_:path:)``.
    public static func load(path: String) throws(AssistError) -> IntentClassifier {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        var reader = ByteReader(data: data)
        guard reader.bytes(magic.count).map(Array.init) == magic else {
            throw .staleModel(path: path, reason: "it is not a Switchboard intent model")
        }
        guard let version: UInt32 = reader.scalar(), version == formatVersion else {
            throw .staleModel(path: path, reason: "it was written by another model format version")
        }
        guard let fingerprint: UInt64 = reader.scalar(), let headerLength: UInt32 = reader.scalar(),
            let headerBytes = reader.bytes(Int(headerLength)),
            let header = try? JSONDecoder().decode(Header.self, from: headerBytes)
        else {
            throw .staleModel(path: path, reason: "its header is truncated or unreadable")
        }
        let classCount = header.intents.count
        let featureCount = header.featureCount
        let units = header.parameters.hiddenUnits
        guard classCount >= 2, featureCount >= 0, header.wordFeatureCount <= featureCount, units >= 0,
            let terms: [UInt64] = reader.array(count: featureCount),
            let idf: [Float] = reader.array(count: featureCount)
        else {
            throw .staleModel(path: path, reason: "its size does not match its header (truncated or corrupt)")
        }
        let corrupt = AssistError.staleModel(
            path: path, reason: "its size does not match its header (truncated or corrupt)")
        guard let scorer = readScorer(&reader, hiddenUnits: units, classCount: classCount, featureCount: featureCount)
        else { throw corrupt }
        var companion: IntentScorer?
        let companionUnits = header.parameters.companionHiddenUnits
        if companionUnits > 0 {
            companion = readScorer(
                &reader, hiddenUnits: companionUnits, classCount: classCount, featureCount: featureCount)
            guard companion != nil else { throw corrupt }
        }
        guard reader.isAtEnd else { throw corrupt }
        let parameters = header.parameters
        let featurizer = TextFeaturizer(
            wordNgramMax: parameters.wordNgramMax, charNgramMin: parameters.charNgramMin,
            charNgramMax: parameters.charNgramMax)
        let vectorizer = TfidfVectorizer(
            featurizer: featurizer, terms: terms, wordFeatureCount: header.wordFeatureCount,
            inverseDocumentFrequency: idf, charBlockWeight: parameters.charBlockWeight)
        return IntentClassifier(
            intents: header.intents, parameters: parameters, fingerprint: fingerprint, vectorizer: vectorizer,
            scorer: scorer, companion: companion)
    }

    /// Reads one model's weights: linear when `hiddenUnits` is 0, else with a hidden layer; nil
    /// when the file ends first.
    private static func readScorer(
        _ reader: inout ByteReader, hiddenUnits units: Int, classCount: Int, featureCount: Int
    ) -> IntentScorer? {
        if units == 0 {
            guard let weights: [Float] = reader.array(count: featureCount * classCount),
                let bias: [Float] = reader.array(count: classCount)
            else { return nil }
            return .linear(
                LinearModel(classCount: classCount, featureCount: featureCount, weights: weights, bias: bias))
        }
        guard let inputWeights: [Float] = reader.array(count: featureCount * units),
            let hiddenBias: [Float] = reader.array(count: units),
            let outputWeights: [Float] = reader.array(count: units * classCount),
            let outputBias: [Float] = reader.array(count: classCount)
        else { return nil }
        return .hiddenLayer(
            HiddenLayerModel(
                classCount: classCount, featureCount: featureCount, hiddenCount: units, inputWeights: inputWeights,
                hiddenBias: hiddenBias, outputWeights: outputWeights, outputBias: outputBias))
    }

    private static func append<Scalar: FixedWidthInteger>(_ value: Scalar, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    // Arrays are written as raw memory: every platform Swift runs on is little-endian, and the
    // magic and version checks refuse anything else that might come along.
    private static func appendArray<Element: BitwiseCopyable>(_ values: [Element], to data: inout Data) {
        values.withUnsafeBytes { data.append(contentsOf: $0) }
    }
}

/// Reads fixed-width values from a byte buffer, returning nil instead of reading past the end.
private struct ByteReader {
    let data: Data
    var offset: Int

    init(data: Data) {
        self.data = data
        self.offset = data.startIndex
    }

    var isAtEnd: Bool { offset == data.endIndex }

    mutating func bytes(_ count: Int) -> Data? {
        guard count >= 0, data.endIndex - offset >= count else { return nil }
        defer { offset += count }
        return data[offset..<offset + count]
    }

    mutating func scalar<Scalar: FixedWidthInteger>() -> Scalar? {
        guard let slice = bytes(MemoryLayout<Scalar>.size) else { return nil }
        var value: Scalar = 0
        _ = withUnsafeMutableBytes(of: &value) { slice.copyBytes(to: $0) }
        return Scalar(littleEndian: value)
    }

    mutating func array<Element: BitwiseCopyable>(count: Int) -> [Element]? {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        guard !overflow, let slice = bytes(byteCount) else { return nil }
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialised in
            slice.copyBytes(to: UnsafeMutableRawBufferPointer(buffer))
            initialised = count
        }
    }
}
