internal import SwitchboardRouting

/// What a k-fold cross-validation measured: the figures `switchboard assist eval` prints.
public struct CrossValidationReport: Sendable, Hashable, Codable {
    /// Share of held-out messages whose most probable intent was right.
    public var intentAccuracy: Double
    /// Macro-averaged F1 over intents.
    public var macroF1: Double
    /// Share of held-out messages whose true intent was among the three most probable.
    public var top3IntentAccuracy: Double
    /// The confidence below which the model is not sure (``IntentPrediction/confidenceThreshold``).
    public var confidenceThreshold: Double
    /// Share of held-out messages whose most probable intent was at least that confident: the
    /// messages for which agents see an intent the model is sure of.
    public var coverageAboveThreshold: Double
    /// Intent accuracy over those messages alone.
    public var accuracyAboveThreshold: Double
    /// Expected calibration error of the confidence (see ``ClassificationMetrics/calibrationError``).
    public var calibrationError: Double
    /// Share of held-out messages whose three surfaced articles include one answering the true
    /// intent; nil when no knowledge base was given.
    public var articleHitRateAt3: Double?
    /// Mean time to classify one message (vectorise and score), in microseconds.
    public var classificationMicrosecondsPerMessage: Double
    /// Mean training time of one fold, in seconds.
    public var trainingSecondsPerFold: Double
    public var folds: Int
    /// Examples used (after `limit`).
    public var rows: Int
    public var intents: Int
    /// Mean number of features of the fold models.
    public var features: Int
}

/// Stratified k-fold cross-validation of the intent model, with the knowledge base's hit rate.
public enum CrossValidation {
    /// Trains on k-1 folds and tests on the remaining one, k times, and pools the results.
    ///
    /// `limit` keeps a stratified, seeded subset of that many examples first (for quick runs in
    /// tests). The clock only measures; it never changes a result.
    public static func run<MeasuringClock: Clock<Duration>>(
        examples allExamples: [LabelledExample], foldCount: Int = 5, limit: Int? = nil,
        parameters: IntentModelParameters = IntentModelParameters(), seed: UInt64 = 7,
        knowledgeBase: KnowledgeBase? = nil, clock: MeasuringClock = ContinuousClock()
    ) throws(AssistError) -> CrossValidationReport {
        guard foldCount >= 2 else {
            throw .unusableTrainingData(reason: "cross-validation needs at least 2 folds, got \(foldCount)")
        }
        let examples = subset(allExamples, limit: limit, seed: seed)
        guard examples.count >= foldCount else {
            throw .unusableTrainingData(
                reason: "\(examples.count) examples cannot be split into \(foldCount) folds")
        }
        let folds = StratifiedFolds(labels: examples.map(\.intent), foldCount: foldCount, seed: seed).folds
        var metrics = ClassificationMetrics()
        var articleHits = 0
        var classifyingTime = Duration.zero
        var trainingTime = Duration.zero
        var featureTotal = 0
        for heldOut in folds {
            let heldOutSet = Set(heldOut)
            let training = examples.indices.filter { !heldOutSet.contains($0) }.map { examples[$0] }
            let trainingStart = clock.now
            let classifier = try IntentClassifier.train(on: training, parameters: parameters)
            trainingTime += trainingStart.duration(to: clock.now)
            featureTotal += classifier.featureCount
            var rankings: [[IntentScore]] = []
            rankings.reserveCapacity(heldOut.count)
            let classifyingStart = clock.now
            for index in heldOut { rankings.append(classifier.rank(examples[index].text, limit: 5)) }
            classifyingTime += classifyingStart.duration(to: clock.now)
            for (index, ranking) in zip(heldOut, rankings) {
                let actual = examples[index].intent
                metrics.record(actual: actual, ranking: ranking)
                if let knowledgeBase {
                    let surfaced = knowledgeBase.surface(text: examples[index].text, intents: ranking, limit: 3)
                    if surfaced.contains(where: { $0.intents.contains(actual) }) { articleHits += 1 }
                }
            }
        }
        let tested = Double(max(1, metrics.count))
        return report(
            metrics, articleHitRateAt3: knowledgeBase == nil ? nil : Double(articleHits) / tested,
            classificationMicrosecondsPerMessage: microseconds(classifyingTime) / tested,
            trainingSecondsPerFold: microseconds(trainingTime) / 1e6 / Double(foldCount),
            folds: foldCount, rows: examples.count, intents: Set(examples.map(\.intent)).count,
            features: featureTotal / foldCount)
    }

    /// Trains once on `training` and tests on `test` (for instance the shipped example set against
    /// BANKING77): the same figures as a cross-validation, with `folds` 1.
    public static func holdOut<MeasuringClock: Clock<Duration>>(
        training: [LabelledExample], test: [LabelledExample],
        parameters: IntentModelParameters = IntentModelParameters(),
        knowledgeBase: KnowledgeBase? = nil, clock: MeasuringClock = ContinuousClock()
    ) throws(AssistError) -> CrossValidationReport {
        let trainingStart = clock.now
        let classifier = try IntentClassifier.train(on: training, parameters: parameters)
        let trainingTime = trainingStart.duration(to: clock.now)
        var metrics = ClassificationMetrics()
        var articleHits = 0
        let classifyingStart = clock.now
        let rankings = test.map { classifier.rank($0.text, limit: 5) }
        let classifyingTime = classifyingStart.duration(to: clock.now)
        for (example, ranking) in zip(test, rankings) {
            metrics.record(actual: example.intent, ranking: ranking)
            if let knowledgeBase,
                knowledgeBase.surface(text: example.text, intents: ranking, limit: 3)
                    .contains(where: { $0.intents.contains(example.intent) })
            {
                articleHits += 1
            }
        }
        let tested = Double(max(1, test.count))
        return report(
            metrics, articleHitRateAt3: knowledgeBase == nil ? nil : Double(articleHits) / tested,
            classificationMicrosecondsPerMessage: microseconds(classifyingTime) / tested,
            trainingSecondsPerFold: microseconds(trainingTime) / 1e6, folds: 1, rows: training.count + test.count,
            intents: Set(training.map(\.intent)).count, features: classifier.featureCount)
    }

    private static func report(
        _ metrics: ClassificationMetrics, articleHitRateAt3: Double?, classificationMicrosecondsPerMessage: Double,
        trainingSecondsPerFold: Double, folds: Int, rows: Int, intents: Int, features: Int
    ) -> CrossValidationReport {
        CrossValidationReport(
            intentAccuracy: metrics.accuracy, macroF1: metrics.macroF1, top3IntentAccuracy: metrics.top3Accuracy,
            confidenceThreshold: metrics.confidenceThreshold, coverageAboveThreshold: metrics.coverageAboveThreshold,
            accuracyAboveThreshold: metrics.accuracyAboveThreshold, calibrationError: metrics.calibrationError,
            articleHitRateAt3: articleHitRateAt3,
            classificationMicrosecondsPerMessage: classificationMicrosecondsPerMessage,
            trainingSecondsPerFold: trainingSecondsPerFold, folds: folds, rows: rows, intents: intents,
            features: features)
    }

    /// A stratified, seeded subset of `limit` examples (all of them when `limit` is nil or larger):
    /// each intent keeps its share, rounded by largest remainder, and at least one example.
    static func subset(_ examples: [LabelledExample], limit: Int?, seed: UInt64) -> [LabelledExample] {
        guard let limit, limit < examples.count, limit > 0 else { return examples }
        var byIntent: [String: [Int]] = [:]
        for (index, example) in examples.enumerated() { byIntent[example.intent, default: []].append(index) }
        let intents = byIntent.keys.sorted()
        let share = Double(limit) / Double(examples.count)
        var quotas = intents.map { max(1, Int((Double(byIntent[$0]?.count ?? 0) * share).rounded(.down))) }
        let remainders = intents.enumerated().map { position, intent in
            (position, Double(byIntent[intent]?.count ?? 0) * share - Double(quotas[position]))
        }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        var missing = limit - quotas.reduce(0, +)
        for (position, _) in remainders where missing > 0 {
            quotas[position] += 1
            missing -= 1
        }
        var generator = SplitMix64(seed: seed ^ 0x5ab5e7)
        var kept: [Int] = []
        for (position, intent) in intents.enumerated() {
            var members = byIntent[intent] ?? []
            generator.shuffle(&members)
            kept.append(contentsOf: members.prefix(quotas[position]))
        }
        return kept.sorted().map { examples[$0] }
    }

    private static func microseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
    }
}
