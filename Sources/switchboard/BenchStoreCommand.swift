import ArgumentParser
import Foundation
import SwitchboardBenchmarks
import SwitchboardBus

/// `switchboard bench store`: the authority store's commits and publishing.
struct BenchStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Commits, commands and events per second of an authority's SQLite store.",
        discussion: """
            Applies commands as an authority does (each upserts a row, emits two events and saves \
            its reply) in batches of 1, 16 and 256 per transaction with the outbox relay publishing \
            on tcp loopback, then as many concurrent callers committing alone or grouped; both at \
            process-crash and power-loss durability. Each case stops after --commands or --seconds. \
            Prints one JSON line. Build with -c release for real figures.
            """)

    @Option(help: "Most commands per case.")
    var commands = 50_000

    @Option(help: "Most seconds per case.")
    var seconds = 2.0

    @Option(help: "Concurrent callers in the group-commit cases.")
    var callers = 64

    @Option(help: "Directory for the benchmark's databases (a subdirectory is made and removed).")
    var directory = FileManager.default.temporaryDirectory.path

    @OptionGroup var loggingOptions: LoggingOptions

    func validate() throws {
        guard commands > 0, seconds > 0, callers > 0 else {
            throw ValidationError("--commands, --seconds and --callers must be above 0")
        }
    }

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.bench")
        var options = StoreBenchmark.Options(directory: directory)
        options.commandsMax = commands
        options.secondsMax = seconds
        options.concurrentCallers = callers
        let result = try await StoreBenchmark.run(options, logger: logger)
        print(result.text)
    }
}
