import AsyncAlgorithms
import Foundation
public import Logging
import Synchronization
public import ZeroMQ

/// A consumer's view of one authority: subscribes to its events, takes snapshots from its
/// state endpoint, and hands the consumer a snapshot followed by events in order, starting over
/// whenever a gap or a restart shows the view could be wrong (the Clone pattern, with
/// `ReplicaMachine` as its logic). Correctness never depends on every event arriving.
public final class Replica: Sendable {
    public struct Options: Sendable {
        public var snapshotTimeoutSeconds = 3.0
        public var silenceSeconds = 3.5
        public var bufferMax = 200_000
        /// Hand heartbeats to the consumer too (as events of type `sys.heartbeat`).
        public var deliverHeartbeats = false
        /// The SUB socket's options (its receive high-water mark bounds what waits in libzmq).
        public var subscriberOptions = SocketOptions()
        /// Messages waiting for the consumer before the SUB socket is no longer read (libzmq then
        /// drops at its high-water mark, which shows up as a gap).
        public var inboundMessagesMax = 65_536
        /// CURVE for the SUB socket and the snapshot requests (nil: open sockets). The publisher's
        /// and state endpoint's public keys must be in `serverPublicKeys`.
        public var security: BusSecurity? = nil

        public init() {}

        /// The defaults, with `security` on the replica's sockets.
        public init(security: BusSecurity?) {
            self.security = security
        }
    }

    public let publishEndpoint: String
    public let stateEndpoint: String?
    private let loop: SocketLoop
    private let prefixes: [String]
    private let options: Options
    private let logger: Logger
    public let malformed: MalformedInputLog
    private let counters = Mutex(Counters())

    /// Counts of what the replica has done, for tests and status views.
    public struct Counters: Sendable, Equatable {
        public var snapshotsApplied = 0
        public var snapshotRequests = 0
        public var eventsDelivered = 0
        /// Times the view started over: a gap, an epoch change, a heartbeat ahead of it.
        public var resynchronizations = 0
        /// Whether the view is live now (a snapshot applied and events following it in order).
        public var live = false
    }

    /// - Parameters:
    ///   - publish: the authority's PUB endpoint.
    ///   - state: its state endpoint; nil for a publisher without one (gaps are then reported
    ///     as `.gap` but cannot be repaired).
    ///   - prefixes: topic prefixes wanted (`conv.`, `agent.a-7.`); empty means everything.
    public init(
        loop: SocketLoop, publish: String, state: String?, prefixes: [String], logger: Logger,
        options: Options = Options()
    ) {
        self.loop = loop
        self.publishEndpoint = publish
        self.stateEndpoint = state
        self.prefixes = prefixes
        self.options = options
        self.logger = logger
        self.malformed = MalformedInputLog(logger: logger, context: "events from \(publish)")
    }

    public var counts: Counters { counters.withLock { $0 } }

    /// Runs the procedure, calling `handler` with each update in order, until the task is
    /// cancelled or the loop shuts down. The handler runs inline: while it is busy, events wait
    /// (and past the bounds are dropped, which the next seq shows as a gap to repair).
    public func run(_ handler: @Sendable (ReplicaUpdate) async -> Void) async throws(ZMQError) {
        var settings = ReplicaMachine.Settings()
        settings.snapshotsEnabled = stateEndpoint != nil
        settings.snapshotTimeoutSeconds = options.snapshotTimeoutSeconds
        settings.silenceSeconds = options.silenceSeconds
        settings.bufferMax = options.bufferMax
        settings.deliverHeartbeats = options.deliverHeartbeats
        var machine = ReplicaMachine(prefixes: prefixes, settings: settings)

        var subscriberOptions = options.subscriberOptions
        subscriberOptions.subscriptions = machine.subscriptions
        if let security = options.security {
            subscriberOptions = try security.clientOptions(subscriberOptions, connectingTo: publishEndpoint)
        }
        let subscriber = try await loop.open(
            SocketSpec(
                type: .subscriber, options: subscriberOptions, connect: [publishEndpoint],
                inboundMessagesMax: options.inboundMessagesMax))
        // A channel, not a buffer: a forwarder waits until the loop below takes its input, so a
        // slow handler pushes back on the SUB socket (and libzmq's drop shows up as a gap).
        let input = AsyncChannel<Input>()
        let forwarders = TaskGroupHolder()
        forwarders.add(
            Task {
                for await batch in subscriber.inbound { await input.send(.events(batch.messages)) }
                input.finish()
            })
        forwarders.add(
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    await input.send(.tick)
                }
            })
        var dealer: SocketHandle?
        var generation = 0
        defer {
            forwarders.cancelAll()
            input.finish()
        }
        let started = ContinuousClock.now
        func now() -> Double {
            let elapsed = ContinuousClock.now - started
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }

        await withTaskCancellationHandler {
            reading: for await next in input {
                if Task.isCancelled { break }
                var actions: [ReplicaMachine.Action] = []
                switch next {
                case .events(let messages):
                    for message in messages {
                        do throws(MalformedInput) {
                            actions += machine.receive(try EnvelopeCodec.decode(message), now: now())
                        } catch {
                            malformed.record(error)
                        }
                    }
                case .snapshot(let replyGeneration, let messages):
                    guard replyGeneration == generation else { continue }
                    for message in messages {
                        guard message.frames.count == 2 else {
                            malformed.record(
                                MalformedInput(code: "bad_frames", message: "a snapshot reply message has two frames"))
                            continue
                        }
                        actions += machine.receiveSnapshot(kind: message.frames[0], body: message.frames[1], now: now())
                    }
                case .tick:
                    if let refusal = subscriber.handshake.refusal ?? dealer?.handshake.refusal,
                        case .authentication = refusal.kind
                    {
                        // Retrying with the same key cannot succeed: say so instead of going silent.
                        let update = ReplicaUpdate.status(.failed(refusal.description))
                        record(update)
                        await handler(update)
                        break reading
                    }
                    actions += machine.tick(now: now())
                }
                for action in actions {
                    switch action {
                    case .deliver(let update):
                        record(update)
                        await handler(update)
                    case .requestSnapshot(let prefix):
                        generation += 1
                        if let old = dealer { await loop.close(old.id) }
                        dealer = await requestSnapshot(
                            prefix: prefix, generation: generation, input: input, forwarders: forwarders)
                    }
                }
            }
        } onCancel: {
            input.finish()
        }
        if let dealer { await loop.close(dealer.id) }
        await loop.close(subscriber.id)
    }

    private func record(_ update: ReplicaUpdate) {
        counters.withLock { counters in
            switch update {
            case .snapshot: counters.snapshotsApplied += 1
            case .event: counters.eventsDelivered += 1
            case .status(.live): counters.live = true
            case .status(.resyncing), .status(.gap):
                counters.live = false
                counters.resynchronizations += 1
            case .status(.failed):
                counters.live = false
            case .status: break
            }
        }
        if case .status(let status) = update {
            switch status {
            case .live(let source, let epoch):
                logger.debug("replica live", metadata: ["source": "\(source)", "epoch": "\(epoch)"])
            case .resyncing(let reason), .gap(let reason):
                logger.info("replica of \(publishEndpoint): \(reason)")
            case .silent(let source, let seconds):
                logger.info("no word from \(source) at \(publishEndpoint) for \(Int(seconds)) s")
            case .failed(let reason):
                logger.error("replica of \(publishEndpoint) stopped: \(reason)")
            }
        }
    }

    /// Opens a fresh DEALER for one snapshot attempt (so a late reply to an abandoned attempt
    /// can never be mistaken for this one) and sends the request.
    private func requestSnapshot(
        prefix: String?, generation: Int, input: AsyncChannel<Input>, forwarders: TaskGroupHolder
    ) async -> SocketHandle? {
        guard let stateEndpoint else { return nil }
        counters.withLock { $0.snapshotRequests += 1 }
        var options = SocketOptions()
        options.receiveHighWaterMark = 0  // a snapshot is as large as the state
        do {
            if let security = self.options.security {
                options = try security.clientOptions(options, connectingTo: stateEndpoint)
            }
            let dealer = try await loop.open(
                SocketSpec(type: .dealer, options: options, connect: [stateEndpoint], inboundMessagesMax: 1 << 20))
            forwarders.add(
                Task {
                    for await batch in dealer.inbound { await input.send(.snapshot(generation, batch.messages)) }
                })
            var request: JSON = ["v": 1, "type": "snapshot"]
            if case .object(var object) = request, let prefix {
                object["prefix"] = .string(prefix)
                request = .object(object)
            }
            loop.send(Message(frames: [request.bytes]), on: dealer.id)
            return dealer
        } catch {
            logger.warning("cannot open a snapshot request to \(stateEndpoint): \(error)")
            return nil
        }
    }

    private enum Input: Sendable {
        case events([Message])
        case snapshot(Int, [Message])
        case tick
    }
}

/// Tasks started by a replica, cancelled together when it stops.
private final class TaskGroupHolder: Sendable {
    private let tasks = Mutex<[Task<Void, Never>]>([])

    func add(_ task: Task<Void, Never>) {
        tasks.withLock { $0.append(task) }
    }

    func cancelAll() {
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }
}
