import Synchronization
import ZeroMQ

/// Gathers a socket's inbound batches while their consumer is busy, so that the consumer takes
/// everything that arrived meanwhile in one go. A command server serves one gathered batch at a
/// time: while a transaction commits, the commands arriving meanwhile pile up here and become
/// the next transaction (group commit) instead of one small transaction per poll of the socket.
///
/// Bounded: once `messagesMax` messages wait, `append` suspends until `take` empties the buffer,
/// so the socket's inbound stream (and then libzmq's queue) pushes back on the senders.
final class InboundGather: Sendable {
    private struct State {
        var messages: [Message] = []
        var finished = false
        /// The consumer, waiting for the first message.
        var taker: CheckedContinuation<Void, Never>?
        /// The producer, waiting for room.
        var appender: CheckedContinuation<Void, Never>?
    }

    let messagesMax: Int
    private let state = Mutex(State())

    init(messagesMax: Int) {
        self.messagesMax = max(1, messagesMax)
    }

    /// Adds messages; suspends while the buffer is full (until a `take` or `finish`).
    func append(_ messages: [Message]) async {
        let taker = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.messages.append(contentsOf: messages)
            defer { state.taker = nil }
            return state.taker
        }
        taker?.resume()
        while true {
            let full = state.withLock { $0.messages.count >= messagesMax && !$0.finished }
            if !full || Task.isCancelled { return }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let wait = state.withLock { state -> Bool in
                        guard state.messages.count >= messagesMax, !state.finished else { return false }
                        state.appender = continuation
                        return true
                    }
                    if !wait { continuation.resume() }
                }
            } onCancel: {
                finish()
            }
        }
    }

    /// Everything gathered so far, waiting for at least one message; nil once finished and empty.
    func take() async -> [Message]? {
        while true {
            let (taken, appender, finished) = state.withLock {
                state -> ([Message], CheckedContinuation<Void, Never>?, Bool) in
                let taken = state.messages
                state.messages = []
                defer { if !taken.isEmpty { state.appender = nil } }
                return (taken, taken.isEmpty ? nil : state.appender, state.finished)
            }
            appender?.resume()
            if !taken.isEmpty { return taken }
            if finished || Task.isCancelled { return nil }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let wait = state.withLock { state -> Bool in
                        guard state.messages.isEmpty, !state.finished else { return false }
                        state.taker = continuation
                        return true
                    }
                    if !wait { continuation.resume() }
                }
            } onCancel: {
                finish()
            }
        }
    }

    /// No more messages will come: wakes both sides.
    func finish() {
        let (taker, appender) = state.withLock {
            state -> (CheckedContinuation<Void, Never>?, CheckedContinuation<Void, Never>?) in
            state.finished = true
            defer {
                state.taker = nil
                state.appender = nil
            }
            return (state.taker, state.appender)
        }
        taker?.resume()
        appender?.resume()
    }
}
