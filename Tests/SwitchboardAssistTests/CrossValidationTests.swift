import Foundation
import TestSupport
import Testing

@testable import SwitchboardAssist

@Suite("Cross-validated evaluation")
struct CrossValidationTests {
    @Test("stratified folds partition the examples and keep each intent's share")
    func folds() {
        let labels = (0..<103).map { "intent\($0 % 7)" }
        let folds = StratifiedFolds(labels: labels, foldCount: 5, seed: 3).folds
        #expect(folds.count == 5)
        #expect(folds.flatMap { $0 }.sorted() == Array(0..<103))
        for fold in folds {
            #expect((20...21).contains(fold.count))
            var perLabel: [String: Int] = [:]
            for index in fold { perLabel[labels[index], default: 0] += 1 }
            #expect(perLabel.values.allSatisfy { (2...4).contains($0) })
        }
        #expect(
            StratifiedFolds(labels: labels, foldCount: 5, seed: 3)
                == StratifiedFolds(labels: labels, foldCount: 5, seed: 3))
    }

    /// A ranking whose best intent is `best` at `probability`, then the `others` sharing the rest.
    static func ranking(_ best: String, _ probability: Double, then others: [String] = []) -> [IntentScore] {
        let rest = others.isEmpty ? 0 : (1 - probability) / Double(others.count)
        return [IntentScore(intent: best, probability: probability)]
            + others.map { IntentScore(intent: $0, probability: rest) }
    }

    @Test("metrics: accuracy and macro F1 of a known confusion")
    func metrics() {
        var metrics = ClassificationMetrics()
        metrics.record(actual: "a", ranking: Self.ranking("a", 0.9))
        metrics.record(actual: "a", ranking: Self.ranking("b", 0.9))
        metrics.record(actual: "b", ranking: Self.ranking("b", 0.9))
        metrics.record(actual: "b", ranking: Self.ranking("b", 0.9))
        #expect(metrics.accuracy == 0.75)
        // a: precision 1, recall 0.5, F1 2/3; b: precision 2/3, recall 1, F1 0.8.
        #expect(abs(metrics.macroF1 - (2.0 / 3.0 + 0.8) / 2) < 1e-12)
    }

    @Test("metrics: top-3 counts the true intent anywhere in the first three, not the fourth")
    func topThree() {
        var metrics = ClassificationMetrics()
        metrics.record(actual: "a", ranking: Self.ranking("a", 0.4, then: ["b", "c", "d"]))
        metrics.record(actual: "c", ranking: Self.ranking("a", 0.4, then: ["b", "c", "d"]))
        metrics.record(actual: "d", ranking: Self.ranking("a", 0.4, then: ["b", "c", "d"]))
        metrics.record(actual: "e", ranking: [])
        #expect(metrics.count == 4)
        #expect(metrics.accuracy == 0.25)
        #expect(metrics.top3Accuracy == 0.5)
    }

    @Test("metrics: coverage and accuracy above the threshold count only the confident predictions")
    func aboveThreshold() {
        var metrics = ClassificationMetrics(confidenceThreshold: 0.5)
        // Confident: right, right, wrong, and exactly at the threshold (counts as confident), right.
        metrics.record(actual: "a", ranking: Self.ranking("a", 0.95, then: ["b"]))
        metrics.record(actual: "b", ranking: Self.ranking("b", 0.7, then: ["a"]))
        metrics.record(actual: "a", ranking: Self.ranking("b", 0.6, then: ["a"]))
        metrics.record(actual: "b", ranking: Self.ranking("b", 0.5, then: ["a"]))
        // Not sure: one right and three wrong, which lower the overall accuracy but not the confident one.
        metrics.record(actual: "a", ranking: Self.ranking("a", 0.45, then: ["b", "c"]))
        metrics.record(actual: "a", ranking: Self.ranking("c", 0.3, then: ["a", "b"]))
        metrics.record(actual: "b", ranking: Self.ranking("c", 0.3, then: ["a", "b"]))
        metrics.record(actual: "c", ranking: Self.ranking("a", 0.49, then: ["b", "c"]))
        #expect(metrics.count == 8)
        #expect(metrics.coverageAboveThreshold == 0.5)
        #expect(metrics.accuracyAboveThreshold == 0.75)
        #expect(metrics.accuracy == 0.5)
        #expect(metrics.top3Accuracy == 1)

        var stricter = ClassificationMetrics(confidenceThreshold: 0.9)
        stricter.record(actual: "a", ranking: Self.ranking("a", 0.95))
        stricter.record(actual: "a", ranking: Self.ranking("b", 0.6))
        stricter.record(actual: "b", ranking: Self.ranking("b", 0.7))
        #expect(abs(stricter.coverageAboveThreshold - 1.0 / 3.0) < 1e-12)
        #expect(stricter.accuracyAboveThreshold == 1)
    }

    @Test("metrics: the calibration error is the weighted gap between confidence and accuracy per tenth")
    func calibration() {
        var calibrated = ClassificationMetrics()
        // Confidence 0.75 twice (the [0.7, 0.8) bin), one right and one wrong: gap 0.25.
        calibrated.record(actual: "a", ranking: Self.ranking("a", 0.75, then: ["b"]))
        calibrated.record(actual: "b", ranking: Self.ranking("a", 0.75, then: ["b"]))
        // Confidence 0.95, right: gap 0.05.
        calibrated.record(actual: "a", ranking: Self.ranking("a", 0.95, then: ["b"]))
        calibrated.record(actual: "b", ranking: Self.ranking("b", 0.95, then: ["a"]))
        // (2 × 0.25 + 2 × 0.05) / 4.
        #expect(abs(calibrated.calibrationError - 0.15) < 1e-12)
        #expect(ClassificationMetrics().calibrationError == 0)
    }

    @Test("metrics: with nothing confident the accuracy above the threshold is 0, not a division by zero")
    func nothingConfident() {
        var metrics = ClassificationMetrics()
        #expect(metrics.coverageAboveThreshold == 0 && metrics.accuracyAboveThreshold == 0)
        metrics.record(actual: "a", ranking: Self.ranking("a", 0.2, then: ["b"]))
        #expect(metrics.confidenceThreshold == IntentPrediction.confidenceThreshold)
        #expect(metrics.coverageAboveThreshold == 0 && metrics.accuracyAboveThreshold == 0)
        #expect(metrics.accuracy == 1)
    }

    @Test("eval on the shipped example set reports every figure")
    func shippedSet() async throws {
        let examples = try Fixtures.shippedExamples().examples
        let report = try await onOwnThread {
            try CrossValidation.run(
                examples: examples, foldCount: 5,
                parameters: IntentModelParameters(epochs: 6), knowledgeBase: try Fixtures.knowledgeBase())
        }
        #expect(report.rows == examples.count && report.folds == 5 && report.intents == 77)
        // 77 intents: chance is 1.3%; a handful of examples per intent already teach far more than that.
        #expect(report.intentAccuracy > 0.2)
        #expect(report.top3IntentAccuracy >= report.intentAccuracy)
        #expect(try #require(report.articleHitRateAt3) >= report.intentAccuracy)
        #expect(report.classificationMicrosecondsPerMessage > 0)
        #expect(report.confidenceThreshold == IntentPrediction.confidenceThreshold)
        #expect((0...1).contains(report.coverageAboveThreshold))
        #expect((0...1).contains(report.accuracyAboveThreshold))
    }

    @Test(
        "eval on a stratified subset of BANKING77 learns real customer text",
        .enabled(if: Fixtures.banking77TrainPath != nil, Comment(rawValue: Fixtures.banking77Missing)))
    func banking77Subset() async throws {
        let dataset = try LabelledDataset.load(path: try #require(Fixtures.banking77TrainPath))
        let report = try await onOwnThread {
            try CrossValidation.run(
                examples: dataset.examples, foldCount: 3, limit: 1_540, parameters: IntentModelParameters(epochs: 8),
                knowledgeBase: try Fixtures.knowledgeBase())
        }
        print("BANKING77 subset: \(report)")
        #expect(report.rows == 1_540)
        #expect(report.intents == 77)
        // Twenty examples per intent, two thirds for training: well above chance, far below the full set.
        #expect(report.intentAccuracy > 0.6)
        #expect(try #require(report.articleHitRateAt3) > report.intentAccuracy)
    }
}
