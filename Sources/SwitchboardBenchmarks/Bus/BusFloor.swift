import CZeroMQ
import Foundation
import Glibc
import Synchronization

/// The raw libzmq floor under `bench bus`, measured in the same run over the C API directly:
/// the same socket types and options (PUB/SUB over tcp loopback, no high-water marks, the
/// bench's subscription prefix) and the same two frames of the same sizes as one bus event, so
/// the ratio of the two figures is what our layer costs. Like `zmq-floor.c`, the throughput
/// sends every message from one thread and then receives them all (libzmq's own I/O thread
/// carries them meanwhile); the round trip crosses two PUB/SUB hops, the second on an echo
/// thread. Everything blocking runs on threads of its own, never on Swift's cooperative pool.
public enum BusFloor {
    public struct Figures: Sendable {
        public var throughputMessagesPerSecond: Double
        public var roundTripP50Microseconds: Double
        public var roundTripP99Microseconds: Double
    }

    /// The frames each message carries: a topic and an envelope, as a bus event has.
    public struct Frames: Sendable {
        public var topic: [UInt8]
        public var envelope: [UInt8]

        public init(topic: [UInt8], envelope: [UInt8]) {
            self.topic = topic
            self.envelope = envelope
        }
    }

    /// Measures `messages` one-way and `roundTrips` two-hop round trips; nil when libzmq
    /// refused a socket or a peer never answered (bounded waits: the reason is returned).
    public static func measure(
        throughput: Frames, latency: Frames, messages: Int, roundTrips: Int
    ) async -> Result<Figures, BenchmarkError> {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    returning: measureBlocking(
                        throughput: throughput, latency: latency, messages: messages, roundTrips: roundTrips))
            }
            thread.name = "sb-bench-floor"
            thread.start()
        }
    }

    private static func measureBlocking(
        throughput: Frames, latency: Frames, messages: Int, roundTrips: Int
    ) -> Result<Figures, BenchmarkError> {
        guard let context = zmq_ctx_new() else { return .failure(BenchmarkError("libzmq made no context")) }
        defer { zmq_ctx_term(context) }
        let shared = SharedContext(raw: context)
        do throws(BenchmarkError) {
            let rate = try measureThroughput(shared, frames: throughput, messages: messages)
            let latencies = try measureRoundTrips(shared, frames: latency, count: roundTrips)
            return .success(
                Figures(
                    throughputMessagesPerSecond: rate, roundTripP50Microseconds: percentile(latencies, 50),
                    roundTripP99Microseconds: percentile(latencies, 99)))
        } catch {
            return .failure(error)
        }
    }

    // MARK: Throughput

    private static func measureThroughput(
        _ context: SharedContext, frames: Frames, messages: Int
    ) throws(BenchmarkError) -> Double {
        let publisher = try RawSocket(context, ZMQ_PUB, "the floor's PUB")
        let subscriber = try RawSocket(context, ZMQ_SUB, "the floor's SUB")
        let endpoint = try publisher.bindLoopback()
        try subscriber.connect(endpoint, subscribing: "bench.")
        subscriber.setReceiveTimeout(milliseconds: 10)
        // The slow joiner: send until one arrives (bounded: 10 seconds), then drain.
        var joined = false
        for _ in 0..<1_000 where !joined {
            publisher.send(frames)
            joined = subscriber.receiveMessage() > 0
        }
        guard joined else { throw BenchmarkError("the floor's SUB never joined its PUB on \(endpoint)") }
        while subscriber.receiveMessage() > 0 {}
        subscriber.setReceiveTimeout(milliseconds: 10_000)
        let started = ContinuousClock.now
        for _ in 0..<messages { publisher.send(frames) }
        for received in 0..<messages where subscriber.receiveMessage() == 0 {
            throw BenchmarkError("the floor's SUB received \(received) of \(messages) messages in time")
        }
        return Double(messages) / BusBenchmark.seconds(since: started)
    }

    // MARK: Round trip

    private static func measureRoundTrips(
        _ context: SharedContext, frames: Frames, count: Int
    ) throws(BenchmarkError) -> [Double] {
        let publisher = try RawSocket(context, ZMQ_PUB, "the floor's first PUB")
        let subscriber = try RawSocket(context, ZMQ_SUB, "the floor's second SUB")
        let outbound = try publisher.bindLoopback()
        let echoEndpoint = Announcement()
        let echo = Thread { echoHop(context, from: outbound, announce: echoEndpoint) }
        echo.name = "sb-bench-echo"
        echo.start()
        defer { publisher.sendStop() }
        // The echo thread binds its PUB and says where (bounded: 10 seconds).
        var inbound: String?
        for _ in 0..<10_000 where inbound == nil {
            switch echoEndpoint.value.withLock({ $0 }) {
            case .success(let endpoint)?: inbound = endpoint
            case .failure(let error)?: throw error
            case nil: usleep(1_000)
            }
        }
        guard let inbound else { throw BenchmarkError("the floor's echo thread never bound its PUB") }
        try subscriber.connect(inbound, subscribing: "")
        // The slow joiner on both hops: ping until a ping comes back (bounded: 10 seconds).
        subscriber.setReceiveTimeout(milliseconds: 100)
        var joined = false
        for _ in 0..<100 where !joined {
            publisher.sendPing()
            joined = subscriber.receiveMessage() > 0
        }
        guard joined else { throw BenchmarkError("the floor's two hops never joined") }
        subscriber.setReceiveTimeout(milliseconds: 1_000)
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        while latencies.count < count {
            let started = ContinuousClock.now
            publisher.send(frames)
            var frameCount = 0
            // Late pings come back as one-frame messages: skip them (bounded by the pings sent).
            for _ in 0..<200 {
                frameCount = subscriber.receiveMessage()
                if frameCount != 1 { break }
            }
            guard frameCount == 2 else {
                throw BenchmarkError("the floor's round trip \(latencies.count + 1) never came back")
            }
            latencies.append(BusBenchmark.seconds(since: started) * 1e6)
        }
        return latencies
    }

    /// The second hop: forwards every message from `endpoint` to its own PUB until a stop.
    private static func echoHop(
        _ context: SharedContext, from endpoint: String, announce: Announcement
    ) {
        do throws(BenchmarkError) {
            let subscriber = try RawSocket(context, ZMQ_SUB, "the floor's first SUB")
            let publisher = try RawSocket(context, ZMQ_PUB, "the floor's second PUB")
            try subscriber.connect(endpoint, subscribing: "")
            let bound = try publisher.bindLoopback()
            announce.value.withLock { $0 = .success(bound) }
            // Bounded: a run ends with a stop; a lost stop ends the hop after 10 quiet seconds.
            subscriber.setReceiveTimeout(milliseconds: 10_000)
            while subscriber.forward(to: publisher) {}
        } catch {
            announce.value.withLock { $0 = .failure(error) }
        }
    }

    static func percentile(_ values: [Double], _ percent: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * percent / 100))]
    }
}

/// Where the echo thread bound its PUB, or why it could not.
private final class Announcement: Sendable {
    let value = Mutex<Result<String, BenchmarkError>?>(nil)
}

/// libzmq's context pointer, shared by the floor's two threads.
private struct SharedContext: @unchecked Sendable {
    // Safe: libzmq documents contexts as thread-safe; each socket stays on the thread that made it.
    let raw: UnsafeMutableRawPointer
}

/// One libzmq socket of the floor, used only on the thread that created it.
private final class RawSocket {
    let handle: UnsafeMutableRawPointer
    private var buffer = [UInt8](repeating: 0, count: 4_096)

    init(_ context: SharedContext, _ type: Int32, _ name: String) throws(BenchmarkError) {
        guard let handle = zmq_socket(context.raw, type) else {
            throw BenchmarkError("libzmq refused \(name): \(String(cString: zmq_strerror(zmq_errno())))")
        }
        self.handle = handle
        // The bench's options: no high-water marks (it measures throughput, not drops); a
        // bounded linger, so the stop still leaves when its socket closes.
        setInt(ZMQ_SNDHWM, 0)
        setInt(ZMQ_RCVHWM, 0)
        setInt(ZMQ_LINGER, 1_000)
    }

    deinit { zmq_close(handle) }

    private func setInt(_ option: Int32, _ value: Int32) {
        var value = value
        _ = zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size)
    }

    func setReceiveTimeout(milliseconds: Int32) { setInt(ZMQ_RCVTIMEO, milliseconds) }

    /// Binds a kernel-chosen loopback port and returns the endpoint.
    func bindLoopback() throws(BenchmarkError) -> String {
        guard zmq_bind(handle, "tcp://127.0.0.1:*") == 0 else {
            throw BenchmarkError("the floor could not bind loopback: \(String(cString: zmq_strerror(zmq_errno())))")
        }
        var name = [CChar](repeating: 0, count: 256)
        var size = name.count
        _ = zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &name, &size)
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func connect(_ endpoint: String, subscribing prefix: String) throws(BenchmarkError) {
        guard zmq_connect(handle, endpoint) == 0 else {
            throw BenchmarkError("the floor could not connect to \(endpoint)")
        }
        let bytes = Array(prefix.utf8)
        _ = bytes.withUnsafeBytes { zmq_setsockopt(handle, ZMQ_SUBSCRIBE, $0.baseAddress, $0.count) }
    }

    func send(_ frames: Frames) {
        _ = frames.topic.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, ZMQ_SNDMORE) }
        _ = frames.envelope.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, 0) }
    }

    typealias Frames = BusFloor.Frames

    func sendPing() { _ = zmq_send(handle, "PING", 4, 0) }
    func sendStop() { _ = zmq_send(handle, "STOP", 4, 0) }

    /// Receives one whole message into a scratch buffer: its frame count, 0 on a timeout.
    func receiveMessage() -> Int {
        var frames = 0
        var more: Int32 = 0
        var moreSize = MemoryLayout<Int32>.size
        repeat {
            let received = buffer.withUnsafeMutableBytes { zmq_recv(handle, $0.baseAddress, $0.count, 0) }
            if received < 0 { return frames }
            frames += 1
            _ = zmq_getsockopt(handle, ZMQ_RCVMORE, &more, &moreSize)
        } while more != 0
        return frames
    }

    /// Forwards one whole message to `publisher`; false on a timeout or the one-frame stop.
    func forward(to publisher: RawSocket) -> Bool {
        var part = zmq_msg_t()
        zmq_msg_init(&part)
        defer { zmq_msg_close(&part) }
        var frames = 0
        while true {
            let size = zmq_msg_recv(&part, handle, 0)
            if size < 0 { return false }
            frames += 1
            let more = zmq_msg_more(&part) != 0
            if frames == 1 && !more && size == 4,
                let data = zmq_msg_data(&part), memcmp(data, "STOP", 4) == 0
            {
                return false
            }
            // zmq_msg_send takes the frame and leaves `part` empty and ready for the next.
            if zmq_msg_send(&part, publisher.handle, more ? ZMQ_SNDMORE : 0) < 0 { return false }
            if !more { return true }
        }
    }
}
