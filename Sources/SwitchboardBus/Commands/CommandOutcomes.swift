import Synchronization

/// The outcomes of a batch of commands that a handler has queued but not yet answered: the
/// command server holds it while the handler applies and commits the batch, and reads the
/// outcomes once they are there. Filled once.
public final class PendingOutcomes: Sendable {
    private struct State {
        var outcomes: [CommandOutcome]?
        var waiters: [CheckedContinuation<[CommandOutcome], Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Gives the outcomes (one per command, in order) and wakes whoever waits for them. Only the
    /// first call counts.
    public func fulfil(_ outcomes: [CommandOutcome]) {
        let waiters = state.withLock { state -> [CheckedContinuation<[CommandOutcome], Never>] in
            guard state.outcomes == nil else { return [] }
            state.outcomes = outcomes
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: outcomes) }
    }

    /// The outcomes, once the handler has given them.
    public var value: [CommandOutcome] {
        get async {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> [CommandOutcome]? in
                    if let outcomes = state.outcomes { return outcomes }
                    state.waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
