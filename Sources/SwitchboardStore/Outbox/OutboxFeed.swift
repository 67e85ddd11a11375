import Synchronization

/// The hand-over from committed transactions to the relay. The store's after-commit hook
/// (which runs on GRDB's writer queue in commit order) appends each commit's events; the
/// relay takes them in that order. Memory is bounded: when `memoryEventsMax` events wait, the
/// feed "spills": it stops holding new events, and the relay reads them back from the outbox
/// table (where they are durable anyway) until it has caught up with the last commit.
final class OutboxFeed: Sendable {
    /// What the relay should publish next.
    enum Next: Equatable {
        /// Events from memory, in commit order.
        case events([OutboxEvent])
        /// Read the outbox table from just after `position` (up to `lastCommitted`).
        case readDatabase(after: UInt64, lastCommitted: UInt64)
        case idle
    }

    private struct State {
        var pending: [OutboxEvent] = []
        var pendingStart = 0
        /// New events are left in the table for the relay to read, not held here.
        var spilled: Bool
        var lastCommitted: UInt64
        /// Handed to the publisher (whether or not the wire has them yet).
        var published: UInt64
        /// Published long enough ago to be recorded as the durable watermark (see `OutboxRelay`).
        var recordable: UInt64
        var finished = false
        var relayAttached = false

        var pendingCount: Int { pending.count - pendingStart }
    }

    private let state: Mutex<State>
    private let memoryEventsMax: Int
    let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - published: the durable watermark found at open.
    ///   - lastCommitted: the last outbox position at open; above `published`, the relay
    ///     starts by reading the table (the unpublished events of the previous run).
    init(published: UInt64, lastCommitted: UInt64, memoryEventsMax: Int) {
        self.memoryEventsMax = max(1, memoryEventsMax)
        self.state = Mutex(
            State(
                spilled: lastCommitted > published, lastCommitted: lastCommitted, published: published,
                recordable: published))
        (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Called in commit order from the after-commit hook.
    func committed(_ events: [OutboxEvent]) {
        guard let last = events.last else { return }
        state.withLock { state in
            state.lastCommitted = last.position
            if state.spilled { return }
            if state.pendingCount + events.count > memoryEventsMax {
                state.spilled = true
                return
            }
            state.pending.append(contentsOf: events)
        }
        signal.yield()
    }

    /// The next step for the relay; at most `max` events.
    func next(max: Int) -> Next {
        state.withLock { state in
            if state.pendingCount > 0 {
                let end = min(state.pending.count, state.pendingStart + max)
                let batch = Array(state.pending[state.pendingStart..<end])
                state.pendingStart = end
                if state.pendingStart == state.pending.count {
                    state.pending.removeAll(keepingCapacity: state.pending.count <= 65_536)
                    state.pendingStart = 0
                } else if state.pendingStart >= 65_536 {
                    state.pending.removeFirst(state.pendingStart)
                    state.pendingStart = 0
                }
                return .events(batch)
            }
            if state.spilled {
                if state.published >= state.lastCommitted {
                    // Caught up: from here on the hook's events are held in memory again.
                    // Decided under the lock the hook takes, so no commit falls between.
                    state.spilled = false
                    return .idle
                }
                return .readDatabase(after: state.published, lastCommitted: state.lastCommitted)
            }
            return .idle
        }
    }

    /// The relay handed every event up to `position` to the publisher.
    func didPublish(through position: UInt64) {
        state.withLock { $0.published = Swift.max($0.published, position) }
    }

    var published: UInt64 { state.withLock { $0.published } }

    /// The watermark a commit may record: events up to here left the process a while ago.
    var recordable: UInt64 { state.withLock { $0.recordable } }

    func setRecordable(_ position: UInt64) {
        state.withLock { $0.recordable = Swift.max($0.recordable, Swift.min(position, $0.published)) }
    }

    /// Events committed but not yet handed to the publisher.
    var backlog: UInt64 {
        state.withLock { $0.lastCommitted > $0.published ? $0.lastCommitted - $0.published : 0 }
    }

    /// Wakes the relay without new events (its maintenance tick).
    func poke() { signal.yield() }

    /// Claims the feed for one relay; false when a relay is already attached.
    func attachRelay() -> Bool {
        state.withLock { state in
            if state.relayAttached { return false }
            state.relayAttached = true
            return true
        }
    }

    /// The store closed: the relay's wait ends.
    func finish() {
        state.withLock { $0.finished = true }
        signal.finish()
    }

    var isFinished: Bool { state.withLock { $0.finished } }
}
