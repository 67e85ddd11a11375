import Synchronization

/// Coalesces commits requested concurrently (by different actors) into one transaction:
/// while a transaction is in progress, new requests queue; when it ends, the first of them
/// leads the next transaction, which runs every queued body (up to `bodiesMax`) each in its own
/// savepoint. One body's error undoes only that body and is thrown to its caller; a failure of
/// the transaction itself is thrown to all of them. Nobody waits for a timer: an idle store
/// commits a lone request at once.
///
/// Worth it when commits are fsynced (`Durability.powerLoss`): many callers share one fsync.
/// With `processCrash` a commit costs little and coalescing gains less (see the benchmark).
/// A caller that already holds a batch (the command server hands batches over) should just
/// `commit` it.
public final class GroupCommitter: Sendable {
    public let store: AuthorityStore
    /// The most bodies in one transaction.
    public let bodiesMax: Int
    private let state = Mutex(State())

    private struct State {
        var queue: [any PendingBody] = []
        var queueStart = 0
        var leaderActive = false
        var transactions = 0
        var bodies = 0
    }

    public init(store: AuthorityStore, bodiesMax: Int = 1_024) {
        self.store = store
        self.bodiesMax = max(1, bodiesMax)
    }

    /// Transactions run and bodies committed through this committer.
    public var counts: (transactions: Int, bodies: Int) {
        state.withLock { ($0.transactions, $0.bodies) }
    }

    /// Bodies waiting for the next transaction (not counting those in the running one).
    public var queuedCount: Int {
        state.withLock { $0.queue.count - $0.queueStart }
    }

    /// Runs `body` in a transaction shared with the bodies requested meanwhile, and returns
    /// once that transaction committed (or failed).
    @discardableResult
    public func commit<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        let pending = Pending(body: body)
        let lead = state.withLock { state -> Bool in
            state.queue.append(pending)
            if state.leaderActive { return false }
            state.leaderActive = true
            return true
        }
        if lead {
            await runBatches()
        } else if await pending.waitForTurn() {
            await runBatches()
        }
        return try pending.result()
    }

    /// Runs one transaction for the queued bodies, then hands leadership to the first body
    /// that arrived meanwhile (its caller runs the next transaction) or steps down.
    private func runBatches() async {
        let batch = state.withLock { state -> [any PendingBody] in
            let end = min(state.queue.count, state.queueStart + bodiesMax)
            let batch = Array(state.queue[state.queueStart..<end])
            state.queueStart = end
            if state.queueStart == state.queue.count {
                state.queue.removeAll(keepingCapacity: true)
                state.queueStart = 0
            }
            return batch
        }
        let store = self.store
        do {
            // Its own task: the leader's cancellation must not roll back the others' bodies.
            try await Task {
                try await store.commit { transaction in
                    for body in batch { body.run(in: transaction) }
                }
            }.value
        } catch {
            for body in batch { body.fail(error) }
        }
        let next = state.withLock { state -> (any PendingBody)? in
            state.transactions += 1
            state.bodies += batch.count
            if state.queueStart < state.queue.count { return state.queue[state.queueStart] }
            state.leaderActive = false
            return nil
        }
        for body in batch { body.finish() }
        next?.lead()
    }
}

/// One queued body, with its result, type-erased for the queue.
private protocol PendingBody: Sendable {
    /// Runs the body in a savepoint of `transaction` and keeps its result or error.
    func run(in transaction: StoreTransaction)
    /// The whole transaction failed.
    func fail(_ error: any Error)
    /// The transaction ended: wake the caller with its result.
    func finish()
    /// Wake the caller to lead the next transaction.
    func lead()
}

private final class Pending<T: Sendable>: PendingBody {
    private enum Turn {
        case done
        case lead
    }

    private struct State {
        var result: Result<T, any Error>?
        var turn: Turn?
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let body: @Sendable (StoreTransaction) throws -> T
    private let state = Mutex(State())

    init(body: @escaping @Sendable (StoreTransaction) throws -> T) {
        self.body = body
    }

    func run(in transaction: StoreTransaction) {
        let result: Result<T, any Error>
        do {
            result = .success(try transaction.savepoint { try body(transaction) })
        } catch {
            result = .failure(error)
        }
        state.withLock { $0.result = result }
    }

    func fail(_ error: any Error) {
        state.withLock { $0.result = .failure(error) }
    }

    func finish() { resume(.done) }

    func lead() { resume(.lead) }

    private func resume(_ turn: Turn) {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            state.turn = turn
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: turn == .lead)
    }

    /// Suspends until this body is committed (false) or its caller must lead (true).
    func waitForTurn() async -> Bool {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Turn? in
                if let turn = state.turn { return turn }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready == .lead) }
        }
    }

    func result() throws -> T {
        guard let result = state.withLock({ $0.result }) else {
            throw StoreTransactionError(problem: "a grouped commit ended without running its body")
        }
        return try result.get()
    }
}
