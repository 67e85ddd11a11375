public import Logging
import Synchronization
public import ZeroMQ

/// The event side of an authority: one PUB socket, a sequence per topic family, and a
/// heartbeat every second carrying the last seq of every family so that a consumer notices
/// a gap at the tail too. Thread-safe: the seq is assigned and the message queued under one
/// lock, so events leave in seq order whoever publishes them.
public final class EventPublisher: Sendable {
    public let source: String
    public let epoch: UInt64
    /// The endpoint bound, with a kernel-chosen port resolved.
    public let endpoint: String
    private let loop: SocketLoop
    private let socket: SocketID
    private let logger: Logger
    private let state: Mutex<State>
    /// `{"v":1,"src":…,"epoch":…,"seq":`, the same for every event of this run.
    private let envelopePrefix: [UInt8]

    private struct State {
        /// The families published, in first-use order, and the last seq of each (same index):
        /// a publisher has a handful of families, and comparing a few short strings costs less
        /// than hashing one for every event.
        var families: [String] = []
        var lastSeqs: [UInt64] = []
        var refused = 0
        var queued = 0

        /// Where `family`'s last seq is kept (a new family starts at 0).
        mutating func slot(of family: String) -> Int {
            if let index = families.firstIndex(of: family) { return index }
            families.append(family)
            lastSeqs.append(0)
            return families.count - 1
        }

        var sequences: [String: UInt64] { Dictionary(uniqueKeysWithValues: zip(families, lastSeqs)) }
    }

    /// The topic frame and the topic's family, from one pass over the string.
    private static func split(_ topic: String) -> (frame: [UInt8], family: String) {
        var topic = topic
        return topic.withUTF8 { utf8 in
            let end = utf8.firstIndex(of: UInt8(ascii: ".")) ?? utf8.count
            return (Array(utf8), String(decoding: UnsafeBufferPointer(rebasing: utf8[..<end]), as: UTF8.self))
        }
    }

    /// Binds a PUB socket on `endpoint` (`tcp://host:port`, or `tcp://host:*` in tests); with
    /// `security`, a CURVE server that only listed subscribers can reach.
    public init(
        loop: SocketLoop, bind endpoint: String, source: String, epoch: UInt64, logger: Logger,
        options: SocketOptions = SocketOptions(), security: BusSecurity? = nil
    ) async throws(ZMQError) {
        let handle = try await BusSecurity.openServer(
            SocketSpec(type: .publisher, options: options, bind: [endpoint]), security: security, loop: loop,
            logger: logger)
        self.loop = loop
        self.socket = handle.id
        self.endpoint = handle.boundEndpoints.first ?? endpoint
        self.source = source
        self.epoch = epoch
        self.logger = logger
        self.state = Mutex(State())
        self.envelopePrefix = EnvelopeCodec.prefix(source: source, epoch: epoch)
    }

    /// Publishes an event; its seq is the next of the topic's family.
    @discardableResult
    public func publish(topic: String, type: String, data: JSON) -> PublishedEvent {
        publish(topic: topic, type: type, encodedData: data.bytes)
    }

    /// Publishes an event whose `data` is already JSON bytes.
    @discardableResult
    public func publish(topic: String, type: String, encodedData: [UInt8]) -> PublishedEvent {
        let (topicFrame, family) = Self.split(topic)
        return state.withLock { state in
            let slot = state.slot(of: family)
            let seq = state.lastSeqs[slot] + 1
            state.lastSeqs[slot] = seq
            let message = EnvelopeCodec.encode(
                prefix: envelopePrefix, topic: topicFrame, seq: seq, timestampMicroseconds: WallClock.microseconds(),
                type: type, data: encodedData)
            let queued = loop.send(message, on: socket) == .queued
            if queued { state.queued += 1 }
            if !queued {
                // Consumers see the skipped seq as a gap and re-snapshot; count it here too.
                state.refused += 1
                if state.refused == 1 || state.refused % 10_000 == 0 {
                    logger.warning(
                        "event not queued: the I/O thread is behind", metadata: ["refused": "\(state.refused)"])
                }
            }
            return PublishedEvent(topic: topic, family: family, epoch: epoch, seq: seq, queued: queued)
        }
    }

    /// Publishes an event, waiting for room in the I/O thread's queue instead of dropping it
    /// (backpressure for a bulk producer). Returns nil only when the loop is shutting down.
    public func publishWaiting(topic: String, type: String, encodedData: [UInt8]) async -> PublishedEvent? {
        let (topicFrame, family) = Self.split(topic)
        while true {
            let attempt = state.withLock { state -> Result<PublishedEvent, PublishRefusal> in
                // A family is recorded only once its first event is queued.
                let slot = state.families.firstIndex(of: family)
                let seq = (slot.map { state.lastSeqs[$0] } ?? 0) + 1
                let message = EnvelopeCodec.encode(
                    prefix: envelopePrefix, topic: topicFrame, seq: seq,
                    timestampMicroseconds: WallClock.microseconds(), type: type, data: encodedData)
                switch loop.send(message, on: socket) {
                case .queued:
                    // The seq is taken only once the event is queued, so waiting leaves no gap.
                    let index = slot ?? state.slot(of: family)
                    state.lastSeqs[index] = seq
                    state.queued += 1
                    return .success(PublishedEvent(topic: topic, family: family, epoch: epoch, seq: seq, queued: true))
                case .full: return .failure(.full)
                case .closed: return .failure(.closed)
                }
            }
            switch attempt {
            case .success(let event): return event
            case .failure(.closed): return nil
            case .failure(.full): await loop.waitForSpace()
            }
        }
    }

    private enum PublishRefusal: Error {
        case full
        case closed
    }

    /// Publishes an event whose seq was assigned elsewhere (by a durable outbox, in commit
    /// order). Seqs of a family must arrive here rising by one; the heartbeat reports the
    /// highest published.
    @discardableResult
    public func publish(topic: String, type: String, encodedData: [UInt8], seq: UInt64) -> PublishedEvent {
        let (topicFrame, family) = Self.split(topic)
        return state.withLock { state in
            let slot = state.slot(of: family)
            state.lastSeqs[slot] = max(state.lastSeqs[slot], seq)
            let message = EnvelopeCodec.encode(
                prefix: envelopePrefix, topic: topicFrame, seq: seq, timestampMicroseconds: WallClock.microseconds(),
                type: type, data: encodedData)
            let queued = loop.send(message, on: socket) == .queued
            if queued { state.queued += 1 } else { state.refused += 1 }
            return PublishedEvent(topic: topic, family: family, epoch: epoch, seq: seq, queued: queued)
        }
    }

    /// The last seq of every family published in this epoch.
    public func sequences() -> [String: UInt64] {
        state.withLock { $0.sequences }
    }

    /// Events that could not be queued (the I/O thread's outbound queue was full).
    public var refusedCount: Int { state.withLock { $0.refused } }

    /// Events handed to the I/O thread to send (heartbeats not counted).
    public var publishedCount: Int { state.withLock { $0.queued } }

    /// Sends `sys.<src>.hugz` with every family's last seq. Heartbeats consume no seq.
    public func sendHeartbeat() {
        state.withLock { state in
            var seqs = JSONObject()
            for (family, seq) in state.sequences.sorted(by: { $0.key < $1.key }) {
                seqs[family] = .int(Int64(seq))
            }
            let data: JSON = ["seqs": .object(seqs)]
            let message = EnvelopeCodec.encode(
                topic: "sys.\(source).hugz", source: source, epoch: epoch, seq: 0,
                timestampMicroseconds: WallClock.microseconds(), type: EventEnvelope.heartbeatType, data: data.bytes)
            loop.send(message, on: socket)
        }
    }

    /// Sends a heartbeat now and then every `interval` until the task is cancelled.
    public func runHeartbeats(interval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            sendHeartbeat()
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }

    /// Unbinds and closes the PUB socket.
    public func close() async {
        await loop.close(socket)
    }
}

/// What `publish` did.
public struct PublishedEvent: Sendable, Equatable {
    public let topic: String
    public let family: String
    public let epoch: UInt64
    public let seq: UInt64
    /// False when the I/O thread's queue was full and the event was dropped (a gap for consumers).
    public let queued: Bool
}
