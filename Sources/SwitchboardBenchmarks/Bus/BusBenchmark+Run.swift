public import Logging
public import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import ZeroMQ

extension BusBenchmark {
    /// Runs the whole benchmark from the publisher's side: binds the publisher, starts the
    /// subscriber as a second process (`executable`, this one when nil, with
    /// `subscriberArguments`, to which the endpoint, message count and latency rate are added),
    /// warms up, measures both phases and returns the one JSON object to print.
    public static func run(
        _ settings: Settings, executable: String? = nil, subscriberArguments: [String], logger: Logger
    ) async throws -> JSON {
        // The floor first, alone on the machine's cores, then the bus.
        var floor: BusFloor.Figures?
        if settings.floor {
            let measured = await BusFloor.measure(
                throughput: floorFrames(topic: throughputTopic, settings: settings),
                latency: floorFrames(topic: latencyTopic, settings: settings), messages: settings.messages,
                roundTrips: settings.floorRoundTrips)
            switch measured {
            case .success(let figures): floor = figures
            case .failure(let error): logger.warning("no raw floor this run: \(error)")
            }
        }
        let loop = try SocketLoop(name: "sb-bench-pub", logger: logger)
        var security: BusSecurity?
        var environment: [String: String] = [:]
        if settings.curve {
            let server = try CurveKeyPair.generate()
            let client = try CurveKeyPair.generate()
            security = BusSecurity(keys: server, allowList: CurveAllowList([client.publicKey: "bench-subscriber"]))
            environment = [
                curveEnvironmentKeys.server: server.publicKey, curveEnvironmentKeys.clientPublic: client.publicKey,
                curveEnvironmentKeys.clientSecret: client.secretKey,
            ]
        }
        let publisher = try await bindPublisher(loop: loop, logger: logger, security: security)
        let child = try await ChildProcess(
            name: "bench-subscriber", executable: executable ?? ChildProcess.currentExecutable,
            arguments: subscriberArguments + [
                "--endpoint", publisher.endpoint, "--messages", "\(settings.messages)", "--rate",
                "\(settings.latencyRatePerSecond)",
            ], environment: environment)
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
        guard await warmUp(publisher, isReady: { ready.value }) else {
            _ = await child.stop()
            await loop.shutdown()
            throw BenchmarkError(
                "the subscriber process never received the warm-up events; run it with --log-level debug")
        }
        let sendRate = await sendThroughput(publisher, settings: settings)
        // The latency phase starts on an empty pipe (bounded wait: 20 minutes).
        for _ in 0..<120_000 where !drained.value && child.isRunning {
            try await Task.sleep(for: .milliseconds(10))
        }
        await sendLatency(publisher, settings: settings)
        guard let line = await resultLine.value, let subscriber = try? JSON(parsing: line) else {
            _ = await child.stop()
            await loop.shutdown()
            throw BenchmarkError("the subscriber process ended without a result; see its log lines above")
        }
        _ = await child.waitForExit()
        await loop.shutdown()

        let figures: JSON = [
            "bench": "bus",
            "curve": .bool(settings.curve),
            "messages": .number(settings.messages),
            "payloadBytes": .number(settings.payloadBytes),
            "throughputMessagesPerSecond": .number(subscriber["throughputPerSecond"]?.doubleValue?.rounded() ?? 0),
            "publisherQueuedPerSecond": .number(sendRate.rounded()),
            "received": subscriber["received"] ?? .null,
            "latencyRatePerSecond": .number(settings.latencyRatePerSecond),
            "latencySamples": subscriber["latencySamples"] ?? .null,
            "latencyP50Microseconds": subscriber["latencyP50Microseconds"] ?? .null,
            "latencyP99Microseconds": subscriber["latencyP99Microseconds"] ?? .null,
            "latencyP50MicrosecondsCorrected": subscriber["latencyP50MicrosecondsCorrected"] ?? .null,
            "latencyP99MicrosecondsCorrected": subscriber["latencyP99MicrosecondsCorrected"] ?? .null,
            "latencyMaxMicroseconds": subscriber["latencyMaxMicroseconds"] ?? .null,
            "gaps": subscriber["gaps"] ?? .null,
            "malformed": subscriber["malformed"] ?? .null,
        ]
        guard let floor, case .object(var result) = figures else { return figures }
        // Ratios against the same run's floor: the machine is shared, and they hold better than times.
        let throughput = subscriber["throughputPerSecond"]?.doubleValue ?? 0
        let latencyP50 = subscriber["latencyP50Microseconds"]?.doubleValue ?? 0
        result["rawThroughputMessagesPerSecond"] = .number(floor.throughputMessagesPerSecond.rounded())
        result["throughputRatio"] = .number(ratio(throughput, floor.throughputMessagesPerSecond))
        result["rawRoundTripP50Microseconds"] = .number(rounded(floor.roundTripP50Microseconds))
        result["rawRoundTripP99Microseconds"] = .number(rounded(floor.roundTripP99Microseconds))
        result["latencyP50RatioToHalfRoundTrip"] = .number(ratio(latencyP50, floor.roundTripP50Microseconds / 2))
        return .object(result)
    }

    /// `value / floor` to two decimals (0 without a floor).
    static func ratio(_ value: Double, _ floor: Double) -> Double {
        floor > 0 ? rounded(value / floor, places: 2) : 0
    }

    static func rounded(_ value: Double, places: Int = 1) -> Double {
        let scale = (0..<places).reduce(1.0) { product, _ in product * 10 }
        return (value * scale).rounded() / scale
    }
}
