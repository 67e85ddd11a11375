import ArgumentParser
import Foundation
import SwitchboardBenchmarks

/// `switchboard bench quality`: the routing engine's service quality on a simulated clock.
struct BenchQualityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Simulate the routing engine on a seeded clock and print one JSON line per scenario point.",
        discussion: """
            erlang: one queue at 70 to 95% occupancy beside Erlang C (service level, average speed
            of answer, 95% batch-means interval). skills: two products with a share of agents
            trained on both beside the fully pooled Erlang C. sticky: returning customers, holding
            for owners and the spread of occupancy under each assignment method.
            No processes: the real engine on simulated time. Build with
            `swift build -c release --product switchboard` first; docs/ROUTING.md has the figures.
            """
    )

    @Option(help: "Seed of the arrivals and handling times.") var seed: UInt64 = 1
    @Option(help: "erlang, skills, sticky or all.") var scenario: String = "all"
    @Option(help: "Stop a point once its 95% interval is this many percentage points either side.")
    var halfWidthPoints = 0.5
    @Option(help: "Most batches per point (a bound on the run time of the busiest point).") var batchesMax = 1000

    func validate() throws {
        guard QualityBenchmark.Scenario(rawValue: scenario) != nil else {
            throw ValidationError("--scenario must be erlang, skills, sticky or all, not \(scenario)")
        }
        guard halfWidthPoints > 0, batchesMax >= 2 else {
            throw ValidationError("--half-width-points must be above 0 and --batches-max at least 2")
        }
    }

    func run() async throws {
        let benchmark = QualityBenchmark(
            parameters: QualityBenchmark.Parameters(
                scenario: QualityBenchmark.Scenario(rawValue: scenario) ?? .all, seed: seed,
                halfWidthTarget: halfWidthPoints / 100, batchesMax: batchesMax))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var encodingError: (any Error)?
        try benchmark.run { report in
            do {
                // Written at once, not buffered: the busiest points take a while and each line
                // is worth reading as it comes.
                FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
            } catch {
                encodingError = error
            }
        }
        if let encodingError { throw encodingError }
    }
}
