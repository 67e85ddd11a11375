public import Logging
public import SwitchboardBus
import Synchronization

/// Publishes committed events strictly in commit order through the authority's
/// `EventPublisher`, with the seqs the transactions assigned. It starts with the events the
/// previous run left unpublished (re-stamped at open), then follows the commits as GRDB's
/// after-commit step hands them over (on GRDB's writer queue, right after each COMMIT). It never
/// blocks a thread: it awaits a signal, publishes
/// (a non-blocking hand-off to the I/O thread), and waits with `Task.sleep` when the I/O
/// thread is behind. While it runs and has nothing in hand, a small commit's events are
/// published by the after-commit step itself, in the same order, without waking the relay's
/// task: one thread wake-up fewer between a commit and its events on the wire.
///
/// The durable watermark: the relay lets a commit record the outbox position it has
/// published up to, piggy-backed on that transaction (no write of its own), or writes it on its
/// maintenance tick when no commit comes. It records only positions handed to the publisher at
/// least `StoreConfiguration.watermarkLagSeconds` ago, so that after a SIGKILL the events that were still in the
/// process (the publisher's queue, not yet in the kernel's socket buffer) are published again
/// by the next run rather than lost: at-least-once to the stream's recorders, with
/// duplicates only across an epoch change, where consumers re-snapshot anyway.
public final class OutboxRelay: Sendable {
    public struct Counters: Sendable, Equatable {
        /// Events handed to the publisher.
        public var published = 0
        /// Of those, read back from the outbox table (previous run, or memory overflow).
        public var readFromDatabase = 0
        /// Events the publisher could not queue even after retrying: a gap for consumers.
        public var dropped = 0
        /// Times the publisher refused an event and the relay waited before retrying.
        public var publishRetries = 0
        public var maintenancePasses = 0
        public var maintenanceFailures = 0
    }

    private let store: AuthorityStore
    private let publisher: EventPublisher
    private let logger: Logger
    private let counters = Mutex(Counters())

    /// - Throws: `StoreError` when the publisher's epoch is not the store's (the seqs would be
    ///   published under the wrong epoch) or when the store already has a relay.
    public init(store: AuthorityStore, publisher: EventPublisher, logger: Logger) throws(StoreError) {
        guard publisher.epoch == store.epoch else {
            throw StoreError(
                kind: .misuse, path: store.path, operation: "start the outbox relay",
                reason: "the publisher's epoch is \(publisher.epoch) but the store's is \(store.epoch)",
                remedy: "create the EventPublisher with epoch: store.epoch")
        }
        guard store.feed.attachRelay() else {
            throw StoreError(
                kind: .misuse, path: store.path, operation: "start the outbox relay",
                reason: "the store already has a relay", remedy: "run one OutboxRelay per store")
        }
        self.store = store
        self.publisher = publisher
        self.logger = logger
    }

    public var counts: Counters { counters.withLock { $0 } }

    /// Publishes until the task is cancelled or the store closes. Maintenance (the durable
    /// watermark, pruning) runs beside publishing in a child task, so publishing never waits
    /// for a maintenance write.
    public func run() async {
        // Small commits are published by the after-commit hook while the relay runs (not with
        // a crash point armed: the crash before publishing is the relay's to take).
        let inline = !CrashPoints.isArmed
        if inline { store.feed.setInlinePublisher { [self] events in publishInline(events) } }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.maintenanceLoop() }
            await publishLoop()
            group.cancelAll()
        }
        if inline { store.feed.setInlinePublisher(nil) }
    }

    /// Hands `events` to the publisher in order, on the thread that committed them (GRDB's
    /// writer, in commit order), up to the first the publisher refuses; returns how many went.
    /// Never waits: what is refused is left to the relay's retries.
    private func publishInline(_ events: [OutboxEvent]) -> Int {
        var published = 0
        for event in events {
            let handed = publisher.publish(
                topic: event.topic, type: event.type, encodedData: event.data, seq: event.seq)
            guard handed.queued else { break }
            published += 1
        }
        if published > 0 {
            store.feed.didPublish(through: events[published - 1].position)
            counters.withLock { $0.published += published }
        }
        return published
    }

    private func publishLoop() async {
        var signals = store.feed.signals.makeAsyncIterator()
        while !Task.isCancelled {
            _ = await publishCommitted(until: nil)
            guard await signals.next() != nil else { return }
        }
    }

    /// Publishes what has been committed and not yet published, within `seconds` at most:
    /// called at graceful shutdown, after the service's loop has stopped committing, so that
    /// consumers have every event before the process ends (what is left would be published
    /// at the next start all the same). Returns whether everything went out.
    @discardableResult
    public func drain(withinSeconds seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1_000))
        let drained = await publishCommitted(until: deadline)
        if !drained {
            logger.warning(
                "stopping with events committed but not yet published; the next start publishes them",
                metadata: ["backlog": "\(store.feed.backlog)"])
        }
        return drained
    }

    /// Hands committed events to the publisher until none is left (true), the task is
    /// cancelled, the outbox cannot be read, or `deadline` passes (false).
    private func publishCommitted(until deadline: ContinuousClock.Instant?) async -> Bool {
        let feed = store.feed
        let batchMax = max(1, store.configuration.relayBatchMax)
        var steps = 0
        while !Task.isCancelled {
            if let deadline, ContinuousClock.now >= deadline { return false }
            switch feed.next(max: batchMax) {
            case .events(let events):
                await publish(events)
            case .readDatabase(let after, let lastCommitted):
                let events: [OutboxEvent]
                do {
                    events = try await store.readOutbox(after: after, limit: batchMax)
                } catch {
                    logger.error(
                        "cannot read the outbox; retrying at the next tick", metadata: ["error": "\(error)"])
                    return false
                }
                guard !events.isEmpty else {
                    // Rows between `after` and the last commit are missing: nothing can bring
                    // them back, so move past them instead of spinning.
                    logger.error(
                        "outbox rows \(after + 1)...\(lastCommitted) are missing; skipping them",
                        metadata: ["path": "\(store.path)"])
                    feed.didPublish(through: lastCommitted)
                    continue
                }
                counters.withLock { $0.readFromDatabase += events.count }
                await publish(events)
            case .idle:
                return true
            }
            steps += 1
            // A long backlog must not monopolise a cooperative thread.
            if steps % 8 == 0 { await Task.yield() }
        }
        return false
    }

    /// Every `maintenanceIntervalSeconds`: wakes the publishing loop (a failed outbox read is
    /// retried then) and runs the store's maintenance, again at once while it deletes full
    /// batches (a bounded number of times).
    private func maintenanceLoop() async {
        let interval = Duration.milliseconds(
            Int64(max(0.001, store.configuration.maintenanceIntervalSeconds) * 1_000))
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            store.feed.poke()
            for _ in 0..<Self.maintenanceRoundsPerTickMax {
                do {
                    let report = try await store.maintain()
                    counters.withLock { $0.maintenancePasses += 1 }
                    if !report.morePending { break }
                } catch {
                    counters.withLock { $0.maintenanceFailures += 1 }
                    if error.kind == .closed { return }
                    logger.warning("outbox maintenance failed", metadata: ["error": "\(error)"])
                    break
                }
            }
        }
    }

    /// Maintenance passes in one tick at most, when each deletes a full batch.
    static let maintenanceRoundsPerTickMax = 16

    /// Hands `events` to the publisher in order. An event the I/O thread cannot take is retried
    /// with a growing pause (the relay's backpressure) up to `publishRetrySecondsMax`.
    private func publish(_ events: [OutboxEvent]) async {
        let retryMax = Duration.milliseconds(Int64(store.configuration.publishRetrySecondsMax * 1_000))
        let clock = ContinuousClock()
        var published = 0
        var dropped = 0
        var retries = 0
        for event in events {
            if CrashPoints.isArmed, CrashPoints.shouldCrash(at: .beforePublish) {
                await CrashPoints.crashAfterGrace()
            }
            let started = clock.now
            var pause = Duration.microseconds(100)
            var queued = true
            while !publisher.publish(topic: event.topic, type: event.type, encodedData: event.data, seq: event.seq)
                .queued
            {
                if clock.now - started >= retryMax || Task.isCancelled {
                    queued = false
                    dropped += 1
                    logger.warning(
                        "the publisher's queue stayed full; event skipped (consumers see a gap and re-snapshot)",
                        metadata: ["topic": "\(event.topic)", "seq": "\(event.seq)"])
                    break
                }
                retries += 1
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(20))
            }
            if queued { published += 1 }
            store.feed.didPublish(through: event.position)
        }
        counters.withLock { counters in
            counters.published += published
            counters.dropped += dropped
            counters.publishRetries += retries
        }
    }
}
