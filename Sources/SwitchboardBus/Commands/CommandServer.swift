public import Logging
public import ZeroMQ

/// Applies commands to an authority's state. It receives them in batches (so a durable
/// authority commits a batch in one transaction) and returns one outcome per command, in
/// order. It is called with new ids only: repeats are answered from the `CommandReplyStore`.
public protocol CommandHandler: Sendable {
    func handle(_ commands: [CommandRequest]) async -> [CommandOutcome]
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
    public let malformed: MalformedInputLog

    public init(
        loop: SocketLoop, bind endpoint: String, handler: any CommandHandler, store: any CommandReplyStore,
        logger: Logger, options: SocketOptions = SocketOptions()
    ) async throws(ZMQError) {
        var options = options
        options.routerMandatory = true
        handle = try await loop.open(SocketSpec(type: .router, options: options, bind: [endpoint]))
        self.endpoint = handle.boundEndpoints.first ?? endpoint
        self.loop = loop
        self.handler = handler
        self.store = store
        self.logger = logger
        self.malformed = MalformedInputLog(logger: logger, context: "command endpoint \(endpoint)")
    }

    /// The most commands served (and so committed) together.
    public static let servedMessagesMax = 8_192

    /// Serves until the socket closes or the task is cancelled. One batch is served at a time,
    /// and each holds every command that arrived while the previous one was being served (the
    /// inbound stream hands over all that waits): under load the batches grow, so one
    /// transaction answers many commands.
    public func run() async {
        for await batch in handle.inbound {
            if Task.isCancelled { return }
            var start = 0
            while start < batch.messages.count {
                let end = min(batch.messages.count, start + Self.servedMessagesMax)
                await serve(Array(batch.messages[start..<end]))
                start = end
            }
        }
    }

    public func close() async {
        await loop.close(handle.id)
    }

    private func serve(_ messages: [Message]) async {
        var fresh: [CommandRequest] = []
        var waiting: [String: [[UInt8]]] = [:]  // id → identities to answer
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
            case .success(let request): requests.append((identity, request))
            }
        }
        guard !requests.isEmpty else { return }
        let stored = await store.storedReplies(for: requests.map(\.request.id))
        for (identity, request) in requests {
            if let reply = stored[request.id] {
                send(reply, to: identity)
            } else if waiting[request.id] != nil {
                waiting[request.id]?.append(identity)  // a retry inside the same batch
            } else {
                waiting[request.id] = [identity]
                fresh.append(request)
            }
        }
        guard !fresh.isEmpty else { return }
        var outcomes = await handler.handle(fresh)
        if outcomes.count != fresh.count {
            logger.error("command handler returned \(outcomes.count) outcomes for \(fresh.count) commands")
            outcomes = fresh.map { _ in
                .failed(CommandFailure(code: .internal, message: "the service lost track of this command; retry it"))
            }
        }
        var replies: [(id: String, reply: [UInt8])] = []
        replies.reserveCapacity(fresh.count)
        for (request, outcome) in zip(fresh, outcomes) {
            replies.append((request.id, CommandReply(id: request.id, outcome: outcome).bytes))
        }
        await store.save(replies)
        for (id, reply) in replies {
            for identity in waiting[id] ?? [] { send(reply, to: identity) }
        }
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
