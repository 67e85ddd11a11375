import ArgumentParser
import SwitchboardBenchmarks
import SwitchboardBus

/// `switchboard bench gateway`.
struct BenchGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Agents on desk sockets of one gateway while customers chat through its API: delivery latency.",
        discussion: """
            Starts `switchboard up` (router, presence, desk, gateway) on a topology of its own \
            (free loopback ports, a temporary data directory, one chat queue, --agents agents), \
            signs every agent in and opens their desk sockets, opens --customers conversations \
            through the connector API, then sends --rate messages per second over them for \
            --seconds. Prints one JSON line: message POST → agent socket delivery percentiles, \
            fan-out, messages sent, delivered and lost, and the gateway's resident memory.
            """)

    @Option(help: "Agents, each with a desk socket.")
    var agents = 1_000

    @Option(help: "Customers, each with one conversation through the connector API.")
    var customers = 200

    @Option(help: "Customer messages per second, spread over the conversations.")
    var rate = 200

    @Option(help: "Seconds of sending.")
    var seconds = 20.0

    @OptionGroup var loggingOptions: LoggingOptions

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.bench")
        var settings = GatewayBenchmark.Settings()
        settings.agents = agents
        settings.customers = customers
        settings.rate = rate
        settings.seconds = seconds
        let result = try await GatewayBenchmark(settings: settings, logger: logger).run()
        print(result.text)
    }
}
