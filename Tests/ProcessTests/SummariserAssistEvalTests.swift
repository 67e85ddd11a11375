import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import Testing

/// `switchboard assist eval`, the command the summariser's model quality is reported with, run as
/// the real binary on a subset (the full 5-fold run on BANKING77 is for the command line: it takes
/// minutes in a debug build).
@Suite("switchboard assist eval as a command", .serialized)
struct SummariserAssistEvalTests {
    /// `../shared/data/banking77/train.csv` beside the package, when present.
    static let banking77: String? = {
        var folder = SystemHarness.root
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("shared/data/banking77/train.csv").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    /// Runs the command and returns its one JSON line.
    static func eval(_ arguments: [String]) async throws -> JSON {
        let child = try await ChildProcess(
            name: "assist-eval", executable: SystemHarness.binary, arguments: ["assist", "eval"] + arguments)
        var lines: [String] = []
        for await line in child.lines where !line.isEmpty { lines.append(line) }
        let status = await child.waitForExit()
        #expect(status == 0, "assist eval exited with \(status)")
        #expect(lines.count == 1, "one JSON line: \(lines)")
        return try JSON(parsing: lines.last ?? "")
    }

    @Test(
        "on a stratified BANKING77 subset it prints accuracy, macro F1, hit rate at 3 and time per message",
        .enabled(if: banking77 != nil, "BANKING77 is not at ../shared/data/banking77/train.csv: skipped"))
    func banking77Subset() async throws {
        let report = try await Self.eval([
            "--data", try #require(Self.banking77), "--limit", "1540", "--folds", "3", "--epochs", "8",
        ])
        #expect(report["rows"] == 1_540 && report["folds"] == 3 && report["intents"] == 77)
        let accuracy = try #require(report["intentAccuracy"]?.doubleValue)
        // Twenty real queries per intent, two thirds for training: far above chance (1.3%).
        #expect(accuracy > 0.6)
        #expect(try #require(report["macroF1"]?.doubleValue) > 0.5)
        #expect(try #require(report["top3IntentAccuracy"]?.doubleValue) >= accuracy)
        #expect(try #require(report["articleHitRateAt3"]?.doubleValue) >= accuracy)
        #expect(try #require(report["classificationMicrosecondsPerMessage"]?.doubleValue) > 0)
        let threshold = try #require(report["confidenceThreshold"]?.doubleValue)
        #expect(threshold > 0 && threshold < 1)
        let coverage = try #require(report["coverageAboveThreshold"]?.doubleValue)
        #expect(coverage > 0 && coverage <= 1)
        // The messages the model is sure of are answered better than the whole.
        #expect(try #require(report["accuracyAboveThreshold"]?.doubleValue) >= accuracy)
    }

    @Test("on the shipped example set, 5-fold, it reports every figure")
    func shippedSet() async throws {
        let report = try await Self.eval(["--epochs", "6"])
        #expect(report["folds"] == 5 && report["intents"] == 77)
        #expect(try #require(report["rows"]?.intValue) >= 77 * 5)
        #expect(try #require(report["intentAccuracy"]?.doubleValue) > 0.2)
        #expect(report["articleHitRateAt3"]?.doubleValue != nil)
        // The suggested replies' ranking against the reference replies: feedback brings theirs first.
        let ranking = try #require(report["replyRanking"])
        #expect(try #require(ranking["cases"]?.intValue) > 0)
        #expect(try #require(ranking["top1After"]?.doubleValue) > (try #require(ranking["top1Before"]?.doubleValue)))
        #expect(report["confidenceThreshold"]?.doubleValue != nil)
        #expect(report["coverageAboveThreshold"]?.doubleValue != nil)
        #expect(report["accuracyAboveThreshold"]?.doubleValue != nil)
    }
}
