public import Foundation

/// An intent with the model's probability for it.
public struct IntentScore: Sendable, Hashable, Codable {
    /// The intent's name, as the training data spells it.
    public var intent: String
    /// The model's probability for this intent, in [0, 1]; the probabilities of all intents sum to 1.
    public var probability: Double

    public init(intent: String, probability: Double) {
        self.intent = intent
        self.probability = probability
    }
}

/// A trained intent classifier: TF-IDF over word and character n-grams with a multinomial
/// logistic regression and, beside it, a small network with one hidden layer on the same
/// features; the two models' probabilities (softmax at ``IntentModelParameters/temperature``)
/// are averaged. Immutable once trained, so one value can be shared by every task.
///
/// Train it with ``train(on:parameters:)``, or at a process start prefer
/// ``IntentModelStore/loadOrTrain(examples:parameters:cachePath:)``, which loads a saved model
/// when its fingerprint matches the training data and parameters.
public struct IntentClassifier: Sendable {
    /// The intents the model knows, in model order (sorted by name).
    public let intents: [String]
    /// The parameters it was trained with.
    public let parameters: IntentModelParameters
    /// Fingerprint of the training data and parameters (see ``fingerprint(of:parameters:)`` and
    /// ``fingerprint(ofTrainingFile:parameters:)``).
    public internal(set) var fingerprint: UInt64
    let vectorizer: TfidfVectorizer
    let scorer: IntentScorer
    /// The second model (see ``IntentModelParameters/companionHiddenUnits``), if any.
    let companion: IntentScorer?

    init(
        intents: [String], parameters: IntentModelParameters, fingerprint: UInt64, vectorizer: TfidfVectorizer,
        scorer: IntentScorer, companion: IntentScorer? = nil
    ) {
        self.intents = intents
        self.parameters = parameters
        self.fingerprint = fingerprint
        self.vectorizer = vectorizer
        self.scorer = scorer
        self.companion = companion
    }

    /// Trains on `examples`; at least two distinct intents are required.
    public static func train(
        on examples: [LabelledExample], parameters: IntentModelParameters = IntentModelParameters()
    ) throws(AssistError) -> IntentClassifier {
        let intents = Array(Set(examples.map(\.intent))).sorted()
        guard intents.count >= 2 else {
            throw .unusableTrainingData(
                reason: "it needs examples of at least two intents, got \(intents.count) "
                    + "from \(examples.count) examples")
        }
        guard parameters.epochs >= 1, parameters.learningRate > 0, parameters.l2 >= 0,
            parameters.charNgramMin >= 1, parameters.charNgramMax >= parameters.charNgramMin,
            (1...2).contains(parameters.wordNgramMax), parameters.hiddenUnits >= 0,
            parameters.companionHiddenUnits >= 0, parameters.companionEpochs >= 1,
            parameters.companionLearningRate > 0, parameters.temperature > 0
        else {
            throw .unusableTrainingData(reason: "the parameters are out of range: \(parameters)")
        }
        let featurizer = TextFeaturizer(
            wordNgramMax: parameters.wordNgramMax, charNgramMin: parameters.charNgramMin,
            charNgramMax: parameters.charNgramMax)
        let vectorizer = TfidfVectorizer.fit(
            texts: examples.map(\.text), featurizer: featurizer,
            minimumDocumentFrequency: parameters.minimumDocumentFrequency,
            charBlockWeight: parameters.charBlockWeight)
        var scratch = TfidfVectorizer.Scratch()
        let vectors = examples.map { vectorizer.vector(of: $0.text, scratch: &scratch) }
        let labelOf = Dictionary(uniqueKeysWithValues: intents.enumerated().map { ($1, $0) })
        let labels = examples.map { labelOf[$0.intent] ?? 0 }
        let scorer: IntentScorer
        if parameters.hiddenUnits > 0 {
            let trainer = HiddenLayerTrainer(
                hiddenCount: parameters.hiddenUnits, epochs: parameters.epochs, learningRate: parameters.learningRate,
                l2: parameters.l2, seed: parameters.seed)
            scorer = .hiddenLayer(
                trainer.train(
                    vectors: vectors, labels: labels, classCount: intents.count,
                    featureCount: vectorizer.featureCount))
        } else {
            let trainer = SoftmaxTrainer(
                epochs: parameters.epochs, learningRate: parameters.learningRate, l2: parameters.l2,
                seed: parameters.seed, hinge: parameters.loss == .hinge, decay: parameters.learningRateDecay)
            scorer = .linear(
                trainer.train(
                    vectors: vectors, labels: labels, classCount: intents.count,
                    featureCount: vectorizer.featureCount))
        }
        var companion: IntentScorer?
        if parameters.companionHiddenUnits > 0 {
            let trainer = HiddenLayerTrainer(
                hiddenCount: parameters.companionHiddenUnits, epochs: parameters.companionEpochs,
                learningRate: parameters.companionLearningRate, l2: parameters.l2, seed: parameters.seed ^ 0xc0)
            companion = .hiddenLayer(
                trainer.train(
                    vectors: vectors, labels: labels, classCount: intents.count,
                    featureCount: vectorizer.featureCount))
        }
        return IntentClassifier(
            intents: intents, parameters: parameters,
            fingerprint: fingerprint(of: examples, parameters: parameters), vectorizer: vectorizer, scorer: scorer,
            companion: companion)
    }

    /// The `limit` most probable intents for `text`, most probable first.
    public func rank(_ text: String, limit: Int = 3) -> [IntentScore] {
        let probabilities = probabilities(of: text)
        let count = max(0, min(limit, intents.count))
        var chosen: [Int] = []
        chosen.reserveCapacity(count)
        // A partial selection: `limit` is small, so this beats sorting all the classes.
        for _ in 0..<count {
            var best = -1
            for klass in probabilities.indices where !chosen.contains(klass) {
                if best < 0 || probabilities[klass] > probabilities[best] { best = klass }
            }
            chosen.append(best)
        }
        return chosen.map { IntentScore(intent: intents[$0], probability: Double(probabilities[$0])) }
    }

    /// The most probable intent for `text`.
    public func classify(_ text: String) -> IntentScore {
        rank(text, limit: 1).first ?? IntentScore(intent: intents[0], probability: 0)
    }

    /// The probability of every intent, in the order of ``intents``.
    public func probabilities(of text: String) -> [Float] {
        let vector = vectorizer.vector(of: text)
        var scores: [Float] = []
        scorer.scores(of: vector, into: &scores)
        soften(&scores)
        if let companion {
            var second: [Float] = []
            companion.scores(of: vector, into: &second)
            soften(&second)
            for index in scores.indices { scores[index] = (scores[index] + second[index]) / 2 }
        }
        return scores
    }

    /// Softmax of the scores divided by the temperature.
    private func soften(_ scores: inout [Float]) {
        if parameters.temperature != 1 {
            let inverse = 1 / parameters.temperature
            for index in scores.indices { scores[index] *= inverse }
        }
        LinearModel.softmax(&scores)
    }

    /// Number of features (distinct terms) the model weighs.
    public var featureCount: Int { vectorizer.featureCount }

    /// A 64-bit fingerprint of the examples (text and intent, in order), the parameters and the
    /// model format, so that a saved model trained on anything else is never mistaken for current.
    public static func fingerprint(of examples: [LabelledExample], parameters: IntentModelParameters) -> UInt64 {
        var hash = parametersHash(parameters)
        hash.combine(UInt64(examples.count))
        for example in examples {
            hash.combine(example.text)
            hash.combine(example.intent)
        }
        return hash.value
    }

    /// A 64-bit fingerprint of a training file's bytes, the parameters and the model format: what
    /// a process checks at start before loading a saved model, without parsing the file.
    public static func fingerprint(ofTrainingFile bytes: Data, parameters: IntentModelParameters) -> UInt64 {
        var hash = parametersHash(parameters)
        hash.combine("file")
        hash.combine(bytes)
        return hash.value
    }

    private static func parametersHash(_ parameters: IntentModelParameters) -> StableHash {
        var hash = StableHash()
        hash.combine(UInt64(IntentModelStore.formatVersion))
        hash.combine(UInt64(parameters.wordNgramMax))
        hash.combine(UInt64(parameters.charNgramMin))
        hash.combine(UInt64(parameters.charNgramMax))
        hash.combine(UInt64(parameters.charBlockWeight.bitPattern))
        hash.combine(UInt64(parameters.minimumDocumentFrequency))
        hash.combine(UInt64(parameters.epochs))
        hash.combine(UInt64(parameters.learningRate.bitPattern))
        hash.combine(UInt64(parameters.l2.bitPattern))
        hash.combine(parameters.seed)
        hash.combine(parameters.loss.rawValue)
        hash.combine(UInt64(parameters.hiddenUnits))
        hash.combine(UInt64(parameters.learningRateDecay.bitPattern))
        hash.combine(UInt64(parameters.companionHiddenUnits))
        hash.combine(UInt64(parameters.companionEpochs))
        hash.combine(UInt64(parameters.companionLearningRate.bitPattern))
        hash.combine(UInt64(parameters.temperature.bitPattern))
        return hash
    }
}

/// FNV-1a over bytes: a hash that is the same in every process (unlike `Hasher`).
struct StableHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ number: UInt64) {
        var remaining = number
        for _ in 0..<8 {
            combineByte(UInt8(truncatingIfNeeded: remaining))
            remaining >>= 8
        }
    }

    mutating func combine(_ text: String) {
        for byte in text.utf8 { combineByte(byte) }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        combineByte(0xff)
    }

    mutating func combine(_ bytes: Data) {
        // Eight bytes at a time: a training file is hashed at every process start.
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                value = (value ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x0000_0100_0000_01b3
                value ^= value >> 29
                offset += 8
            }
            while offset < raw.count {
                combineByte(raw[offset])
                offset += 1
            }
        }
        combine(UInt64(bytes.count))
    }

    private mutating func combineByte(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
}
