public import Logging
public import SwitchboardBus
public import ZeroMQ

/// The bus benchmark: our layer end to end (EventPublisher → tcp loopback → SUB on our
/// I/O thread → envelope header decode) between two processes. Two phases: saturation
/// throughput (as fast as the publisher can queue, with backpressure, no drops) and one-way
/// latency at a fixed rate below saturation, so the latency measured is not queueing time.
/// The publisher side lives in the parent process (`run`), the subscriber side in a child
/// (`runSubscriber`).
public enum BusBenchmark {
    public struct Settings: Sendable {
        public var messages = 1_000_000
        public var payloadBytes = 64
        public var latencyRatePerSecond = 10_000
        public var latencyMessages = 50_000
        /// CURVE on the PUB/SUB pair (keys made for the run), to measure what encryption costs.
        public var curve = false
        /// Measure the raw libzmq floor in the same run (before the bus), for the ratios.
        public var floor = true
        /// Round trips the floor's two-hop latency is taken over.
        public var floorRoundTrips = 20_000

        public init() {}

        /// Microseconds between two sends of the latency phase.
        public var latencyIntervalMicroseconds: UInt64 { UInt64(max(1, 1_000_000 / max(1, latencyRatePerSecond))) }
    }

    static let warmupTopic = "bench.warmup"
    static let throughputTopic = "bench.throughput"
    static let latencyTopic = "bench.latency"
    static let doneTopic = "bench.done"

    /// The payload: a JSON string of `bytes` characters, so the envelope carries BYTES of data.
    static func payload(bytes: Int) -> [UInt8] {
        let inner = max(0, bytes - 2)
        return [UInt8(ascii: "\"")] + Array(repeating: UInt8(ascii: "x"), count: inner) + [UInt8(ascii: "\"")]
    }

    // MARK: Publisher (parent)

    /// The two frames of one bench event on `topic` (seq and timestamp of the usual width), to
    /// give the raw floor the same message shape as the bus.
    static func floorFrames(topic: String, settings: Settings) -> BusFloor.Frames {
        let message = EnvelopeCodec.encode(
            topic: topic, source: "bench", epoch: 1, seq: UInt64(settings.messages),
            timestampMicroseconds: WallClock.microseconds(), type: "bench.message",
            data: payload(bytes: settings.payloadBytes))
        return BusFloor.Frames(topic: message.frames[0], envelope: message.frames[1])
    }

    /// Binds a PUB on a kernel-chosen loopback port and returns the publisher.
    public static func bindPublisher(
        loop: SocketLoop, logger: Logger, security: BusSecurity? = nil
    ) async throws(ZMQError) -> EventPublisher {
        var options = SocketOptions()
        options.sendHighWaterMark = 0  // the benchmark measures throughput, not drops
        return try await EventPublisher(
            loop: loop, bind: "tcp://127.0.0.1:*", source: "bench", epoch: 1, logger: logger, options: options,
            security: security)
    }

    /// The environment variables that hand the subscriber process its CURVE keys (not its
    /// arguments, which any user can read): the server's public key, the client's pair.
    public static let curveEnvironmentKeys = (
        server: "SWITCHBOARD_BENCH_SERVER_KEY", clientPublic: "SWITCHBOARD_BENCH_CLIENT_PUBLIC",
        clientSecret: "SWITCHBOARD_BENCH_CLIENT_SECRET"
    )

    /// The subscriber's security from its environment (nil when the run is without CURVE).
    public static func subscriberSecurity(
        environment: [String: String], endpoint: String
    ) throws(CurveKeyError) -> BusSecurity? {
        let keys = curveEnvironmentKeys
        guard let server = environment[keys.server], let clientPublic = environment[keys.clientPublic],
            let clientSecret = environment[keys.clientSecret]
        else { return nil }
        var security = BusSecurity(keys: try CurveKeyPair(publicKey: clientPublic, secretKey: clientSecret))
        security.trustServer(server, at: [endpoint])
        return security
    }

    /// Sends warm-up events until `isReady` says the subscriber has seen one (bounded).
    public static func warmUp(_ publisher: EventPublisher, isReady: @Sendable () -> Bool) async -> Bool {
        for _ in 0..<2_000 {
            if isReady() { return true }
            publisher.publish(topic: warmupTopic, type: "bench.warmup", encodedData: payload(bytes: 2))
            try? await Task.sleep(for: .milliseconds(5))
        }
        return isReady()
    }

    /// Phase 1: `messages` events as fast as the I/O thread takes them. Returns messages/s queued.
    public static func sendThroughput(_ publisher: EventPublisher, settings: Settings) async -> Double {
        let data = payload(bytes: settings.payloadBytes)
        let started = ContinuousClock.now
        for _ in 0..<settings.messages {
            _ = await publisher.publishWaiting(topic: throughputTopic, type: "bench.message", encodedData: data)
        }
        return Double(settings.messages) / seconds(since: started)
    }

    /// Phase 2 (start it once the subscriber has drained phase 1, or the latency measured is the
    /// backlog's): events at a fixed rate, paced per half millisecond; `ts` is the send time.
    public static func sendLatency(_ publisher: EventPublisher, settings: Settings) async {
        let data = payload(bytes: settings.payloadBytes)
        let perMillisecond = Double(settings.latencyRatePerSecond) / 1_000
        let started = ContinuousClock.now
        var sent = 0
        while sent < settings.latencyMessages {
            let due = min(settings.latencyMessages, Int(seconds(since: started) * 1_000 * perMillisecond) + 1)
            while sent < due {
                publisher.publish(topic: latencyTopic, type: "bench.message", encodedData: data)
                sent += 1
            }
            try? await Task.sleep(for: .microseconds(500))
        }
        // Tell the subscriber the run is over (repeated: PUB may drop nothing here, but be sure).
        for _ in 0..<20 {
            publisher.publish(topic: doneTopic, type: "bench.done", encodedData: payload(bytes: 2))
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    // MARK: Subscriber (child)

    public struct SubscriberResult: Sendable {
        public var throughputReceived = 0
        public var throughputSeconds = 0.0
        /// One-way latencies in microseconds; corrected with the latency phase's send interval.
        public var latencyMicroseconds: LatencyHistogram
        public var malformed = 0
        public var gaps = 0

        public init(latencyIntervalMicroseconds: UInt64) {
            latencyMicroseconds = LatencyHistogram(expectedInterval: latencyIntervalMicroseconds)
        }

        /// The line the subscriber process prints for its parent.
        public var json: JSON {
            [
                "received": .number(throughputReceived),
                "throughputPerSecond": .number(
                    throughputSeconds > 0 ? Double(throughputReceived) / throughputSeconds : 0),
                "latencySamples": .number(latencyMicroseconds.count),
                "latencyP50Microseconds": .int(Int64(latencyMicroseconds.value(atPercentile: 50))),
                "latencyP99Microseconds": .int(Int64(latencyMicroseconds.value(atPercentile: 99))),
                "latencyP50MicrosecondsCorrected": .int(Int64(latencyMicroseconds.correctedValue(atPercentile: 50))),
                "latencyP99MicrosecondsCorrected": .int(Int64(latencyMicroseconds.correctedValue(atPercentile: 99))),
                "latencyMaxMicroseconds": .int(Int64(latencyMicroseconds.maxRecorded)),
                "malformed": .number(malformed),
                "gaps": .number(gaps),
            ]
        }
    }

    /// Subscribes to `endpoint`, calls `ready` on the first warm-up event, measures both
    /// phases, and returns when the done marker arrives (or after `timeoutSeconds`). The
    /// latencies are corrected with `latencyIntervalMicroseconds`, the publisher's send interval.
    public static func runSubscriber(
        endpoint: String, expectedMessages: Int, latencyIntervalMicroseconds: UInt64, logger: Logger,
        security: BusSecurity? = nil, timeoutSeconds: Double = 600, ready: @Sendable () -> Void,
        drained: @Sendable () -> Void
    ) async throws(ZMQError) -> SubscriberResult {
        let loop = try SocketLoop(name: "sb-bench-sub", logger: logger)
        var options = SocketOptions()
        options.receiveHighWaterMark = 0
        options.subscriptions = ["bench."]
        if let security { options = try security.clientOptions(options, connectingTo: endpoint) }
        let socket = try await loop.open(SocketSpec(type: .subscriber, options: options, connect: [endpoint]))
        let timeout = Task {
            try? await Task.sleep(for: .seconds(timeoutSeconds))
            await loop.close(socket.id)
        }
        var result = SubscriberResult(latencyIntervalMicroseconds: latencyIntervalMicroseconds)
        var isReady = false
        var throughputStart: ContinuousClock.Instant?
        var lastSeq: UInt64 = 0
        receiving: for await batch in socket.inbound {
            let receivedAt = WallClock.microseconds()
            for message in batch.messages {
                guard let event = try? EnvelopeCodec.decode(message) else {
                    result.malformed += 1
                    continue
                }
                if event.seq != lastSeq + 1 && lastSeq != 0 && event.family == "bench" { result.gaps += 1 }
                lastSeq = event.seq
                switch event.topic {
                case throughputTopic:
                    if throughputStart == nil { throughputStart = .now }
                    result.throughputReceived += 1
                    if result.throughputReceived == expectedMessages, let throughputStart {
                        result.throughputSeconds = seconds(since: throughputStart)
                        drained()
                    }
                case latencyTopic:
                    result.latencyMicroseconds.record(receivedAt - event.timestampMicroseconds)
                case doneTopic:
                    break receiving
                default:
                    if !isReady {
                        isReady = true
                        ready()
                    }
                }
            }
        }
        if result.throughputSeconds == 0, let throughputStart {
            result.throughputSeconds = seconds(since: throughputStart)
        }
        timeout.cancel()
        await loop.shutdown()
        return result
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
