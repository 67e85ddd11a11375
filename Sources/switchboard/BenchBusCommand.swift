import ArgumentParser
import Foundation
import SwitchboardBenchmarks
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardTools

/// `switchboard bench bus`: our ZeroMQ layer between two processes.
struct BenchBusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus",
        abstract: "Throughput and one-way latency of the bus between two processes over tcp loopback.",
        discussion: """
            Starts a subscriber as a second process, then publishes our envelope around a payload \
            of --size bytes: first --messages as fast as possible (throughput at saturation, no \
            drops), then at a fixed --rate (one-way latency, below saturation so it is not \
            queueing time). Before the bus, measures the raw libzmq floor of this machine in the \
            same run (PUB/SUB over the C API, same options and frames: one-way throughput and a \
            two-hop round trip) unless --no-floor. Prints one JSON line, with the latency \
            percentiles both raw and corrected for coordinated omission, the floor and the \
            ratios to it. Build with -c release for real figures.
            """)

    @Option(help: "Messages in the throughput phase.")
    var messages = 1_000_000

    @Option(help: "Payload bytes per message.")
    var size = 64

    @Option(help: "Messages per second in the latency phase.")
    var rate = 10_000

    @Option(help: "Messages in the latency phase.")
    var latencyMessages = 50_000

    @Flag(help: "CURVE on the publisher and subscriber (keys made for the run): the cost of encryption.")
    var curve = false

    @Flag(
        inversion: .prefixedNo,
        help: "Measure the raw libzmq floor first, for the ratios (--no-floor saves a few seconds).")
    var floor = true

    @Option(help: "Round trips the floor's two-hop latency is measured over.")
    var floorRoundTrips = 20_000

    @OptionGroup var loggingOptions: LoggingOptions

    func validate() throws {
        guard messages > 0, size >= 2, rate > 0, latencyMessages > 0, floorRoundTrips > 0 else {
            throw ValidationError(
                "--messages, --rate, --latency-messages and --floor-round-trips must be positive and --size at least 2")
        }
    }

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.bench")
        var settings = BusBenchmark.Settings()
        settings.messages = messages
        settings.payloadBytes = size
        settings.latencyRatePerSecond = rate
        settings.latencyMessages = latencyMessages
        settings.curve = curve
        settings.floor = floor
        settings.floorRoundTrips = floorRoundTrips
        let result = try await BusBenchmark.run(
            settings, subscriberArguments: ["bench", "bus-subscriber"], logger: logger)
        print(result.text)
    }
}

/// The subscriber half of `bench bus`, started by it as a second process.
struct BenchBusSubscriberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus-subscriber", abstract: "The subscriber process of `bench bus` (started by it).",
        shouldDisplay: false)

    @Option var endpoint: String
    @Option var messages: Int
    @Option(help: "Messages per second of the publisher's latency phase (to correct the latencies with).")
    var rate: Int
    @OptionGroup var loggingOptions: LoggingOptions

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.bench")
        let output = LineOutput()
        var settings = BusBenchmark.Settings()
        settings.latencyRatePerSecond = rate
        let security = try BusBenchmark.subscriberSecurity(
            environment: ProcessInfo.processInfo.environment, endpoint: endpoint)
        let result = try await BusBenchmark.runSubscriber(
            endpoint: endpoint, expectedMessages: messages,
            latencyIntervalMicroseconds: settings.latencyIntervalMicroseconds, logger: logger, security: security,
            ready: { output.write("ready") }, drained: { output.write("drained") })
        output.write(result.json.text)
    }
}
