import ArgumentParser
import SwitchboardBenchmarks
import SwitchboardBus

/// `switchboard bench memory`.
struct BenchMemoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Resident memory of each process with N queued conversations, and the late join; one JSON line.",
        discussion: """
            Starts `switchboard up` (router, presence, desk, summariser, monitor) on a topology of \
            its own (free loopback ports, a temporary data directory, agents who never sign in), \
            reads each process's resident memory once it has settled, opens --conversations \
            conversations with an opening message (all stay queued), waits for every process to \
            settle again, and prints each one's resident memory before and after and bytes per \
            conversation, and the seconds a new consumer takes from attach to a consistent copy of \
            the router's conversations. Example: switchboard bench memory --conversations 100000
            """)

    @Option(help: "Conversations to open.")
    var conversations = 100_000

    @Option(help: "Commands in flight at once while opening.")
    var concurrency = 256

    @OptionGroup var loggingOptions: LoggingOptions

    func validate() throws {
        guard conversations > 0, concurrency > 0 else {
            throw ValidationError("--conversations and --concurrency must be above 0")
        }
    }

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.bench")
        var settings = MemoryBenchmark.Settings()
        settings.conversations = conversations
        settings.concurrency = concurrency
        print(try await MemoryBenchmark(settings: settings, logger: logger).run().text)
    }
}
