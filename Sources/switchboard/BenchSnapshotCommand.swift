import ArgumentParser
import SwitchboardBenchmarks
import SwitchboardBus

/// `switchboard bench snapshot`.
struct BenchSnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract:
            "Seconds a late consumer takes from attach to a consistent copy of N open conversations; one JSON line.",
        discussion: """
            Starts the router (its own process, on a topology of its own: free loopback ports, a \
            temporary data directory, agents who never sign in), opens --conversations \
            conversations with a customer's message (all stay queued), then --attaches times \
            attaches a new consumer of the router's conversations and times it from attach to \
            live. --service-executable runs another build's router under the same load. Example: \
            switchboard bench snapshot --conversations 100000
            """)

    @Option(help: "Open conversations at the router.")
    var conversations = 100_000

    @Option(help: "Commands in flight at once while opening.")
    var concurrency = 256

    @Option(help: "Late consumers timed, one after the other.")
    var attaches = 3

    @Option(help: "The switchboard binary that runs the router (default: this one).")
    var serviceExecutable: String?

    @OptionGroup var loggingOptions: LoggingOptions

    func validate() throws {
        guard conversations > 0, concurrency > 0, attaches > 0 else {
            throw ValidationError("--conversations, --concurrency and --attaches must be above 0")
        }
    }

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.bench")
        var settings = SnapshotBenchmark.Settings()
        settings.conversations = conversations
        settings.concurrency = concurrency
        settings.attaches = attaches
        if let serviceExecutable { settings.serviceExecutable = serviceExecutable }
        print(try await SnapshotBenchmark(settings: settings, logger: logger).run().text)
    }
}
