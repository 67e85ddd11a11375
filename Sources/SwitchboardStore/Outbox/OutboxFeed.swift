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
        /// Recent publications, to tell which are old enough to record (see `OutboxRelay`).
        var history: PublishedHistory
        var finished = false
        var relayAttached = false
        /// Publishes a commit's events from the after-commit hook itself (see `committed`).
        var inlinePublisher: (@Sendable ([OutboxEvent]) -> Int)?
        /// The relay took events with `next` and has not yet found the feed empty: it publishes,
        /// so the hook must queue behind it.
        var relayHolds = false
        /// The hook is publishing a commit's events itself.
        var inlineActive = false

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
    ///   - watermarkLag: how long after publication a position may be recorded.
    init(published: UInt64, lastCommitted: UInt64, memoryEventsMax: Int, watermarkLag: Duration) {
        self.memoryEventsMax = max(1, memoryEventsMax)
        self.state = Mutex(
            State(
                spilled: lastCommitted > published, lastCommitted: lastCommitted, published: published,
                history: PublishedHistory(lag: watermarkLag, recordableThrough: published)))
        (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Called in commit order from the after-commit hook. When the relay is idle (nothing
    /// waits, nothing is being published) and the commit is small, its events are published
    /// right here, still in commit order (no other commit can begin before the hook returns),
    /// which spares them the wake-up of the relay's task; otherwise they queue for the relay.
    func committed(_ events: [OutboxEvent]) {
        guard let last = events.last else { return }
        let inline = state.withLock { state -> (@Sendable ([OutboxEvent]) -> Int)? in
            state.lastCommitted = last.position
            // Spilled, the events are left in the table; the relay is woken all the same.
            if state.spilled { return nil }
            if let inline = state.inlinePublisher, state.pendingCount == 0, !state.relayHolds,
                events.count <= Self.inlineEventsMax
            {
                state.inlineActive = true
                return inline
            }
            queue(events[...], in: &state)
            return nil
        }
        guard let inline else {
            signal.yield()
            return
        }
        let published = inline(events)
        state.withLock { state in
            state.inlineActive = false
            // What the publisher refused waits for the relay, which retries with its back-off.
            if published < events.count { queue(events[published...], in: &state) }
        }
        if published < events.count { signal.yield() }
    }

    /// The most events of one commit published by the after-commit hook: a larger commit (a
    /// loaded router's) goes to the relay, so that encoding its events does not hold the writer.
    static let inlineEventsMax = 32

    private func queue(_ events: ArraySlice<OutboxEvent>, in state: inout State) {
        if state.pendingCount + events.count > memoryEventsMax {
            state.spilled = true
            return
        }
        state.pending.append(contentsOf: events)
    }

    /// Lets the after-commit hook publish small commits itself while the relay runs (nil: the
    /// relay publishes everything). `publish` hands events to the publisher in order up to the
    /// first it refuses, and returns how many it handed over.
    func setInlinePublisher(_ publish: (@Sendable ([OutboxEvent]) -> Int)?) {
        state.withLock { $0.inlinePublisher = publish }
    }

    /// The next step for the relay; at most `max` events.
    func next(max: Int) -> Next {
        state.withLock { state in
            let next = Self.next(max: max, state: &state)
            // Until the relay finds the feed empty, the hook queues behind what it publishes.
            state.relayHolds = next != .idle
            return next
        }
    }

    private static func next(max: Int, state: inout State) -> Next {
        // The hook is publishing a commit itself: nothing waits (it publishes only then).
        if state.inlineActive { return .idle }
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

    /// The relay handed every event up to `position` to the publisher.
    func didPublish(through position: UInt64) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.published = Swift.max(state.published, position)
            state.history.record(state.published, at: now)
        }
    }

    var published: UInt64 { state.withLock { $0.published } }

    /// The watermark a commit may record: events up to here left the process a while ago.
    var recordable: UInt64 {
        let now = ContinuousClock.now
        return state.withLock { $0.history.recordable(at: now) }
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

/// Positions published recently with when, to tell which are old enough to record.
struct PublishedHistory {
    let lag: Duration
    private var entries: [(position: UInt64, at: ContinuousClock.Instant)] = []
    private var recordableThrough: UInt64
    /// Publications closer together than this share an entry (the later position takes the
    /// earlier time, at most this much early), which bounds the list to lag / spacing entries.
    private static let spacing = Duration.milliseconds(10)

    init(lag: Duration, recordableThrough: UInt64) {
        self.lag = lag
        self.recordableThrough = recordableThrough
    }

    mutating func record(_ position: UInt64, at now: ContinuousClock.Instant) {
        if let last = entries.last {
            if position <= last.position { return }
            if now - last.at < Self.spacing {
                entries[entries.count - 1].position = position
                return
            }
        } else if position <= recordableThrough {
            return
        }
        entries.append((position, now))
    }

    mutating func recordable(at now: ContinuousClock.Instant) -> UInt64 {
        var firstYoung = 0
        while firstYoung < entries.count, now - entries[firstYoung].at >= lag {
            recordableThrough = max(recordableThrough, entries[firstYoung].position)
            firstYoung += 1
        }
        if firstYoung > 0 { entries.removeFirst(firstYoung) }
        return recordableThrough
    }
}
