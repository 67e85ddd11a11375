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
            With --load N the kills come under traffic: the simulator's customers open N \
            conversations a second with a message and --agents agents (signed in Available at the \
            presence tracker) accept each offer, exchange a few short messages and close, through \
            the whole series, retrying their commands with the same id across restarts. Each \
            restart is timed from the kill to the first offer or assignment of the router's new \
            epoch (by the router's own clock), --between seconds of load then pass before the next \
            kill, and the line says what was opened, assigned and closed, and whether an \
            acknowledged conversation was lost. \
            Example: switchboard bench recovery --closed 300000; \
            switchboard bench recovery --closed 3000 --restarts 100 --load 40
            """)

    @Option(help: "Closed conversations retained in the router's store before the first kill.")
    var closed = 300_000

    @Option(help: "Commands in flight at once while filling.")
    var concurrency = 256

    @Option(help: "Kills and restarts measured.")
    var restarts = 3

    @Option(help: "The switchboard binary that runs the router and presence tracker (default: this one).")
    var serviceExecutable: String?

    @Option(help: "Conversations opened a second through the kills (0: an idle router, one probe per restart).")
    var load = 0.0

    @Option(help: "Agents working the load (with --load).")
    var agents = 20

    @Option(help: "Seconds of load between a restarted router's first decision and the next kill (with --load).")
    var between = 2.0

    @Option(help: "The seed of the load (with --load).")
    var seed: UInt64 = 1

    @OptionGroup var loggingOptions: LoggingOptions

    func validate() throws {
        guard closed > 0, concurrency > 0, restarts > 0 else {
            throw ValidationError("--closed, --concurrency and --restarts must be above 0")
        }
        guard load >= 0, load <= 10_000, agents > 0, agents <= 10_000, between >= 0, between <= 3_600 else {
            throw ValidationError(
                "--load must be 0 to 10000, --agents 1 to 10000 and --between 0 to 3600 seconds")
        }
    }

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.bench")
        var settings = RecoveryBenchmark.Settings()
        settings.closed = closed
        settings.concurrency = concurrency
        settings.restarts = restarts
        settings.loadPerSecond = load
        settings.loadAgents = agents
        settings.loadSecondsBetweenKills = between
        settings.seed = seed
        if let serviceExecutable { settings.serviceExecutable = serviceExecutable }
        print(try await RecoveryBenchmark(settings: settings, logger: logger).run().text)
    }
}
