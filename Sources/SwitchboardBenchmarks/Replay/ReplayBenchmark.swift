import Foundation
import Logging
import SwitchboardReplay

/// `switchboard bench replay`: a synthetic day recorded into a temporary router store, then
/// replayed (recorded and what-if runs, unchanged centre) and timed.
public enum ReplayBenchmark {
    public struct Result: Sendable, Codable {
        public var conversations: Int
        public var inputs: Int
        public var seconds: Double
        public var conversationsPerSecond: Double
        /// Recorded decisions, and how many the replay made the same (all of them, or it failed).
        public var decisions: Int
        public var equal: Int
    }

    public static func run(conversations: Int, seed: UInt64) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-bench-replay-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("router.sqlite").path
        var logger = Logger(label: "switchboard.bench.replay")
        logger.logLevel = .error
        _ = try await SyntheticDay(conversations: conversations, seed: seed).record(to: path, logger: logger)
        let started = ContinuousClock.now
        let report = try Replay.run(Replay.Request(store: path))
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard report.reproduction.equal == report.reproduction.decisions, report.reproduction.firstDivergence == nil
        else {
            throw BenchmarkError(
                "the replay did not reproduce the recorded day: \(report.reproduction.equal) of "
                    + "\(report.reproduction.decisions) decisions equal")
        }
        return Result(
            conversations: report.conversations, inputs: report.inputs, seconds: (seconds * 1_000).rounded() / 1_000,
            conversationsPerSecond: (Double(report.conversations) / seconds).rounded(),
            decisions: report.reproduction.decisions, equal: report.reproduction.equal)
    }
}
