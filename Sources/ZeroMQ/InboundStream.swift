import Synchronization

/// The messages a socket received, in batches, as an async sequence. Each `next()` takes every
/// message that arrived since the previous one, in arrival order: a consumer that was busy gets
/// all it missed in one batch (a command server commits them in one transaction) instead of one
/// wake-up per poll of the socket. Taking a batch tells the I/O thread the consumer has room
/// again (see `SocketSpec.inboundMessagesMax`).
///
/// One consumer at a time. When its task is cancelled the stream ends, as an `AsyncStream` does:
/// later messages are counted as dropped.
public struct InboundStream: AsyncSequence, Sendable {
    public typealias Element = InboundBatch
    public typealias Failure = Never

    let mailbox: InboundMailbox
    let flow: InboundFlow

    public func makeAsyncIterator() -> Iterator {
        Iterator(mailbox: mailbox, flow: flow)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let mailbox: InboundMailbox
        let flow: InboundFlow

        public mutating func next() async -> InboundBatch? {
            guard let batch = await mailbox.take() else { return nil }
            flow.consumed(batch.messages.count)
            return batch
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async -> InboundBatch? {
            guard let batch = await mailbox.take() else { return nil }
            flow.consumed(batch.messages.count)
            return batch
        }
    }
}

/// Where the I/O thread leaves a socket's messages for its consumer: a list under a lock and at
/// most one waiting consumer, resumed once per delivery that finds it waiting.
final class InboundMailbox: Sendable {
    enum Delivery {
        case taken
        /// The consumer is gone (its stream finished or its task was cancelled).
        case terminated
    }

    private struct State {
        var messages: [Message] = []
        var truncatedCount = 0
        /// No more messages will come (the socket closed); what is left is still taken.
        var finished = false
        /// The consumer stopped listening: nothing will take what comes.
        var terminated = false
        var waiter: CheckedContinuation<InboundBatch?, Never>?
        /// Distinguishes one wait from the next, so a late cancellation resumes nothing.
        var waitToken = 0
    }

    private let state = Mutex(State())

    /// I/O thread: adds messages (in arrival order) and wakes a waiting consumer.
    func deliver(_ messages: [Message], truncatedCount: Int) -> Delivery {
        enum Outcome {
            case resume(CheckedContinuation<InboundBatch?, Never>)
            case queued
            case terminated
        }
        let outcome = state.withLock { state -> Outcome in
            if state.terminated || state.finished { return .terminated }
            if let waiter = state.waiter {
                // A waiting consumer means nothing was left waiting: hand these over directly.
                state.waiter = nil
                return .resume(waiter)
            }
            state.messages.append(contentsOf: messages)
            state.truncatedCount += truncatedCount
            return .queued
        }
        switch outcome {
        case .resume(let waiter):
            waiter.resume(returning: InboundBatch(messages: messages, truncatedCount: truncatedCount))
            return .taken
        case .queued:
            return .taken
        case .terminated:
            return .terminated
        }
    }

    /// I/O thread: the socket closed. The consumer takes what is left, then the stream ends.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<InboundBatch?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.messages.isEmpty ? state.waiter : nil
        }
        waiter?.resume(returning: nil)
    }

    /// Consumer: every message waiting, suspending until there is one; nil once the stream ended
    /// or the task is cancelled.
    func take() async -> InboundBatch? {
        let token = state.withLock { state -> Int in
            state.waitToken += 1
            return state.waitToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<InboundBatch?, Never>) in
                let ready = state.withLock { state -> InboundBatch?? in
                    if let batch = Self.takeAll(&state) { return .some(batch) }
                    if state.finished || state.terminated || Task.isCancelled {
                        if Task.isCancelled { state.terminated = true }
                        return .some(nil)
                    }
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            // As an AsyncStream does, a cancelled consumer ends the stream.
            let waiter = state.withLock { state -> CheckedContinuation<InboundBatch?, Never>? in
                state.terminated = true
                guard state.waitToken == token else { return nil }
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }

    private static func takeAll(_ state: inout State) -> InboundBatch? {
        guard !state.messages.isEmpty else { return nil }
        let batch = InboundBatch(messages: state.messages, truncatedCount: state.truncatedCount)
        state.messages = []
        state.truncatedCount = 0
        return batch
    }
}

/// Messages delivered to a consumer and not yet taken, shared by the I/O thread (which pauses
/// reading at `limit`) and the consumer (which resumes it once below half the limit).
final class InboundFlow: Sendable {
    let limit: Int
    private let pending = Atomic<Int>(0)
    private let paused = Atomic<Bool>(false)
    private let wake: @Sendable () -> Void

    init(limit: Int, wake: @escaping @Sendable () -> Void) {
        self.limit = limit
        self.wake = wake
    }

    var isPaused: Bool { paused.load(ordering: .sequentiallyConsistent) }

    /// I/O thread: true when reading must stop. Marks paused first, then re-reads the count,
    /// so a consumer catching up at the same moment either sees the mark or is seen here.
    func shouldPause() -> Bool {
        guard pending.load(ordering: .sequentiallyConsistent) >= limit else { return false }
        paused.store(true, ordering: .sequentiallyConsistent)
        if pending.load(ordering: .sequentiallyConsistent) < limit {
            paused.store(false, ordering: .sequentiallyConsistent)
            return false
        }
        return true
    }

    /// I/O thread: `count` messages handed to the stream.
    func delivered(_ count: Int) {
        pending.add(count, ordering: .sequentiallyConsistent)
    }

    /// Consumer: `count` messages taken. Wakes the I/O thread when reading may resume.
    func consumed(_ count: Int) {
        let now = pending.subtract(count, ordering: .sequentiallyConsistent).newValue
        if now < limit / 2 + 1, paused.load(ordering: .sequentiallyConsistent),
            paused.exchange(false, ordering: .sequentiallyConsistent)
        {
            wake()
        }
    }
}
