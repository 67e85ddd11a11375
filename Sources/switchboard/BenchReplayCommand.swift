import ArgumentParser
import Foundation
import SwitchboardBenchmarks

/// `switchboard bench replay`: how fast a recorded day replays.
struct BenchReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Record a synthetic day into a temporary router store, time its replay, print one JSON line.",
        discussion: """
            The day is made in process: a seeded workload drives the router's state machine and
            its inputs go into a real SQLite router store through the router's own journal code.
            The replay then runs both the recorded and the what-if run (unchanged centre) and must
            reproduce every decision. Build with `swift build -c release --product switchboard` first.
            """
    )

    @Option(help: "Conversations in the recorded day.") var conversations = 50_000
    @Option(help: "Seed of the workload.") var seed: UInt64 = 1

    func validate() throws {
        guard (10...2_000_000).contains(conversations) else {
            throw ValidationError("--conversations must be between 10 and 2000000")
        }
    }

    func run() async throws {
        let result = try await ReplayBenchmark.run(conversations: conversations, seed: seed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }
}
