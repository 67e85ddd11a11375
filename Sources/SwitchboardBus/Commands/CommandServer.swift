public import Logging
import Synchronization
public import ZeroMQ

/// Applies commands to an authority's state. It receives them in batches (so a durable
/// authority commits a batch in one transaction) and returns one outcome per command, in
/// order. It is called with new ids only: repeats are answered from the `CommandReplyStore`.
public protocol CommandHandler: Sendable {
    func handle(_ commands: [CommandRequest]) async -> [CommandOutcome]

    /// Queues `commands` behind every batch queued before, now, and returns their outcomes to
    /// come; nil when the handler does not pipeline (the server then awaits `handle`, one batch
    /// at a time). A pipelining handler lets the server read, check and queue the next batch
    /// while this one is applied and committed.
    func enqueue(_ commands: [CommandRequest]) -> PendingOutcomes?
}

extension CommandHandler {
    public func enqueue(_ commands: [CommandRequest]) -> PendingOutcomes? { nil }
}

/// A handler made of a closure that takes one command at a time.
public struct ClosureCommandHandler: CommandHandler {
    private let body: @Sendable (CommandRequest) async -> CommandOutcome

    public init(_ body: @escaping @Sendable (CommandRequest) async -> CommandOutcome) {
        self.body = body
    }

    public func handle(_ commands: [CommandRequest]) async -> [CommandOutcome] {
        var outcomes: [CommandOutcome] = []
        outcomes.reserveCapacity(commands.count)
        for command in commands { outcomes.append(await body(command)) }
        return outcomes
    }
}

/// The command endpoint of an authority: a ROUTER that validates each frame, answers a
/// malformed one with a NACK naming the fault, answers a repeated id with the stored reply,
/// and hands new commands to the handler in batches.
public final class CommandServer: Sendable {
    public let endpoint: String
    private let loop: SocketLoop
    private let handle: SocketHandle
    private let handler: any CommandHandler
    private let store: any CommandReplyStore
    private let logger: Logger
    private let observer: (any CommandObserver)?
    public let malformed: MalformedInputLog
    /// Command ids queued at the handler and not yet answered, with the clients to answer.
    private let inFlight = Mutex<[String: InFlightCommand]>([:])

    private struct InFlightCommand {
        let principal: String?
        var identities: [[UInt8]]
    }

    /// Binds the command endpoint; with `security`, a CURVE server that only listed clients reach,
    /// and each command carries its sender's principal (`CommandRequest.principal`).
    public init(
        loop: SocketLoop, bind endpoint: String, handler: any CommandHandler, store: any CommandReplyStore,
        logger: Logger, options: SocketOptions = SocketOptions(), security: BusSecurity? = nil,
        observer: (any CommandObserver)? = nil
    ) async throws(ZMQError) {
        var options = options
        options.routerMandatory = true
        handle = try await BusSecurity.openServer(
            SocketSpec(type: .router, options: options, bind: [endpoint]), security: security, loop: loop,
            logger: logger)
        self.endpoint = handle.boundEndpoints.first ?? endpoint
        self.loop = loop
        self.handler = handler
        self.store = store
        self.logger = logger
        self.observer = observer
        self.malformed = MalformedInputLog(logger: logger, context: "command endpoint \(endpoint)")
    }

    /// The most commands served (and so committed) together.
    public static let servedMessagesMax = 8_192
    /// Batches queued at a pipelining handler and not yet answered.
    public static let batchesInFlightMax = 4

    /// Serves until the socket closes or the task is cancelled. Each batch holds every command
    /// that arrived while the previous one was being served (the inbound stream hands over all
    /// that waits): under load the batches grow, so one transaction answers many commands. With
    /// a pipelining handler (`enqueue`), the next batch is read, checked and queued while the
    /// previous ones are applied and committed, and replies go out in order by a task of their
    /// own.
    public func run() async {
        let (answers, answering) = AsyncStream<QueuedBatch>.makeStream()
        let slots = InFlightSlots(limit: Self.batchesInFlightMax)
        let sender = Task { [self] in
            for await batch in answers {
                await answer(batch)
                slots.release()
            }
        }
        reading: for await batch in handle.inbound {
            var start = 0
            while start < batch.messages.count {
                if Task.isCancelled { break reading }
                let end = min(batch.messages.count, start + Self.servedMessagesMax)
                await serve(Array(batch.messages[start..<end]), slots: slots, answering: answering)
                start = end
            }
        }
        answering.finish()
        await sender.value
    }

    public func close() async {
        await loop.close(handle.id)
    }

    /// A batch queued at a pipelining handler, waiting for its outcomes.
    struct QueuedBatch: Sendable {
        let fresh: [CommandRequest]
        let outcomes: PendingOutcomes
        /// When the batch's messages were taken from the socket.
        let received: ContinuousClock.Instant
    }

    private func serve(_ messages: [Message], slots: InFlightSlots, answering: AsyncStream<QueuedBatch>.Continuation)
        async
    {
        let received = ContinuousClock.now
        var fresh: [CommandRequest] = []
        var requests: [(identity: [UInt8], request: CommandRequest)] = []
        for message in messages {
            guard let identity = message.frames.first, !identity.isEmpty else { continue }
            guard message.frames.count == 2 else {
                reject(
                    identity,
                    CommandRejection(
                        id: nil,
                        failure: CommandFailure(
                            code: .badFrames,
                            message:
                                "a command is exactly one frame of JSON; this message has \(message.frames.count - 1)"
                        )))
                continue
            }
            switch CommandRequest.parse(message.frames[1]) {
            case .failure(let rejection): reject(identity, rejection)
            case .success(var request):
                // Who sent it, as the ZAP handler authenticated the connection; never from the JSON.
                request.principal = message.userID.flatMap { $0.isEmpty ? nil : $0 }
                requests.append((identity, request))
            }
        }
        guard !requests.isEmpty else { return }
        // A command still in flight (queued in an earlier batch, not yet answered) gets the
        // same reply when it comes; checked before the stored replies, since an id leaves the
        // in-flight table only after its reply is stored.
        var unknown: [(identity: [UInt8], request: CommandRequest)] = []
        var foreign: [(identity: [UInt8], request: CommandRequest)] = []
        inFlight.withLock { inFlight in
            for (identity, request) in requests {
                if let waiting = inFlight[request.id] {
                    // Another sender's command under the same id must not be answered with its reply.
                    if waiting.principal == request.principal {
                        inFlight[request.id]?.identities.append(identity)
                    } else {
                        foreign.append((identity, request))
                    }
                } else {
                    unknown.append((identity, request))
                }
            }
        }
        for (identity, request) in foreign { send(Self.idTaken(request).bytes, to: identity) }
        guard !unknown.isEmpty else { return }
        let stored = await store.storedReplies(for: unknown.map { ($0.request.id, $0.request.principal) })
        inFlight.withLock { inFlight in
            for (identity, request) in unknown {
                if let reply = stored[request.id] {
                    send(reply, to: identity)
                } else if let waiting = inFlight[request.id] {
                    // A retry inside the same batch, or another sender's command under the same id.
                    if waiting.principal == request.principal {
                        inFlight[request.id]?.identities.append(identity)
                    } else {
                        send(Self.idTaken(request).bytes, to: identity)
                    }
                } else {
                    inFlight[request.id] = InFlightCommand(principal: request.principal, identities: [identity])
                    fresh.append(request)
                }
            }
        }
        guard !fresh.isEmpty else { return }
        if let outcomes = handler.enqueue(fresh) {
            await slots.acquire()
            answering.yield(QueuedBatch(fresh: fresh, outcomes: outcomes, received: received))
        } else {
            let outcomes = PendingOutcomes()
            outcomes.fulfil(await handler.handle(fresh))
            await answer(QueuedBatch(fresh: fresh, outcomes: outcomes, received: received))
        }
    }

    /// Waits for a batch's outcomes, stores what the handler did not, and answers every client
    /// waiting for each id.
    private func answer(_ batch: QueuedBatch) async {
        var outcomes = await batch.outcomes.value
        if outcomes.count != batch.fresh.count {
            logger.error("command handler returned \(outcomes.count) outcomes for \(batch.fresh.count) commands")
            outcomes = batch.fresh.map { _ in
                .failed(CommandFailure(code: .internal, message: "the service lost track of this command; retry it"))
            }
        }
        var replies: [(id: String, reply: [UInt8])] = []
        var kept: [(id: String, reply: [UInt8])] = []
        replies.reserveCapacity(batch.fresh.count)
        for (request, outcome) in zip(batch.fresh, outcomes) {
            let reply = (request.id, CommandReply(id: request.id, outcome: outcome).bytes)
            replies.append(reply)
            // A refusal for who sent it says nothing about the id: the right sender's retry must run.
            if case .failed(let failure) = outcome, failure.code == .forbidden { continue }
            kept.append(reply)
        }
        await store.save(kept)
        let waiting = inFlight.withLock { inFlight in
            replies.map { inFlight.removeValue(forKey: $0.id)?.identities ?? [] }
        }
        for ((_, reply), identities) in zip(replies, waiting) {
            for identity in identities { send(reply, to: identity) }
        }
        if let observer {
            let elapsed = ContinuousClock.now - batch.received
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            for (request, outcome) in zip(batch.fresh, outcomes) {
                observer.handled(type: request.type, outcome: outcome, seconds: seconds)
            }
        }
    }

    /// The answer to a command whose id another sender's command holds.
    static func idTaken(_ request: CommandRequest) -> CommandReply {
        CommandReply(
            id: request.id,
            outcome: .failed(
                CommandFailure(
                    code: .forbidden,
                    message: "the command id '\(request.id)' belongs to another sender's command; "
                        + "give every command an id of its own")))
    }

    private func reject(_ identity: [UInt8], _ rejection: CommandRejection) {
        malformed.record(MalformedInput(code: rejection.failure.code.rawValue, message: rejection.failure.message))
        send(CommandReply(id: rejection.id, outcome: .failed(rejection.failure)).bytes, to: identity)
    }

    private func send(_ reply: [UInt8], to identity: [UInt8]) {
        // A vanished client is counted by the socket; it will retry and get the stored reply.
        loop.send(Message(frames: [identity, reply]), on: handle.id)
    }
}

/// A bound on the batches queued at a pipelining handler and not yet answered: the reader waits
/// for a slot before it queues the next batch.
final class InFlightSlots: Sendable {
    private struct State {
        var used = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                if state.used < limit {
                    state.used += 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    func release() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            // A waiter takes the freed slot over: `used` stays.
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.used -= 1
            return nil
        }
        waiter?.resume()
    }
}

/// What a command server reports of each new command it answered (metrics read it; repeats
/// answered from the store and refused frames are not reported).
public protocol CommandObserver: Sendable {
    /// `seconds` from taking the command's batch off the socket to sending its reply.
    func handled(type: String, outcome: CommandOutcome, seconds: Double)
}
