import ArgumentParser
import Foundation
import SwitchboardBenchmarks

/// `switchboard bench routing`: decisions per second and latency of the routing engine.
struct BenchRoutingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing",
        abstract: "Time the routing decision on one core and print one JSON line.",
        discussion: """
            Fills a contact centre until every agent is busy and --waiting conversations wait,
            then times a mix of arrivals (30% returning customers, five languages, four products)
            and agents freeing capacity. A decision is one event handled to its outcome.
            Build with `swift build -c release --product switchboard` first.
            """
    )

    @Option(help: "Online agents.") var agents = 15_000
    @Option(help: "Queues (products x channels).") var queues = 12
    @Option(help: "Conversations waiting when timing starts.") var waiting = 500_000
    @Option(help: "Decisions to time.") var decisions = 300_000
    @Option(help: "Seed of the workload.") var seed: UInt64 = 1
    @Flag(help: "Also print a fingerprint of every decision, to compare two builds (slower; not a timing run).")
    var traceDigest = false

    func validate() throws {
        guard agents > 0, queues > 0, waiting >= 0, decisions > 0 else {
            throw ValidationError("--agents, --queues and --decisions must be above 0, --waiting 0 or more")
        }
    }

    func run() async throws {
        let benchmark = RoutingBenchmark(
            parameters: RoutingBenchmark.Parameters(
                agents: agents, queues: queues, waiting: waiting, decisions: decisions, seed: seed,
                traceDigest: traceDigest))
        let result = try benchmark.run()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }
}
