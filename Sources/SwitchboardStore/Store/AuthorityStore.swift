import Dispatch
import Foundation
public import GRDB
public import Logging
public import SwitchboardBus
import Synchronization

/// The durable state of one authority (router, presence, desk): one SQLite file in WAL mode,
/// opened through GRDB.
///
/// - Opening raises the epoch durably; the value is this run's epoch (give it to the
///   `EventPublisher`).
/// - `commit { tx in … }` runs one write transaction on GRDB's writer queue (never on the
///   cooperative pool): the authority writes its tables through `tx.db`, emits events with
///   `tx.emit` and saves command replies with `tx.saveReply`. Seqs are assigned inside the
///   transaction, so state, outbox and seqs commit together.
/// - Committed events reach the `OutboxRelay` from the after-commit step, which runs on GRDB's
///   writer queue right after COMMIT and before the next transaction: in commit order.
/// - `read`, `readConsistent` and `snapshot` give one read transaction's view: the state and
///   the seqs it reflects.
///
/// Writes are serialised by GRDB; the seqs and the last outbox position are mirrored in memory
/// (valid because only the writer queue changes them, in commit order).
///
/// A service uses it in this order:
///
/// ```swift
/// let store = try await AuthorityStore.open(configuration, logger: logger, migrations: RouterTables.register)
/// let state = try await store.read { db in try RouterTables.load(db) }      // 1. load
/// let publisher = try await EventPublisher(
///     loop: loop, bind: endpoint, source: "router", epoch: store.epoch, logger: logger)
/// let relay = try OutboxRelay(store: store, publisher: publisher, logger: logger)  // 2. replays first
/// let server = try await CommandServer(
///     loop: loop, bind: commands, handler: handler,
///     store: DurableCommandReplyStore(store: store, logger: logger), logger: logger)
/// let snapshots = StoreSnapshotSource(store: store, logger: logger, items: RouterTables.snapshotItems)
/// // 3. run relay.run(), server.run(), the SnapshotServer and the heartbeats in one task group.
/// // 4. In the handler, one transaction per batch:
/// //    try await store.commit { tx in …; try tx.emit(…); try tx.saveReply(id: id, outcome: outcome) }
/// //    CrashPoints.hit(.afterCommit)
/// // 5. On shutdown: stop the tasks, shut the socket loop down, then `await store.close()`.
/// ```
public final class AuthorityStore: Sendable {
    /// This run's epoch: one more than the previous open of this file.
    public let epoch: UInt64
    /// The database file.
    public let path: String
    public let configuration: StoreConfiguration
    /// Events left unpublished by the previous run, re-stamped into this epoch at open and
    /// published first.
    public let replayedEventCount: Int

    let pool: DatabasePool
    let logger: Logger
    let feed: OutboxFeed
    let recentReplies: RecentReplyIds
    let auditTrail = AuditTrail()
    private let fileLock: DatabaseFileLock
    private let memory: Mutex<WriterMemory>

    /// What the writer queue knows between transactions.
    struct WriterMemory {
        var sequences: [String: UInt64]
        var lastPosition: UInt64
        /// The durable `published_position`.
        var recordedWatermark: UInt64
        /// Outbox rows up to here are deleted.
        var prunedThrough: UInt64
        var lastReplyPruneAt: Double
        /// Bytes of row content committed since the store opened, by table.
        var writtenBytes: [String: Int] = [:]
        var closed = false
    }

    private init(opened: OpenedDatabase, configuration: StoreConfiguration, logger: Logger) {
        self.epoch = opened.epoch
        self.path = configuration.path
        self.configuration = configuration
        self.replayedEventCount = opened.replayed
        self.pool = opened.pool
        self.logger = logger
        self.fileLock = opened.lock
        self.feed = OutboxFeed(
            published: opened.watermark, lastCommitted: opened.lastPosition,
            memoryEventsMax: configuration.relayMemoryEventsMax,
            watermarkLag: .milliseconds(Int64(max(0, configuration.watermarkLagSeconds) * 1_000)))
        self.recentReplies = RecentReplyIds(capacity: configuration.recentReplyIdsMax)
        self.memory = Mutex(
            WriterMemory(
                sequences: opened.sequences, lastPosition: opened.lastPosition, recordedWatermark: opened.watermark,
                prunedThrough: opened.watermark, lastReplyPruneAt: -Double.infinity))
    }

    // MARK: Opening and closing

    /// Opens (creating when missing) the authority's database, applies the store's schema and
    /// then the authority's own migrations, raises the epoch, and re-stamps the events the
    /// previous run committed but may not have published: they get the new epoch and the first
    /// seqs of their families, so the relay publishes them before anything new.
    ///
    /// Why re-stamp rather than publish them under their old epoch: consumers re-snapshot on
    /// a new epoch anyway (the snapshot already reflects those events), and a seq is only
    /// meaningful within one (epoch, family) stream, which the new run now owns. The events
    /// still reach whoever records the stream (a chaos checker, an audit tap).
    ///
    /// The blocking work runs on a dispatch queue of its own, not on the cooperative pool.
    public static func open(
        _ configuration: StoreConfiguration, logger: Logger,
        migrations: @escaping @Sendable (inout DatabaseMigrator) -> Void = { _ in }
    ) async throws(StoreError) -> AuthorityStore {
        let result: Result<OpenedDatabase, StoreError> = await withCheckedContinuation { continuation in
            DispatchQueue(label: "switchboard.store.open").async {
                do throws(StoreError) {
                    continuation.resume(returning: .success(try openBlocking(configuration, migrations: migrations)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        let opened = try result.get()
        let store = AuthorityStore(opened: opened, configuration: configuration, logger: logger)
        logger.info(
            "store opened",
            metadata: [
                "source": "\(configuration.source)", "path": "\(configuration.path)", "epoch": "\(opened.epoch)",
                "replayed": "\(opened.replayed)", "durability": "\(configuration.durability.rawValue)",
            ])
        return store
    }

    struct OpenedDatabase: Sendable {
        let pool: DatabasePool
        let lock: DatabaseFileLock
        let epoch: UInt64
        let watermark: UInt64
        let lastPosition: UInt64
        let sequences: [String: UInt64]
        let replayed: Int
    }

    private static func openBlocking(
        _ configuration: StoreConfiguration, migrations: @Sendable (inout DatabaseMigrator) -> Void
    ) throws(StoreError) -> OpenedDatabase {
        let path = configuration.path
        func failure(_ kind: StoreError.Kind, _ reason: String, _ remedy: String) -> StoreError {
            StoreError(kind: kind, path: path, operation: "open", reason: reason, remedy: remedy)
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw failure(
                    .cannotOpen, "its directory cannot be created (\(error.localizedDescription))",
                    "check that \(directory) is writable or name another data directory in the topology")
            }
        }
        let lock: DatabaseFileLock
        do throws(DatabaseFileLock.Failure) {
            lock = try DatabaseFileLock.acquire(path: path + ".lock")
        } catch {
            switch error {
            case .held:
                throw failure(
                    .alreadyOpen, "another process holds \(path).lock",
                    "stop the other \(configuration.source) process first: one authority has one writer")
            case .cannotOpen(let reason):
                throw failure(
                    .cannotOpen, "its lock file \(path).lock cannot be opened (\(reason))", "check permissions")
            }
        }
        var grdb = Configuration()
        grdb.label = "switchboard.store.\(configuration.source)"
        grdb.busyMode = .timeout(max(0, configuration.busyTimeoutSeconds))
        grdb.maximumReaderCount = max(1, configuration.readersMax)
        let synchronous = configuration.durability == .powerLoss ? "FULL" : "NORMAL"
        grdb.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            // Bounds the WAL file left after a checkpoint (it otherwise keeps its peak size).
            try db.execute(sql: "PRAGMA journal_size_limit = \(64 << 20)")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: grdb)
        } catch {
            lock.release()
            throw failure(
                .cannotOpen, "\(error)", "check that the file is a SQLite database and its directory is writable")
        }
        var migrator = DatabaseMigrator()
        StoreSchema.register(in: &migrator)
        migrations(&migrator)
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                try? pool.close()
                lock.release()
                throw failure(
                    .incompatible, "the database was written by a newer version of Switchboard",
                    "run the newer version, or move the file away to start from empty state")
            }
            try migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            try? pool.close()
            lock.release()
            throw failure(
                .cannotOpen, "its schema could not be applied (\(error))",
                "restore the file from a backup or move it away")
        }
        do {
            return try pool.write { db -> OpenedDatabase in
                let epoch = try StoreSchema.metaValue(StoreSchema.MetaKey.epoch, in: db) + 1
                try StoreSchema.setMetaValue(StoreSchema.MetaKey.epoch, epoch, in: db)
                let watermark = try StoreSchema.metaValue(StoreSchema.MetaKey.publishedPosition, in: db)
                try db.execute(
                    sql: "DELETE FROM outbox WHERE last_position <= ?", arguments: [Int64(clamping: watermark)])
                try db.execute(sql: "DELETE FROM sequences")
                let restamped = try restampUnpublished(in: db, epoch: epoch, watermark: watermark)
                return OpenedDatabase(
                    pool: pool, lock: lock, epoch: epoch, watermark: watermark,
                    lastPosition: max(watermark, restamped.lastPosition), sequences: restamped.sequences,
                    replayed: restamped.events)
            }
        } catch let error as OutboxPackingError {
            try? pool.close()
            lock.release()
            throw failure(
                .incompatible, "\(error)",
                "restore the file from a backup, or move it away to start from empty state")
        } catch {
            try? pool.close()
            lock.release()
            throw failure(
                .cannotOpen, "the epoch could not be raised (\(error))", "check free disk space and permissions")
        }
    }

    /// Gives the events the previous run left unpublished (after `watermark`) the new epoch
    /// and the first seqs of their families, in commit order, and writes those seqs. Rows are
    /// rewritten one at a time, so memory holds one transaction's events at most.
    private static func restampUnpublished(in db: Database, epoch: UInt64, watermark: UInt64) throws
        -> (events: Int, lastPosition: UInt64, sequences: [String: UInt64])
    {
        var sequences: [String: UInt64] = [:]
        var count = 0
        var lastPosition: UInt64 = 0
        let keys = try Int64.fetchAll(db, sql: "SELECT last_position FROM outbox ORDER BY last_position")
        for key in keys {
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT first_position, epoch, events FROM outbox WHERE last_position = ?",
                    arguments: [key])
            else { continue }
            let first: Int64 = row[0]
            let previousEpoch: Int64 = row[1]
            let events = try OutboxPacking.unpack(
                DatabaseBytes.bytes(row[2]) ?? [], firstPosition: UInt64(max(0, first)),
                epoch: UInt64(max(0, previousEpoch)))
            var packed: [UInt8] = []
            var kept = 0
            var firstKept: UInt64?
            for event in events where event.position > watermark {
                let seq = (sequences[event.family] ?? 0) + 1
                sequences[event.family] = seq
                OutboxPacking.append(seq: seq, topic: event.topic, type: event.type, data: event.data, to: &packed)
                firstKept = firstKept ?? event.position
                kept += 1
            }
            guard let firstKept else {
                try db.execute(sql: "DELETE FROM outbox WHERE last_position = ?", arguments: [key])
                continue
            }
            try db.execute(
                sql: """
                    UPDATE outbox SET first_position = ?, epoch = ?, event_count = ?, events = ?
                    WHERE last_position = ?
                    """,
                arguments: [Int64(clamping: firstKept), Int64(clamping: epoch), kept, DatabaseBytes.data(packed), key])
            count += kept
            lastPosition = max(lastPosition, UInt64(max(0, key)))
        }
        let statement = try db.makeStatement(sql: "INSERT INTO sequences (family, seq) VALUES (?, ?)")
        for (family, seq) in sequences { try statement.execute(arguments: [family, Int64(clamping: seq)]) }
        return (count, lastPosition, sequences)
    }

    /// Records how far the relay published (so a clean restart publishes nothing twice), then
    /// closes the database and releases the lock. Close the publisher's socket loop first so
    /// that what the relay handed it has left the process. Later commits fail with `.closed`.
    public func close() async {
        let published = feed.published
        do {
            try await pool.write { db in
                let watermark = self.memory.withLock { $0.recordedWatermark }
                if published > watermark {
                    try StoreSchema.setMetaValue(StoreSchema.MetaKey.publishedPosition, published, in: db)
                }
                // Marked inside the writer queue, so no commit queued after this one slips through.
                self.memory.withLock { $0.closed = true }
            }
        } catch {
            memory.withLock { $0.closed = true }
            logger.warning("could not record the published watermark at close: \(error)", metadata: ["path": "\(path)"])
        }
        feed.finish()
        let pool = self.pool
        let closeError: String? = await withCheckedContinuation { continuation in
            DispatchQueue(label: "switchboard.store.close").async {
                do {
                    try pool.close()
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: "\(error)")
                }
            }
        }
        if let closeError {
            logger.warning("closing the database failed: \(closeError)", metadata: ["path": "\(path)"])
        }
        fileLock.release()
    }

    // MARK: Writing

    /// Runs `body` in one write transaction and commits it. What `body` throws rolls the
    /// transaction back and is rethrown unchanged; a failure of the database itself is a
    /// `StoreError`. A cancelled caller may roll back (GRDB interrupts the statement), which
    /// throws `CancellationError`. Not reentrant: never call `commit` from inside `body`.
    @discardableResult
    public func commit<T: Sendable>(_ body: @Sendable (StoreTransaction) throws -> T) async throws -> T {
        if isClosed { throw closedError("commit") }
        let started = configuration.commitObserver == nil ? nil : Optional(ContinuousClock.now)
        do {
            let value = try await pool.writeWithoutTransaction { db in try self.runTransaction(db, body) }
            observeCommit(startedAt: started)
            return value
        } catch {
            throw commitError(error)
        }
    }

    /// Runs `body` in one write transaction as `commit` does, but without waiting for it: the
    /// transaction is queued on the store's writer, behind those queued before, and `completion`
    /// runs there right after it, in commit order, with the value or the error (as `commit`
    /// would throw it). For a caller that goes on while its commit runs and answers from the
    /// completion, without waking a task of its own for each commit.
    public func commitInBackground<T: Sendable>(
        _ body: @escaping @Sendable (StoreTransaction) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        if isClosed {
            completion(.failure(closedError("commit")))
            return
        }
        let started = configuration.commitObserver == nil ? nil : Optional(ContinuousClock.now)
        pool.asyncWriteWithoutTransaction { db in
            let result: Result<T, any Error>
            do {
                result = .success(try self.runTransaction(db, body))
                self.observeCommit(startedAt: started)
            } catch {
                result = .failure(self.commitError(error))
            }
            completion(result)
        }
    }

    /// One write transaction on GRDB's writer queue, and the after-commit hook.
    private func runTransaction<T>(_ db: Database, _ body: (StoreTransaction) throws -> T) throws -> T {
        var outcome: (value: T, committed: CommittedTransaction, recorded: UInt64?)?
        try db.inTransaction(.immediate) {
            let memory = self.memory.withLock { $0 }
            if memory.closed { throw self.closedError("commit") }
            let transaction = StoreTransaction(
                db: db, epoch: self.epoch, now: self.configuration.now(), sequences: memory.sequences,
                lastPosition: memory.lastPosition, auditTrail: self.auditTrail)
            // The published watermark rides on the next transaction: no write of its own.
            let recordable = self.feed.recordable
            let recorded: UInt64? = recordable > memory.recordedWatermark ? recordable : nil
            if let recorded {
                try StoreSchema.setMetaValue(StoreSchema.MetaKey.publishedPosition, recorded, in: db)
            }
            let value: T
            do {
                value = try body(transaction)
            } catch {
                throw BodyFailure(error: error)
            }
            outcome = (value, try transaction.finish(), recorded)
            return .commit
        }
        // COMMIT succeeded (`inTransaction` throws otherwise). This is the after-commit
        // hook: still on GRDB's writer queue, before any other transaction can begin, so
        // hand-overs happen in commit order. (Cheaper than a transaction observer, which
        // makes GRDB track every statement.)
        guard let outcome else { throw StoreTransactionError(problem: "a commit ended without its body") }
        self.didCommit(outcome.committed, recordedWatermark: outcome.recorded)
        return outcome.value
    }

    private func observeCommit(startedAt started: ContinuousClock.Instant?) {
        if let started, let observer = configuration.commitObserver {
            let elapsed = ContinuousClock.now - started
            observer(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
    }

    /// What `commit` throws for `error`: the body's own error unchanged, else a `StoreError`.
    private func commitError(_ error: any Error) -> any Error {
        switch error {
        case let failure as BodyFailure: return failure.error
        case let error as StoreError: return error
        case let error as CancellationError: return error
        default:
            if isClosed { return closedError("commit") }
            return StoreError(
                kind: .writeFailed, path: path, operation: "commit", reason: "\(error)",
                remedy: "check free disk space and the file's health; the transaction was rolled back, so retry it")
        }
    }

    /// Runs on GRDB's writer queue right after a commit, in commit order.
    private func didCommit(_ committed: CommittedTransaction, recordedWatermark: UInt64?) {
        memory.withLock { memory in
            if let sequences = committed.sequences { memory.sequences = sequences }
            memory.lastPosition = max(memory.lastPosition, committed.lastPosition)
            if let recordedWatermark { memory.recordedWatermark = max(memory.recordedWatermark, recordedWatermark) }
            for (table, bytes) in committed.writtenBytes { memory.writtenBytes[table, default: 0] += bytes }
        }
        feed.committed(committed.events)
        if !committed.replies.isEmpty { recentReplies.remember(committed.replies) }
    }

    private struct BodyFailure: Error {
        let error: any Error
    }

    /// True once `close` has begun: commits and reads are refused from then on.
    public var isClosed: Bool { memory.withLock { $0.closed } }

    func closedError(_ operation: String) -> StoreError {
        StoreError(
            kind: .closed, path: path, operation: operation, reason: "the store is closed",
            remedy: "open the store again (a closed store takes no more work)")
    }

    // MARK: Reading

    /// Runs `body` in one read transaction (beside writes, never blocking them).
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        if isClosed { throw closedError("read") }
        do {
            return try await pool.read { db in
                do {
                    return try body(db)
                } catch {
                    throw BodyFailure(error: error)
                }
            }
        } catch let failure as BodyFailure {
            throw failure.error
        } catch let error as CancellationError {
            throw error
        } catch {
            if isClosed { throw closedError("read") }
            throw readError("read", error)
        }
    }

    /// Runs `body` in one read transaction and returns its value with the epoch and the seqs
    /// of that same transaction: the value reflects exactly the events up to those seqs.
    public func readConsistent<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws
        -> ConsistentRead<T>
    {
        try await read { db in
            let value = try body(db)
            return ConsistentRead(value: value, epoch: self.epoch, sequences: try StoreSchema.sequences(in: db))
        }
    }

    /// A bus snapshot from one read transaction: `items` reads the authority's tables (it may
    /// filter by `prefix` itself, or leave that to the snapshot server), and the seqs come
    /// from the same transaction.
    public func snapshot(
        prefix: String?, items: @Sendable (Database, String?) throws -> [SnapshotItem]
    ) async throws -> Snapshot {
        let consistent = try await readConsistent { db in try items(db, prefix) }
        return Snapshot(items: consistent.value, epoch: consistent.epoch, sequences: consistent.sequences)
    }

    /// Bytes of row content committed since the store opened, by table: the outbox's packed
    /// events, the command replies, and what the authority counted of its own tables
    /// (`StoreTransaction.noteWritten`). SQLite writes whole pages, so the file grows by more.
    public var writtenBytes: [String: Int] { memory.withLock { $0.writtenBytes } }

    /// The seqs of every family as the last commit left them (memory, no read).
    public func committedSequences() -> [String: UInt64] {
        memory.withLock { $0.sequences }
    }

    /// Outbox positions committed but not yet handed to the publisher.
    public var unpublishedCount: UInt64 { feed.backlog }

    func readError(_ operation: String, _ error: any Error) -> StoreError {
        StoreError(
            kind: .readFailed, path: path, operation: operation, reason: "\(error)",
            remedy: "retry; if it persists, check the file's health")
    }

    /// Up to `limit` outbox events after `position`, in commit order (the relay's way back to
    /// events that did not fit in memory, or that the previous run left unpublished).
    func readOutbox(after position: UInt64, limit: Int) async throws -> [OutboxEvent] {
        try await read { db in
            var events: [OutboxEvent] = []
            // Whole rows (one transaction each) until `limit` events are in hand.
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT first_position, epoch, events FROM outbox
                    WHERE last_position > ? ORDER BY last_position
                    """, arguments: [Int64(clamping: position)])
            while events.count < limit, let row = try rows.next() {
                let first: Int64 = row[0]
                let epoch: Int64 = row[1]
                let unpacked = try OutboxPacking.unpack(
                    DatabaseBytes.bytes(row[2]) ?? [], firstPosition: UInt64(max(0, first)),
                    epoch: UInt64(max(0, epoch)))
                events.append(contentsOf: unpacked.lazy.filter { $0.position > position })
            }
            return events
        }
    }

    // MARK: Maintenance

    /// Records the published watermark, deletes published outbox rows and expired command
    /// replies, each bounded by `pruneRowsMax`. The relay calls it on its tick; `force` looks
    /// for expired replies now instead of at the next reply-pruning interval.
    @discardableResult
    public func maintain(force: Bool = false) async throws(StoreError) -> MaintenanceReport {
        let recordable = feed.recordable
        let now = configuration.now()
        let snapshot = memory.withLock { $0 }
        if snapshot.closed { throw closedError("maintenance") }
        let watermarkDue = recordable > snapshot.recordedWatermark
        let outboxDue = max(recordable, snapshot.recordedWatermark) > snapshot.prunedThrough
        let replyPruneInterval = min(60, max(0.001, configuration.replyRetentionSeconds / 4))
        let repliesDue = force || now - snapshot.lastReplyPruneAt >= replyPruneInterval
        guard watermarkDue || outboxDue || repliesDue else { return MaintenanceReport() }
        let limit = max(1, configuration.pruneRowsMax)
        let retention = configuration.replyRetentionSeconds
        do {
            return try await pool.writeWithoutTransaction { db in
                var report = MaintenanceReport()
                var recorded: UInt64 = 0
                var prunedThrough: UInt64 = 0
                try db.inTransaction(.immediate) {
                    let current = self.memory.withLock { $0 }
                    if current.closed { throw self.closedError("maintenance") }
                    recorded = current.recordedWatermark
                    if recordable > recorded {
                        try StoreSchema.setMetaValue(StoreSchema.MetaKey.publishedPosition, recordable, in: db)
                        recorded = recordable
                    }
                    report.watermark = recorded
                    prunedThrough = current.prunedThrough
                    if outboxDue && recorded > prunedThrough {
                        let through = min(recorded, prunedThrough + UInt64(limit))
                        try db.execute(
                            sql: "DELETE FROM outbox WHERE last_position <= ?", arguments: [Int64(clamping: through)])
                        report.outboxRowsDeleted = db.changesCount
                        prunedThrough = through
                    }
                    report.morePending = recorded > prunedThrough
                    if repliesDue {
                        try db.execute(
                            sql: """
                                DELETE FROM command_replies WHERE id IN
                                (SELECT id FROM command_replies WHERE saved_at < ? ORDER BY saved_at LIMIT ?)
                                """, arguments: [now - retention, limit])
                        report.repliesDeleted = db.changesCount
                        if report.repliesDeleted >= limit { report.morePending = true }
                        // The audit log is kept exactly as long as the replies it explains.
                        try db.execute(
                            sql: """
                                DELETE FROM audit WHERE row_key IN
                                (SELECT row_key FROM audit WHERE at < ? ORDER BY at LIMIT ?)
                                """, arguments: [now - retention, limit])
                        if db.changesCount >= limit { report.morePending = true }
                    }
                    return .commit
                }
                // Committed; still on the writer queue (see `commit`).
                self.memory.withLock { memory in
                    memory.recordedWatermark = max(memory.recordedWatermark, recorded)
                    memory.prunedThrough = max(memory.prunedThrough, prunedThrough)
                    if repliesDue { memory.lastReplyPruneAt = now }
                }
                return report
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(
                kind: .writeFailed, path: path, operation: "maintenance", reason: "\(error)",
                remedy: "check free disk space; maintenance is retried at the next tick")
        }
    }
}

/// A value read in one transaction with the epoch and seqs it reflects.
public struct ConsistentRead<Value: Sendable>: Sendable {
    public let value: Value
    public let epoch: UInt64
    public let sequences: [String: UInt64]
}

/// What one maintenance pass did.
public struct MaintenanceReport: Sendable, Equatable {
    /// The durable published watermark after the pass (0 when nothing was written).
    public var watermark: UInt64 = 0
    public var outboxRowsDeleted = 0
    public var repliesDeleted = 0
    /// A bound stopped the pass with more to delete: run it again.
    public var morePending = false
}
