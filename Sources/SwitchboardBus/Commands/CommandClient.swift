import Foundation
public import Logging
import Synchronization
public import ZeroMQ

/// Sends commands to an authority (the Lazy Pirate pattern over DEALER): each command carries
/// an id, is sent again with the same id after a growing interval until a reply comes or the
/// deadline passes, and then fails with an error that says what did not answer. Because the
/// server stores its replies by id, a command sent while the server is down is applied once
/// when it is back. Many commands may be in flight at once on one client.
public final class CommandClient: Sendable {
    public struct RetryPolicy: Sendable {
        /// Wait this long for the first reply before sending again; doubled each time up to
        /// `retrySecondsMax`. Kept short: a restarted service answers a repeated id from its
        /// stored replies at little cost, and a long backoff would hide its recovery.
        public var firstRetrySeconds = 0.2
        public var retrySecondsMax = 0.5
        /// Give up after this long (30 s by default; each call may set its own).
        public var deadlineSeconds = 30.0

        public init() {}
    }

    public let endpoint: String
    /// The service's name, for errors ("router").
    public let serviceName: String
    private let loop: SocketLoop
    private let handle: SocketHandle
    private let policy: RetryPolicy
    private let logger: Logger
    private let state = PendingBox()
    private let reader: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Connects to `endpoint`; with `security`, as a CURVE client (the server's public key must
    /// be in `security.serverPublicKeys`), and a server that refuses this process's key makes
    /// `send` fail with `CommandError.refused` instead of waiting for the deadline.
    public init(
        loop: SocketLoop, connect endpoint: String, serviceName: String, logger: Logger,
        policy: RetryPolicy = RetryPolicy(), options: SocketOptions = CommandClient.socketOptions,
        security: BusSecurity? = nil
    ) async throws(ZMQError) {
        var options = options
        // Queue only to a live connection: while the server is down a send is refused at once
        // and the retry timer sends again, instead of a pile of copies arriving at its restart.
        options.immediate = true
        if let security { options = try security.clientOptions(options, connectingTo: endpoint) }
        handle = try await loop.open(SocketSpec(type: .dealer, options: options, connect: [endpoint]))
        self.loop = loop
        self.endpoint = endpoint
        self.serviceName = serviceName
        self.policy = policy
        self.logger = logger
        let inbound = handle.inbound
        let task = Task { [state] in
            for await batch in inbound {
                for message in batch.messages {
                    guard message.frames.count == 1, let reply = try? CommandReply.parse(message.frames[0]),
                        let id = reply.id
                    else { continue }
                    for waiter in state.withLock({ $0.deliver(reply, for: id) }) {
                        waiter.resume(returning: .reply(reply))
                    }
                }
            }
        }
        reader.withLock { $0 = task }
    }

    /// A command client's socket options: the defaults, with reconnection every 50 ms at most
    /// instead of 250 ms. While a service restarts every client's connection attempts back off
    /// to the longest interval within a few hundred milliseconds, so a restarted service got its
    /// clients' commands up to 250 ms after it was ready, a quarter of a second lost at random in
    /// each restart (seen as steps of 0.25 s in `bench recovery --load`'s figures). A refused
    /// connection costs a SYN and a reset; a client holds one connection per service.
    public static let socketOptions: SocketOptions = {
        var options = SocketOptions()
        options.reconnectMaxMilliseconds = 50
        return options
    }()

    /// Sends a command and returns its result; throws `CommandError` on a NACK or at the deadline.
    public func send(
        _ type: String, data: JSON = [:], id: String = CommandClient.newID(), deadlineSeconds: Double? = nil
    ) async throws(CommandError) -> JSON {
        let reply = try await send(CommandRequest(id: id, type: type, data: data), deadlineSeconds: deadlineSeconds)
        switch reply.outcome {
        case .ok(let result): return result
        case .failed(let failure): throw .rejected(failure, id: id, type: type, service: serviceName)
        }
    }

    /// Sends a command and returns the reply as it came, NACK included.
    public func send(_ request: CommandRequest, deadlineSeconds: Double? = nil) async throws(CommandError)
        -> CommandReply
    {
        let deadline = deadlineSeconds ?? policy.deadlineSeconds
        let started = ContinuousClock.now
        let frame = Message(frames: [request.bytes])
        state.withLock { $0.active[request.id, default: 0] += 1 }
        defer { state.withLock { $0.finish(request.id) } }
        var interval = policy.firstRetrySeconds
        var attempts = 0
        while true {
            if Task.isCancelled { throw .cancelled(id: request.id, type: request.type) }
            if loop.send(frame, on: handle.id) == .closed {
                throw .closed(service: serviceName, endpoint: endpoint)
            }
            attempts += 1
            let elapsed = (ContinuousClock.now - started).seconds
            let wait = min(interval, max(0, deadline - elapsed))
            switch await waitForReply(request.id, seconds: wait) {
            case .reply(let reply):
                return reply
            case .cancelled:
                throw .cancelled(id: request.id, type: request.type)
            case .timeout:
                // Only a CURVE client's monitor reports refusals; an open socket has none. The
                // server's refusal of this key is final (libzmq does not try again); a handshake
                // that broke off may be a restart, so it only explains a deadline that passes.
                let refusal = handle.handshake.refusal
                if let refusal, case .authentication = refusal.kind {
                    throw .refused(service: serviceName, endpoint: endpoint, reason: refusal.description)
                }
                if (ContinuousClock.now - started).seconds >= deadline {
                    if let refusal {
                        throw .refused(service: serviceName, endpoint: endpoint, reason: refusal.description)
                    }
                    throw .timedOut(
                        id: request.id, type: request.type, service: serviceName, endpoint: endpoint,
                        seconds: deadline, attempts: attempts)
                }
                interval = min(interval * 2, policy.retrySecondsMax)
            }
        }
    }

    /// Stops reading replies and closes the socket; calls in flight end at their deadline.
    public func close() async {
        reader.withLock { $0?.cancel() }
        await loop.close(handle.id)
        let waiters = state.withLock { $0.drain() }
        for waiter in waiters { waiter.resume(returning: .cancelled) }
    }

    /// A fresh command id: a time-ordered UUID (version 7: the wall clock's milliseconds, then
    /// 74 random bits), so that ids sort in the order they were made. A service stores each
    /// command's reply keyed by its id; ids in time order land at the end of that index, where
    /// random ones (version 4) land each on a page of its own, and every such page is written
    /// again at the commit: with version 4 ids the replies were most of the router's disk writes.
    public static func newID() -> String {
        var bytes = UUID().uuid
        let milliseconds = UInt64(max(0, WallClock.microseconds() / 1_000))
        bytes.0 = UInt8(truncatingIfNeeded: milliseconds >> 40)
        bytes.1 = UInt8(truncatingIfNeeded: milliseconds >> 32)
        bytes.2 = UInt8(truncatingIfNeeded: milliseconds >> 24)
        bytes.3 = UInt8(truncatingIfNeeded: milliseconds >> 16)
        bytes.4 = UInt8(truncatingIfNeeded: milliseconds >> 8)
        bytes.5 = UInt8(truncatingIfNeeded: milliseconds)
        bytes.6 = 0x70 | (bytes.6 & 0x0F)
        bytes.8 = 0x80 | (bytes.8 & 0x3F)
        return UUID(uuid: bytes).uuidString.lowercased()
    }

    private func waitForReply(_ id: String, seconds: Double) async -> WaitResult {
        let token = state.withLock { $0.newToken() }
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<WaitResult, Never>) in
                let (early, startScanner) = state.withLock { state -> (CommandReply?, Bool) in
                    if let reply = state.early[id] { return (reply, false) }
                    state.register(continuation, token: token, for: id, deadline: deadline)
                    return (nil, state.claimScanner())
                }
                if let early {
                    continuation.resume(returning: .reply(early))
                } else if startScanner {
                    Self.scanDeadlines(state)
                }
            }
        } onCancel: {
            state.withLock { $0.takeWaiter(id, token: token) }?.resume(returning: .cancelled)
        }
        return result
    }

    /// Times out waits whose deadline passed, while any wait is registered: one task per client
    /// with waits, instead of a timer task per attempt.
    private static func scanDeadlines(_ state: PendingBox) {
        Task {
            while true {
                try? await Task.sleep(for: .milliseconds(Int64(deadlineScanSeconds * 1_000)))
                let (expired, stop) = state.withLock { $0.takeExpired(now: .now) }
                for waiter in expired { waiter.resume(returning: .timeout) }
                if stop { return }
            }
        }
    }

    /// How often waits are checked against their deadlines (retries are 200 ms apart at least).
    static let deadlineScanSeconds = 0.01

    fileprivate enum WaitResult: Sendable {
        case reply(CommandReply)
        case timeout
        case cancelled
    }

    /// The pending state in a class, so the reader and timer tasks can share it.
    private final class PendingBox: Sendable {
        private let mutex = Mutex(PendingState())

        func withLock<Result>(_ body: (inout PendingState) -> Result) -> Result {
            mutex.withLock { body(&$0) }
        }
    }

    fileprivate struct PendingState {
        /// Attempts waiting for a reply, by command id and then by attempt token: the same id
        /// may be in flight from several callers at once, and one reply answers them all.
        var waiters: [String: [Int: CheckedContinuation<WaitResult, Never>]] = [:]
        /// Ids with a `send` in progress (counted: the same id may be sent twice at once).
        var active: [String: Int] = [:]
        /// A reply that came while no attempt was waiting (between a timeout and the resend).
        var early: [String: CommandReply] = [:]
        /// When each waiting attempt times out, by attempt token.
        var deadlines: [Int: (id: String, at: ContinuousClock.Instant)] = [:]
        /// A task checks the deadlines while any is registered.
        var scannerRunning = false
        var nextToken = 0

        mutating func newToken() -> Int {
            nextToken += 1
            return nextToken
        }

        /// Returns the waiters to resume, or keeps the reply for the next attempt.
        mutating func deliver(_ reply: CommandReply, for id: String) -> [CheckedContinuation<WaitResult, Never>] {
            if let waiting = waiters.removeValue(forKey: id), !waiting.isEmpty {
                for token in waiting.keys { deadlines.removeValue(forKey: token) }
                return Array(waiting.values)
            }
            if active[id] != nil { early[id] = reply }
            return []
        }

        /// Registers a waiter until `deadline`.
        mutating func register(
            _ waiter: CheckedContinuation<WaitResult, Never>, token: Int, for id: String,
            deadline: ContinuousClock.Instant
        ) {
            waiters[id, default: [:]][token] = waiter
            deadlines[token] = (id, deadline)
        }

        /// True when the caller must start the deadline scanner.
        mutating func claimScanner() -> Bool {
            if scannerRunning { return false }
            scannerRunning = true
            return true
        }

        mutating func takeWaiter(_ id: String, token: Int) -> CheckedContinuation<WaitResult, Never>? {
            deadlines.removeValue(forKey: token)
            let waiter = waiters[id]?.removeValue(forKey: token)
            if waiters[id]?.isEmpty == true { waiters.removeValue(forKey: id) }
            return waiter
        }

        /// The waiters whose deadline passed, and whether the scanner may stop (nothing left).
        mutating func takeExpired(now: ContinuousClock.Instant) -> ([CheckedContinuation<WaitResult, Never>], Bool) {
            var expired: [CheckedContinuation<WaitResult, Never>] = []
            for (token, entry) in deadlines where entry.at <= now {
                if let waiter = takeWaiter(entry.id, token: token) { expired.append(waiter) }
            }
            if deadlines.isEmpty {
                scannerRunning = false
                return (expired, true)
            }
            return (expired, false)
        }

        mutating func finish(_ id: String) {
            let remaining = (active[id] ?? 1) - 1
            if remaining > 0 {
                active[id] = remaining
            } else {
                active.removeValue(forKey: id)
                early.removeValue(forKey: id)
            }
        }

        mutating func drain() -> [CheckedContinuation<WaitResult, Never>] {
            defer {
                waiters.removeAll()
                deadlines.removeAll()
            }
            return waiters.values.flatMap(\.values)
        }
    }
}

/// Why a command did not succeed.
public enum CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service answered with a NACK.
    case rejected(CommandFailure, id: String, type: String, service: String)
    /// No reply before the deadline, after `attempts` sends.
    case timedOut(id: String, type: String, service: String, endpoint: String, seconds: Double, attempts: Int)
    case cancelled(id: String, type: String)
    case closed(service: String, endpoint: String)
    /// The service's CURVE handshake refused this process (its key is not allowed there, or the
    /// server key configured here is wrong); retrying will not help.
    case refused(service: String, endpoint: String, reason: String)

    public var description: String {
        switch self {
        case .rejected(let failure, let id, let type, let service):
            "the \(service) refused \(type) (id \(id)): \(failure.message) [\(failure.code)]"
        case .timedOut(let id, let type, let service, let endpoint, let seconds, let attempts):
            "no reply from the \(service) at \(endpoint) to \(type) (id \(id)) within \(Int(seconds)) s "
                + "after \(attempts) attempts; is it running? (`switchboard up` starts it)"
        case .cancelled(let id, let type):
            "\(type) (id \(id)) was cancelled before a reply came"
        case .closed(let service, let endpoint):
            "the connection to the \(service) at \(endpoint) is closed"
        case .refused(let service, _, let reason):
            "the \(service) did not let this process in: \(reason)"
        }
    }

    /// The NACK's failure, when the service answered with one.
    public var failure: CommandFailure? {
        if case .rejected(let failure, _, _, _) = self { failure } else { nil }
    }
}
