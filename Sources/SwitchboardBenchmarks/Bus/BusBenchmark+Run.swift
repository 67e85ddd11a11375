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

        return [
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
    }
}
