import ArgumentParser
import SwitchboardBenchmarks
import SwitchboardBus

/// `switchboard bench recovery`.
struct BenchRecoveryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery",
        abstract: "Seconds from a SIGKILL of the router to its first answer and first assignment; one JSON line.",
        discussion: """
            Starts the router and the presence tracker (each its own process, on a topology of its \
            own: free loopback ports, a temporary data directory), fills the router's store by \
            opening --closed conversations with a customer's message and abandoning each (they stay \
            for the retention period), makes one agent Available, then --restarts times SIGKILLs \
            the router, starts it again and times from the kill to the answer to a new \
            conversation and to that conversation's offer or assignment. --service-executable \
            runs another build's router and presence tracker under the same filling and probes. \
            Example: switchboard bench recovery --closed 300000
            """)

    @Option(help: "Closed conversations retained in the router's store before the first kill.")
    var closed = 300_000

    @Option(help: "Commands in flight at once while filling.")
    var concurrency = 256

    @Option(help: "Kills and restarts measured.")
    var restarts = 3

    @Option(help: "The switchboard binary that runs the router and presence tracker (default: this one).")
    var serviceExecutable: String?

    @OptionGroup var loggingOptions: LoggingOptions

    func validate() throws {
        guard closed > 0, concurrency > 0, restarts > 0 else {
            throw ValidationError("--closed, --concurrency and --restarts must be above 0")
        }
    }

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.bench")
        var settings = RecoveryBenchmark.Settings()
        settings.closed = closed
        settings.concurrency = concurrency
        settings.restarts = restarts
        if let serviceExecutable { settings.serviceExecutable = serviceExecutable }
        print(try await RecoveryBenchmark(settings: settings, logger: logger).run().text)
    }
}
