/// Accuracy, macro-averaged F1, top-3 accuracy and the figures above a confidence threshold over
/// a set of predictions, each the true intent and the model's ranking (most probable first).
public struct ClassificationMetrics: Sendable, Equatable {
    /// Predictions at least this confident count as confident (see ``IntentPrediction/confidenceThreshold``).
    public let confidenceThreshold: Double
    private var correct = 0
    private var total = 0
    private var topThreeHits = 0
    private var confident = 0
    private var confidentCorrect = 0
    /// Per tenth of confidence ([0, 0.1), ..., [0.9, 1]): predictions, right ones, summed confidence.
    private var binCount = [Int](repeating: 0, count: 10)
    private var binCorrect = [Int](repeating: 0, count: 10)
    private var binConfidence = [Double](repeating: 0, count: 10)
    private var truePositives: [String: Int] = [:]
    private var predictedCount: [String: Int] = [:]
    private var actualCount: [String: Int] = [:]

    public init(confidenceThreshold: Double = IntentPrediction.confidenceThreshold) {
        self.confidenceThreshold = confidenceThreshold
    }

    /// Counts one prediction: `ranking` is the model's most probable intents, best first (an
    /// empty ranking counts as a wrong, unconfident prediction).
    public mutating func record(actual: String, ranking: [IntentScore]) {
        let predicted = ranking.first?.intent ?? ""
        let isRight = actual == predicted
        total += 1
        actualCount[actual, default: 0] += 1
        predictedCount[predicted, default: 0] += 1
        if isRight {
            correct += 1
            truePositives[actual, default: 0] += 1
        }
        if ranking.prefix(3).contains(where: { $0.intent == actual }) { topThreeHits += 1 }
        let confidence = ranking.first?.probability ?? 0
        if ranking.first != nil, confidence >= confidenceThreshold {
            confident += 1
            if isRight { confidentCorrect += 1 }
        }
        let bin = min(9, max(0, Int(confidence * 10)))
        binCount[bin] += 1
        binConfidence[bin] += confidence
        if isRight { binCorrect[bin] += 1 }
    }

    /// Expected calibration error: over ten bins of confidence, the mean gap between the mean
    /// confidence and the accuracy, weighted by the bin's share of predictions. 0 when a
    /// confidence of 0.8 is right 80% of the time.
    public var calibrationError: Double {
        guard total > 0 else { return 0 }
        var sum = 0.0
        for bin in 0..<10 where binCount[bin] > 0 {
            let count = Double(binCount[bin])
            sum += count * abs(binConfidence[bin] / count - Double(binCorrect[bin]) / count)
        }
        return sum / Double(total)
    }

    /// The share of predictions that were right (0 when nothing was recorded).
    public var accuracy: Double { Self.share(correct, of: total) }

    /// The share of predictions whose true intent was among the three most probable.
    public var top3Accuracy: Double { Self.share(topThreeHits, of: total) }

    /// The share of predictions at least ``confidenceThreshold`` confident: how often the model
    /// names an intent rather than being not sure.
    public var coverageAboveThreshold: Double { Self.share(confident, of: total) }

    /// The share of the confident predictions that were right (0 when none was confident).
    public var accuracyAboveThreshold: Double { Self.share(confidentCorrect, of: confident) }

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

    private static func share(_ part: Int, of whole: Int) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }
}
