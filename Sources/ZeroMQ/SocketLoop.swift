import CZeroMQ
import Glibc
public import Logging
import Synchronization

/// The one I/O thread of a process. It creates every ZeroMQ socket, and only it touches them:
/// it loops on `zmq_poll` over the sockets plus a wake-up eventfd. Actors hand it outbound
/// messages through a bounded, lock-protected queue and get inbound messages in batches
/// through one stream per socket. Inbound is flow-controlled: when a consumer has
/// `inboundMessagesMax` messages waiting, the loop stops reading that socket, so libzmq's own
/// queue fills and pushes back on the sender (a PUB then drops for that subscriber, which the
/// bus sees as a gap and repairs; a command client's sends are refused and it retries).
/// Nothing is dropped silently in between.
public final class SocketLoop: Sendable {
    /// The most messages read from one socket in one pass, so one busy socket cannot starve
    /// the others or the outbound queue.
    public static let receiveBatchMax = 512

    public var name: String { core.name }
    private let core: LoopCore
    private let thread: Mutex<IOThread?>

    /// Starts the I/O thread with its own ZeroMQ context.
    /// - Parameter outboundCapacity: messages that may wait for the I/O thread before
    ///   `send` reports `.full`.
    public init(name: String, logger: Logger, outboundCapacity: Int = 65_536) throws(ZMQError) {
        let core = LoopCore(name: name, logger: logger, outboundCapacity: outboundCapacity, wake: try WakeSignal())
        self.core = core
        self.thread = Mutex(nil)
        guard let context = zmq_ctx_new() else { throw ZMQError.last("create context") }
        let contextBox = ContextPointer(context)
        do {
            let thread = try IOThread(name: name) {
                LoopState(context: contextBox.raw, core: core).run()
                core.finish()
            }
            self.thread.withLock { $0 = thread }
        } catch {
            zmq_ctx_term(context)
            throw error
        }
    }

    deinit {
        // Without an explicit shutdown, still ask the thread to stop; it exits on its own.
        core.requestStop(waiter: nil)
    }

    // MARK: Opening and closing sockets

    /// Creates a socket on the I/O thread, binds and connects it, and starts polling it.
    public func open(_ spec: SocketSpec) async throws(ZMQError) -> SocketHandle {
        let result: Result<SocketHandle, ZMQError> = await withCheckedContinuation { continuation in
            let accepted = enqueueControl(.open(spec, continuation))
            if !accepted {
                continuation.resume(returning: .failure(ZMQError(code: ETERM, operation: "open \(spec.type) socket")))
            }
        }
        return try result.get()
    }

    /// Binds `authenticator` as this loop's ZAP handler (`inproc://zeromq.zap.01` in the loop's
    /// context), answered on the I/O thread. Call it before opening any CURVE server socket: such
    /// a socket is refused without it. Installing again replaces the handler (the socket stays).
    public func installAuthenticator(_ authenticator: CurveAuthenticator) async throws(ZMQError) {
        _ = try await install(authenticator, replacing: true)
    }

    /// The authenticator in force, installing `authenticator` first when there is none (so that
    /// several servers of one process share the first one, and a reload through it reaches all).
    public func authenticator(installingIfAbsent authenticator: CurveAuthenticator) async throws(ZMQError)
        -> CurveAuthenticator
    {
        try await install(authenticator, replacing: false)
    }

    /// The ZAP handler in force, if any: replace its allow-list to revoke or add keys.
    public var currentAuthenticator: CurveAuthenticator? { core.authenticator }

    private func install(_ authenticator: CurveAuthenticator, replacing: Bool) async throws(ZMQError)
        -> CurveAuthenticator
    {
        let result: Result<CurveAuthenticator, ZMQError> = await withCheckedContinuation { continuation in
            if !enqueueControl(.installAuthenticator(authenticator, replacing: replacing, continuation)) {
                continuation.resume(
                    returning: .failure(ZMQError(code: ETERM, operation: "bind \(CurveAuthenticator.endpoint)")))
            }
        }
        return try result.get()
    }

    /// Changes a live socket (connect, disconnect, subscribe, unsubscribe).
    public func perform(_ action: SocketAction, on socket: SocketID) async throws(ZMQError) {
        let result: Result<Void, ZMQError> = await withCheckedContinuation { continuation in
            if !enqueueControl(.perform(socket, action, continuation)) {
                continuation.resume(returning: .failure(ZMQError(code: ETERM, operation: "\(action)")))
            }
        }
        try result.get()
    }

    /// Closes a socket (its inbound stream finishes). Returns once it is closed.
    public func close(_ socket: SocketID) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if !enqueueControl(.close(socket, continuation)) {
                continuation.resume()
            }
        }
    }

    /// Stops the I/O thread: queued messages get one last send, every socket closes with its
    /// bounded linger, every inbound stream finishes, the context terminates and the thread
    /// is joined. Safe to call more than once.
    public func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            core.requestStop(waiter: continuation)
        }
        // The thread resumed us as its last act, so this only reaps it.
        let thread = self.thread.withLock { thread -> IOThread? in
            defer { thread = nil }
            return thread
        }
        thread?.join()
    }

    // MARK: Sending

    /// Queues `message` for `socket` without waiting. `.full` means the I/O thread is behind
    /// by `outboundCapacity` messages: the caller decides (drop and count, or `sendWaiting`).
    @discardableResult
    public func send(_ message: Message, on socket: SocketID) -> SendResult {
        core.send(message, on: socket)
    }

    /// Queues several messages in order, as far as space allows; returns how many were queued.
    @discardableResult
    public func send(_ messages: [Message], on socket: SocketID) -> Int {
        core.send(messages, on: socket)
    }

    /// Queues `message`, waiting for room when the outbound queue is full (backpressure).
    /// Returns false only when the loop is shutting down.
    public func sendWaiting(_ message: Message, on socket: SocketID) async -> Bool {
        await core.sendWaiting(message, on: socket)
    }

    /// Returns once the outbound queue has room again (or the loop is stopping).
    public func waitForSpace() async {
        await core.waitForSpace()
    }

    /// Counters of a socket, readable from any thread.
    public func counters(of socket: SocketID) -> SocketCounters? {
        core.counters(of: socket)
    }

    private func enqueueControl(_ operation: ControlOperation) -> Bool {
        core.enqueueControl(operation)
    }
}

/// Identifies a socket of a `SocketLoop`.
public struct SocketID: Hashable, Sendable, CustomStringConvertible {
    let value: Int
    public var description: String { "socket#\(value)" }
}

/// What `SocketLoop.send` did with a message.
public enum SendResult: Sendable, Equatable {
    case queued
    /// The outbound queue is at capacity.
    case full
    /// The loop is shutting down.
    case closed
}

/// A change to a live socket.
public enum SocketAction: Sendable, Hashable, CustomStringConvertible {
    case connect(String)
    case disconnect(String)
    case subscribe(String)
    case unsubscribe(String)

    public var description: String {
        switch self {
        case .connect(let endpoint): "connect \(endpoint)"
        case .disconnect(let endpoint): "disconnect \(endpoint)"
        case .subscribe(let prefix): "subscribe \"\(prefix)\""
        case .unsubscribe(let prefix): "unsubscribe \"\(prefix)\""
        }
    }
}

/// How to create a socket.
public struct SocketSpec: Sendable {
    public var type: SocketType
    public var options: SocketOptions
    public var bind: [String]
    public var connect: [String]
    /// Poll the socket for input and deliver it on `SocketHandle.inbound` (PUB sockets need not).
    public var receives: Bool
    /// Messages delivered but not yet taken by the consumer before the loop stops reading.
    public var inboundMessagesMax: Int
    /// Frames beyond this are discarded from a received message (it is then marked truncated).
    public var framesMax: Int

    public init(
        type: SocketType, options: SocketOptions = SocketOptions(), bind: [String] = [], connect: [String] = [],
        receives: Bool? = nil, inboundMessagesMax: Int = 65_536, framesMax: Int = 16
    ) {
        self.type = type
        self.options = options
        self.bind = bind
        self.connect = connect
        self.receives = receives ?? (type != .publisher)
        self.inboundMessagesMax = inboundMessagesMax
        self.framesMax = framesMax
    }
}

/// A batch of received messages, in arrival order.
public struct InboundBatch: Sendable {
    public var messages: [Message]
    /// Messages of this batch that arrived with more frames than allowed (the extra were cut).
    public var truncatedCount: Int
}

/// An open socket: its id, where it bound (with kernel-chosen ports resolved), and its input.
public struct SocketHandle: Sendable {
    public let id: SocketID
    public let boundEndpoints: [String]
    public let inbound: InboundStream
    public let counters: SocketCounters
    /// How its CURVE handshakes went (a CURVE client's only; never updated for other sockets).
    public let handshake: HandshakeStatus
}

// MARK: - Internals

/// What the facade and the I/O thread share: the queues under one lock, and the wake-up fd.
private final class LoopCore: Sendable {
    let name: String
    let logger: Logger
    let outboundCapacity: Int
    private let shared: Mutex<SharedState>
    private let wake: WakeSignal
    private let installedAuthenticator = Mutex<CurveAuthenticator?>(nil)

    /// The ZAP handler in force; set by the I/O thread, read from anywhere.
    var authenticator: CurveAuthenticator? {
        get { installedAuthenticator.withLock { $0 } }
        set { installedAuthenticator.withLock { $0 = newValue } }
    }

    init(name: String, logger: Logger, outboundCapacity: Int, wake: WakeSignal) {
        self.name = name
        self.logger = logger
        self.outboundCapacity = outboundCapacity
        self.shared = Mutex(SharedState())
        self.wake = wake
    }

    /// Asks the thread to stop; `waiter` is resumed once it has (at once if it already has).
    func requestStop(waiter: CheckedContinuation<Void, Never>?) {
        let wakeNeeded = shared.withLock { state -> Bool? in
            if state.finished { return nil }
            if let waiter { state.shutdownWaiters.append(waiter) }
            let first = !state.stopRequested
            state.stopRequested = true
            return first
        }
        switch wakeNeeded {
        case nil: waiter?.resume()
        case true?: wake.signal()
        case false?: break
        }
    }

    /// Queues `message` for `socket` without waiting. `.full` means the I/O thread is behind
    /// by `outboundCapacity` messages: the caller decides (drop and count, or `sendWaiting`).
    @discardableResult
    func send(_ message: Message, on socket: SocketID) -> SendResult {
        let (result, wakeNeeded) = shared.withLock { state -> (SendResult, Bool) in
            if state.stopRequested { return (.closed, false) }
            if state.outbound.count >= outboundCapacity { return (.full, false) }
            state.outbound.append(Outbound(socket: socket, message: message))
            return (.queued, state.claimWake())
        }
        if wakeNeeded { wake.signal() }
        return result
    }

    /// Queues several messages in order, as far as space allows; returns how many were queued.
    @discardableResult
    func send(_ messages: [Message], on socket: SocketID) -> Int {
        let (queued, wakeNeeded) = shared.withLock { state -> (Int, Bool) in
            if state.stopRequested { return (0, false) }
            let room = max(0, outboundCapacity - state.outbound.count)
            let count = min(room, messages.count)
            for index in 0..<count {
                state.outbound.append(Outbound(socket: socket, message: messages[index]))
            }
            return (count, count > 0 ? state.claimWake() : false)
        }
        if wakeNeeded { wake.signal() }
        return queued
    }

    /// Queues `message`, waiting for room when the outbound queue is full (backpressure).
    /// Returns false only when the loop is shutting down.
    func sendWaiting(_ message: Message, on socket: SocketID) async -> Bool {
        while true {
            switch send(message, on: socket) {
            case .queued: return true
            case .closed: return false
            case .full:
                await waitForSpace()
            }
        }
    }

    /// Returns once the outbound queue has room (or the loop is stopping).
    func waitForSpace() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = shared.withLock { state -> Bool in
                if state.stopRequested || state.outbound.count < outboundCapacity { return true }
                state.spaceWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Counters of a socket, readable from any thread.
    func counters(of socket: SocketID) -> SocketCounters? {
        shared.withLock { $0.counters[socket] }
    }

    func enqueueControl(_ operation: ControlOperation) -> Bool {
        let (accepted, wakeNeeded) = shared.withLock { state -> (Bool, Bool) in
            if state.stopRequested { return (false, false) }
            state.control.append(operation)
            return (true, state.claimWake())
        }
        if wakeNeeded { wake.signal() }
        return accepted
    }

    /// Hands the I/O thread everything queued since its last pass. The outbound messages come
    /// in `outbound`, which must be empty: the two arrays swap, so producers append into the
    /// capacity the thread emptied last time and neither side allocates a queue per pass.
    func takeWork(swapping outbound: inout [Outbound]) -> Work {
        let (work, waiters) = shared.withLock { state -> (Work, [CheckedContinuation<Void, Never>]) in
            state.wakePending = false
            let work = Work(control: state.control, stop: state.stopRequested)
            state.control.removeAll(keepingCapacity: true)
            swap(&state.outbound, &outbound)
            let waiters = state.spaceWaiters
            state.spaceWaiters.removeAll()
            return (work, waiters)
        }
        for waiter in waiters { waiter.resume() }
        return work
    }

    func register(_ socket: SocketID, counters: SocketCounters) {
        shared.withLock { $0.counters[socket] = counters }
    }

    func unregister(_ socket: SocketID) {
        _ = shared.withLock { $0.counters.removeValue(forKey: socket) }
    }

    var wakeDescriptor: Int32 { wake.descriptor }

    /// Wakes the I/O thread from any thread (for a consumer that caught up).
    var wakeFunction: @Sendable () -> Void {
        let wake = self.wake
        return { wake.signal() }
    }

    func consumeWake() { wake.consume() }

    /// Called by the thread as its last act.
    func finish() {
        let (waiters, spaceWaiters, control) = shared.withLock {
            state -> ([CheckedContinuation<Void, Never>], [CheckedContinuation<Void, Never>], [ControlOperation]) in
            state.finished = true
            defer {
                state.shutdownWaiters.removeAll()
                state.spaceWaiters.removeAll()
                state.control.removeAll()
            }
            return (state.shutdownWaiters, state.spaceWaiters, state.control)
        }
        for operation in control { operation.refuse() }
        for waiter in spaceWaiters { waiter.resume() }
        for waiter in waiters { waiter.resume() }
    }
}

private struct Outbound: Sendable {
    let socket: SocketID
    let message: Message
}

private enum ControlOperation: Sendable {
    case open(SocketSpec, CheckedContinuation<Result<SocketHandle, ZMQError>, Never>)
    case perform(SocketID, SocketAction, CheckedContinuation<Result<Void, ZMQError>, Never>)
    case close(SocketID, CheckedContinuation<Void, Never>)
    case installAuthenticator(
        CurveAuthenticator, replacing: Bool, CheckedContinuation<Result<CurveAuthenticator, ZMQError>, Never>)

    /// Answers an operation that arrived too late to run.
    func refuse() {
        switch self {
        case .open(let spec, let continuation):
            continuation.resume(returning: .failure(ZMQError(code: ETERM, operation: "open \(spec.type) socket")))
        case .perform(_, let action, let continuation):
            continuation.resume(returning: .failure(ZMQError(code: ETERM, operation: "\(action)")))
        case .close(_, let continuation):
            continuation.resume()
        case .installAuthenticator(_, _, let continuation):
            continuation.resume(
                returning: .failure(ZMQError(code: ETERM, operation: "bind \(CurveAuthenticator.endpoint)")))
        }
    }
}

private struct SharedState: ~Copyable {
    var control: [ControlOperation] = []
    var outbound: [Outbound] = []
    var spaceWaiters: [CheckedContinuation<Void, Never>] = []
    var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    var counters: [SocketID: SocketCounters] = [:]
    /// The eventfd has been written and the thread has not yet taken the queue since.
    var wakePending = false
    var stopRequested = false
    var finished = false

    /// True when the caller must write the eventfd: only the first producer after the thread
    /// took the queue pays for the system call.
    mutating func claimWake() -> Bool {
        if wakePending { return false }
        wakePending = true
        return true
    }
}

private struct Work {
    var control: [ControlOperation]
    var stop: Bool
}

/// The raw context pointer, handed once from `SocketLoop.init` to the I/O thread.
private struct ContextPointer: @unchecked Sendable {
    // Safe: libzmq documents contexts as thread-safe, and after hand-over only the I/O
    // thread uses it (to create sockets and, at the end, to terminate it).
    let raw: UnsafeMutableRawPointer
    init(_ raw: UnsafeMutableRawPointer) { self.raw = raw }
}

/// Everything the I/O thread owns: the sockets and their streams. Not Sendable on purpose.
private final class LoopState {
    struct Entry {
        let socket: Socket
        let spec: SocketSpec
        let mailbox: InboundMailbox?
        let counters: SocketCounters
        let flow: InboundFlow
        let handshake: HandshakeStatus
        /// The PAIR reading the socket's monitor events (CURVE clients only).
        let monitor: UnsafeMutableRawPointer?
    }

    /// What each poll item stands for (item 0 is always the wake-up eventfd).
    enum PollTarget {
        case zap
        case monitor(SocketID)
        case socket(SocketID)
    }

    let context: UnsafeMutableRawPointer
    let loop: LoopCore
    var sockets: [SocketID: Entry] = [:]
    var nextSocket = 1
    var pollOrder: [PollTarget] = []
    /// The ZAP handler's ROUTER and who answers it, once installed.
    var zap: (socket: UnsafeMutableRawPointer, authenticator: CurveAuthenticator)?
    var pollItems: [zmq_pollitem_t] = []
    var pollDirty = true
    /// Sockets not polled because their consumer is behind.
    var paused: Set<SocketID> = []
    var loggedFailures: Set<String> = []

    init(context: UnsafeMutableRawPointer, core: LoopCore) {
        self.context = context
        self.loop = core
    }

    func run() {
        var outbound: [Outbound] = []
        while true {
            let work = loop.takeWork(swapping: &outbound)
            for operation in work.control { execute(operation) }
            deliver(outbound)
            outbound.removeAll(keepingCapacity: true)
            if work.stop { break }
            resumeCaughtUp()
            poll()
        }
        for (id, entry) in sockets {
            closeEntry(entry)
            loop.unregister(id)
        }
        sockets.removeAll()
        if let zap {
            zmq_close(zap.socket)
            self.zap = nil
        }
        // Every socket is closed with a bounded linger, so this returns promptly.
        while zmq_ctx_term(context) != 0 && zmq_errno() == EINTR {}
    }

    private func poll() {
        if pollDirty { rebuildPollItems() }
        // Bounded: even with no wake-up the loop comes round at least once a second.
        let ready = zmq_poll(&pollItems, Int32(pollItems.count), 1_000)
        if ready < 0 {
            if zmq_errno() != EINTR { logOnce("poll", "zmq_poll failed: \(ZMQError.last("poll"))") }
            return
        }
        if ready == 0 { return }
        if pollItems[0].revents & Int16(ZMQ_POLLIN) != 0 {
            loop.consumeWake()
        }
        for index in 1..<pollItems.count where pollItems[index].revents & Int16(ZMQ_POLLIN) != 0 {
            switch pollOrder[index - 1] {
            case .zap: answerAuthentication()
            case .monitor(let id): readMonitor(id)
            case .socket(let id): drain(id)
            }
        }
    }

    /// Polls again the paused sockets whose consumers caught up.
    private func resumeCaughtUp() {
        guard !paused.isEmpty else { return }
        for id in paused where !(sockets[id]?.flow.isPaused ?? false) {
            paused.remove(id)
            pollDirty = true
        }
    }

    private func rebuildPollItems() {
        let ids = sockets.keys.sorted { $0.value < $1.value }
        pollOrder = []
        pollItems = [zmq_pollitem_t(socket: nil, fd: loop.wakeDescriptor, events: Int16(ZMQ_POLLIN), revents: 0)]
        if let zap {
            pollOrder.append(.zap)
            pollItems.append(zmq_pollitem_t(socket: zap.socket, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
        }
        for id in ids {
            guard let entry = sockets[id] else { continue }
            if let monitor = entry.monitor {
                pollOrder.append(.monitor(id))
                pollItems.append(zmq_pollitem_t(socket: monitor, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
            }
            if entry.spec.receives && !paused.contains(id) {
                pollOrder.append(.socket(id))
                pollItems.append(
                    zmq_pollitem_t(socket: entry.socket.rawHandle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
            }
        }
        pollDirty = false
    }

    private func drain(_ id: SocketID) {
        guard let entry = sockets[id] else { return }
        if entry.flow.shouldPause() {
            paused.insert(id)
            pollDirty = true
            return
        }
        var batch: [Message] = []
        var truncated = 0
        batch.reserveCapacity(32)
        while batch.count < SocketLoop.receiveBatchMax {
            do {
                guard let (message, wasTruncated) = try entry.socket.receive(maxFrames: entry.spec.framesMax) else {
                    break
                }
                if wasTruncated { truncated += 1 }
                batch.append(message)
            } catch {
                logOnce("receive \(id)", "receive on \(id) failed: \(error)")
                break
            }
        }
        guard !batch.isEmpty, let mailbox = entry.mailbox else { return }
        let count = batch.count
        entry.flow.delivered(count)
        switch mailbox.deliver(batch, truncatedCount: truncated) {
        case .taken:
            entry.counters.countReceived(count)
        case .terminated:
            // The consumer stopped listening: nothing will take these.
            entry.flow.consumed(count)
            entry.counters.countDroppedInbound(count)
        }
    }

    /// Sends the queued messages in order, looking each socket up once per run of messages
    /// for it (a publisher's burst is one run), not once per message.
    private func deliver(_ outbound: [Outbound]) {
        var start = 0
        while start < outbound.count {
            let id = outbound[start].socket
            var end = start + 1
            while end < outbound.count && outbound[end].socket == id { end += 1 }
            defer { start = end }
            guard let entry = sockets[id] else {
                // Queued just before its socket closed (a client shutting down): nothing to deliver to.
                loop.logger.debug("dropped \(end - start) message(s) for \(id), which is closed")
                continue
            }
            var sent = 0
            for index in start..<end {
                do {
                    try entry.socket.send(outbound[index].message)
                    sent += 1
                } catch {
                    // PUB drops at its high-water mark by design; ROUTER and DEALER refusals are
                    // counted and left to the protocol above (clients retry, consumers re-snapshot).
                    entry.counters.countSendFailure()
                    if !error.wouldBlock && !error.hostUnreachable {
                        logOnce("send \(id) \(error.code)", "send on \(id) failed: \(error)")
                    }
                }
            }
            entry.counters.countSent(sent)
        }
    }

    private func execute(_ operation: ControlOperation) {
        switch operation {
        case .open(let spec, let continuation):
            continuation.resume(returning: open(spec))
        case .perform(let id, let action, let continuation):
            continuation.resume(returning: perform(action, on: id))
        case .close(let id, let continuation):
            if let entry = sockets.removeValue(forKey: id) {
                closeEntry(entry)
                loop.unregister(id)
                pollDirty = true
            }
            continuation.resume()
        case .installAuthenticator(let authenticator, let replacing, let continuation):
            continuation.resume(returning: installAuthenticator(authenticator, replacing: replacing))
        }
    }

    private func closeEntry(_ entry: Entry) {
        if let monitor = entry.monitor {
            if let raw = entry.socket.rawHandle { _ = zmq_socket_monitor(raw, nil, 0) }
            zmq_close(monitor)
        }
        entry.socket.close()
        entry.mailbox?.finish()
    }

    private func installAuthenticator(_ authenticator: CurveAuthenticator, replacing: Bool) -> Result<
        CurveAuthenticator, ZMQError
    > {
        if let zap {
            guard replacing else { return .success(zap.authenticator) }
            self.zap = (zap.socket, authenticator)
            loop.authenticator = authenticator
            return .success(authenticator)
        }
        guard let socket = zmq_socket(context, ZMQ_ROUTER) else {
            return .failure(ZMQError.last("create the ZAP handler's socket"))
        }
        var linger: Int32 = 0
        _ = zmq_setsockopt(socket, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
        guard zmq_bind(socket, CurveAuthenticator.endpoint) == 0 else {
            let error = ZMQError.last("bind \(CurveAuthenticator.endpoint)")
            zmq_close(socket)
            return .failure(error)
        }
        zap = (socket, authenticator)
        loop.authenticator = authenticator
        pollDirty = true
        return .success(authenticator)
    }

    /// Answers every ZAP request waiting. Requests come from libzmq's own sessions in this
    /// context, as [routing id, "", version, request id, domain, address, identity, mechanism,
    /// credentials...]; each reply goes back to its routing id behind the empty delimiter.
    private func answerAuthentication() {
        guard let zap else { return }
        let socket = Socket.Raw(zap.socket)
        for _ in 0..<SocketLoop.receiveBatchMax {
            guard let frames = socket.receiveFrames(maxFrames: 16) else { return }
            guard frames.count >= 3, frames[1].isEmpty else {
                logOnce("zap malformed", "the ZAP handler received a malformed request (\(frames.count) frames)")
                continue
            }
            let reply = zap.authenticator.reply(to: Array(frames[2...]))
            socket.sendFrames([frames[0], []] + reply)
        }
    }

    /// Reads the monitor events of a CURVE client socket into its handshake status.
    private func readMonitor(_ id: SocketID) {
        guard let entry = sockets[id], let monitor = entry.monitor else { return }
        let socket = Socket.Raw(monitor)
        for _ in 0..<SocketLoop.receiveBatchMax {
            guard let frames = socket.receiveFrames(maxFrames: 4) else { return }
            // Frame 1: the event (16 bits) and its value (32 bits), native order; frame 2: the endpoint.
            guard frames.count >= 2, frames[0].count >= 6 else { continue }
            let event = UInt16(frames[0][0]) | UInt16(frames[0][1]) << 8
            let value =
                Int(
                    UInt32(frames[0][2]) | UInt32(frames[0][3]) << 8 | UInt32(frames[0][4]) << 16
                        | UInt32(frames[0][5]) << 24)
            let endpoint = String(decoding: frames[1], as: UTF8.self)
            let refusal: HandshakeRefusal
            switch Int32(event) {
            case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
                entry.handshake.recordSuccess()
                continue
            case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
                refusal = HandshakeRefusal(endpoint: endpoint, kind: .authentication(statusCode: value))
            case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
                refusal = HandshakeRefusal(endpoint: endpoint, kind: .protocolError(code: value))
            case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
                refusal = HandshakeRefusal(endpoint: endpoint, kind: .noDetail(code: value))
            default:
                continue
            }
            entry.handshake.recordFailure(refusal)
            logOnce("handshake \(id) \(event)", "\(refusal)")
        }
    }

    private func open(_ spec: SocketSpec) -> Result<SocketHandle, ZMQError> {
        var monitor: UnsafeMutableRawPointer?
        do throws(ZMQError) {
            if case .server? = spec.options.curve?.role, zap == nil {
                throw ZMQError(
                    code: EACCES,
                    operation:
                        "open a CURVE server \(spec.type) socket on \(spec.bind.joined(separator: ", ")) before the "
                        + "loop's ZAP handler is installed (call installAuthenticator first; without it libzmq "
                        + "would let every key in)")
            }
            let socket = try Socket(context: context, type: spec.type, options: spec.options)
            let id = SocketID(value: nextSocket)
            nextSocket += 1
            if case .client? = spec.options.curve?.role {
                // Watched before it connects, so the first handshake's outcome is seen too.
                monitor = try openMonitor(for: socket, id: id)
            }
            var bound: [String] = []
            for endpoint in spec.bind {
                try socket.bind(endpoint)
                bound.append(try socket.lastEndpoint())
            }
            for endpoint in spec.connect {
                try socket.connect(endpoint)
            }
            // Unbounded as a stream, bounded by the flow control: the loop stops reading the
            // socket once `inboundMessagesMax` messages wait.
            let mailbox = InboundMailbox()
            let counters = SocketCounters()
            let flow = InboundFlow(limit: max(1, spec.inboundMessagesMax), wake: loop.wakeFunction)
            if !spec.receives { mailbox.finish() }
            let handshake = HandshakeStatus()
            sockets[id] = Entry(
                socket: socket, spec: spec, mailbox: spec.receives ? mailbox : nil, counters: counters, flow: flow,
                handshake: handshake, monitor: monitor)
            loop.register(id, counters: counters)
            pollDirty = true
            return .success(
                SocketHandle(
                    id: id, boundEndpoints: bound, inbound: InboundStream(mailbox: mailbox, flow: flow),
                    counters: counters, handshake: handshake))
        } catch {
            if let monitor { zmq_close(monitor) }
            return .failure(error)
        }
    }

    /// Starts libzmq's monitor of `socket` for handshake outcomes and connects a PAIR to it.
    private func openMonitor(for socket: Socket, id: SocketID) throws(ZMQError) -> UnsafeMutableRawPointer {
        let endpoint = "inproc://switchboard.monitor.\(id.value)"
        guard let raw = socket.rawHandle else { throw ZMQError(code: ENOTSOCK, operation: "monitor \(id)") }
        let events =
            ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
            | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
        guard zmq_socket_monitor(raw, endpoint, events) == 0 else { throw ZMQError.last("monitor \(id)") }
        guard let pair = zmq_socket(context, ZMQ_PAIR) else {
            let error = ZMQError.last("create the monitor of \(id)")
            _ = zmq_socket_monitor(raw, nil, 0)
            throw error
        }
        var linger: Int32 = 0
        _ = zmq_setsockopt(pair, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
        guard zmq_connect(pair, endpoint) == 0 else {
            let error = ZMQError.last("connect the monitor of \(id)")
            zmq_close(pair)
            _ = zmq_socket_monitor(raw, nil, 0)
            throw error
        }
        return pair
    }

    private func perform(_ action: SocketAction, on id: SocketID) -> Result<Void, ZMQError> {
        guard let entry = sockets[id] else {
            return .failure(ZMQError(code: ENOTSOCK, operation: "\(action) on \(id)"))
        }
        do {
            switch action {
            case .connect(let endpoint): try entry.socket.connect(endpoint)
            case .disconnect(let endpoint): try entry.socket.disconnect(endpoint)
            case .subscribe(let prefix): try entry.socket.subscribe(prefix)
            case .unsubscribe(let prefix): try entry.socket.unsubscribe(prefix)
            }
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    private func logOnce(_ kind: String, _ message: String) {
        guard loggedFailures.count < 1_000, loggedFailures.insert(kind).inserted else { return }
        loop.logger.warning("\(message)", metadata: ["loop": "\(loop.name)"])
    }
}
