import Synchronization

/// A bound on work handed to conversation actors and not yet done. The feed adds what it hands
/// out and then waits until the total is under the limit; actors subtract what they finish. So
/// memory stays bounded and a slow summariser pushes back on its SUB socket, where the loss shows
/// up as a seq gap and is repaired by a new snapshot (the Clone pattern), never silently.
public final class PendingWorkLimit: Sendable {
    private struct State {
        var pending = 0
        var closed = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    public let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    public var pending: Int { state.withLock { $0.pending } }

    /// Tasks waiting in ``waitBelowLimit()``.
    public var waiting: Int { state.withLock { $0.waiters.count } }

    /// Work handed out.
    public func add(_ count: Int) {
        state.withLock { $0.pending += count }
    }

    /// Work finished.
    public func done(_ count: Int) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.pending = max(0, state.pending - count)
            guard state.pending < limit else { return [] }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in ready { waiter.resume() }
    }

    /// Returns once pending work is under the limit, the limit is closed, or the task is cancelled.
    public func waitBelowLimit() async {
        let id = state.withLock { state -> Int? in
            guard state.pending >= limit, !state.closed else { return nil }
            state.nextWaiter += 1
            return state.nextWaiter
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending < limit || state.closed || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Releases every waiter for good (shutdown).
    public func close() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiting { waiter.resume() }
    }
}
