import ArgumentParser
import Foundation
import SwitchboardBus
import SwitchboardServices
import ZeroMQ

/// `switchboard bench bus`: our ZeroMQ layer between two processes.
struct BenchBusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus",
        abstract: "Throughput and one-way latency of the bus between two processes over tcp loopback.",
        discussion: """
            Starts a subscriber as a second process, then publishes our envelope around a payload \
            of --size bytes: first --messages as fast as possible (throughput at saturation, no \
            drops), then at a fixed --rate (one-way latency, below saturation so it is not \
            queueing time). Prints one JSON line. Build with -c release for real figures.
            """)

    @Option(help: "Messages in the throughput phase.")
    var messages = 1_000_000

    @Option(help: "Payload bytes per message.")
    var size = 64

    @Option(help: "Messages per second in the latency phase.")
    var rate = 10_000

    @Option(help: "Messages in the latency phase.")
    var latencyMessages = 50_000

    @OptionGroup var loggingOptions: LoggingOptions

    func validate() throws {
        guard messages > 0, size >= 2, rate > 0, latencyMessages > 0 else {
            throw ValidationError("--messages, --rate and --latency-messages must be positive and --size at least 2")
        }
    }

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.bench")
        var settings = BusBenchmark.Settings()
        settings.messages = messages
        settings.payloadBytes = size
        settings.latencyRatePerSecond = rate
        settings.latencyMessages = latencyMessages

        let loop = try SocketLoop(name: "sb-bench-pub", logger: logger)
        let publisher = try await BusBenchmark.bindPublisher(loop: loop, logger: logger)
        let child = try ChildProcess(
            name: "bench-subscriber",
            arguments: ["bench", "bus-subscriber", "--endpoint", publisher.endpoint, "--messages", "\(messages)"])
        let ready = Locked(false)
        let drained = Locked(false)
        let resultLine = Task { () -> String? in
            for await line in child.lines {
                if line == "ready" {
                    ready.withLock { $0 = true }
                } else if line == "drained" {
                    drained.withLock { $0 = true }
                } else if line.hasPrefix("{") {
                    return line
                }
            }
            return nil
        }
        guard await BusBenchmark.warmUp(publisher, isReady: { ready.value }) else {
            _ = await child.stop()
            throw ValidationError("the subscriber process never received the warm-up events")
        }
        let sendRate = await BusBenchmark.sendThroughput(publisher, settings: settings)
        // The latency phase starts on an empty pipe (bounded wait: 20 minutes).
        for _ in 0..<120_000 where !drained.value && child.isRunning {
            try await Task.sleep(for: .milliseconds(10))
        }
        await BusBenchmark.sendLatency(publisher, settings: settings)
        guard let line = await resultLine.value, let subscriber = try? JSON(parsing: line) else {
            _ = await child.stop()
            throw ValidationError("the subscriber process ended without a result")
        }
        _ = await child.waitForExit()
        await loop.shutdown()

        let output: JSON = [
            "bench": "bus",
            "messages": .number(messages),
            "payloadBytes": .number(size),
            "throughputMessagesPerSecond": .number(subscriber["throughputPerSecond"]?.doubleValue?.rounded() ?? 0),
            "publisherQueuedPerSecond": .number(sendRate.rounded()),
            "received": subscriber["received"] ?? .null,
            "latencyRatePerSecond": .number(rate),
            "latencySamples": subscriber["latencySamples"] ?? .null,
            "latencyP50Micros": subscriber["latencyP50Micros"] ?? .null,
            "latencyP99Micros": subscriber["latencyP99Micros"] ?? .null,
            "latencyMaxMicros": subscriber["latencyMaxMicros"] ?? .null,
            "gaps": subscriber["gaps"] ?? .null,
            "malformed": subscriber["malformed"] ?? .null,
        ]
        print(output.text)
    }
}

/// The subscriber half of `bench bus`, started by it as a second process.
struct BenchBusSubscriberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus-subscriber", abstract: "The subscriber process of `bench bus` (started by it).",
        shouldDisplay: false)

    @Option var endpoint: String
    @Option var messages: Int
    @OptionGroup var loggingOptions: LoggingOptions

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.bench")
        let output = LineOutput()
        let result = try await BusBenchmark.runSubscriber(
            endpoint: endpoint, expectedMessages: messages, logger: logger, ready: { output.write("ready") },
            drained: { output.write("drained") })
        output.write(result.json.text)
    }
}
