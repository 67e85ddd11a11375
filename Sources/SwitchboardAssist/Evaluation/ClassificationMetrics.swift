/// Accuracy and macro-averaged F1 over a set of (true, predicted) intent pairs.
public struct ClassificationMetrics: Sendable, Equatable {
    private var correct = 0
    private var total = 0
    private var truePositives: [String: Int] = [:]
    private var predictedCount: [String: Int] = [:]
    private var actualCount: [String: Int] = [:]

    public init() {}

    /// Counts one prediction.
    public mutating func record(actual: String, predicted: String) {
        total += 1
        actualCount[actual, default: 0] += 1
        predictedCount[predicted, default: 0] += 1
        if actual == predicted {
            correct += 1
            truePositives[actual, default: 0] += 1
        }
    }

    /// The share of predictions that were right (0 when nothing was recorded).
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// The mean over actual intents of F1 = 2·precision·recall / (precision + recall).
    public var macroF1: Double {
        guard !actualCount.isEmpty else { return 0 }
        var sum = 0.0
        for (intent, actual) in actualCount {
            let hits = Double(truePositives[intent] ?? 0)
            let predicted = Double(predictedCount[intent] ?? 0)
            let precision = predicted == 0 ? 0 : hits / predicted
            let recall = hits / Double(actual)
            sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        }
        return sum / Double(actualCount.count)
    }

    /// Number of predictions recorded.
    public var count: Int { total }
}
