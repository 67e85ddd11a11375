import Foundation
import Testing
import TestSupport

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

    @Test("metrics: accuracy and macro F1 of a known confusion")
    func metrics() {
        var metrics = ClassificationMetrics()
        metrics.record(actual: "a", predicted: "a")
        metrics.record(actual: "a", predicted: "b")
        metrics.record(actual: "b", predicted: "b")
        metrics.record(actual: "b", predicted: "b")
        #expect(metrics.accuracy == 0.75)
        // a: precision 1, recall 0.5, F1 2/3; b: precision 2/3, recall 1, F1 0.8.
        #expect(abs(metrics.macroF1 - (2.0 / 3.0 + 0.8) / 2) < 1e-12)
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
