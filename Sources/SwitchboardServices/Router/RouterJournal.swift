import Foundation
public import GRDB
public import Logging
public import SwitchboardRouting
public import SwitchboardStore

/// The router's durable state: a checkpoint of `RouterState` and the journal of inputs
/// applied since. Each batch appends its inputs in the same transaction as its events and
/// replies; recovery loads the checkpoint and replays the journal through the same pure code.
public enum RouterJournal {
    /// The router's tables, applied by the store after its own schema.
    public static func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("router-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE router_journal (
                        position INTEGER PRIMARY KEY AUTOINCREMENT,
                        at INTEGER NOT NULL,
                        input BLOB NOT NULL
                    );
                    CREATE TABLE router_checkpoint (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        through INTEGER NOT NULL,
                        written_at INTEGER NOT NULL,
                        data BLOB NOT NULL
                    );
                    """)
        }
    }

    struct Entry: Codable {
        var input: RouterInput
    }

    /// Appends inputs (in the caller's transaction).
    static func append(_ entries: [(RouterInput, RoutingInstant)], in db: Database) throws {
        guard !entries.isEmpty else { return }
        let encoder = JSONEncoder()
        let statement = try db.cachedStatement(sql: "INSERT INTO router_journal (at, input) VALUES (?, ?)")
        for (input, at) in entries {
            try statement.execute(arguments: [at.millisecondsSinceEpoch, try encoder.encode(input)])
        }
    }

    /// Writes a checkpoint of `state` (taken between batches) and drops the journal it covers.
    static func writeCheckpoint(_ checkpoint: RouterCheckpoint, store: AuthorityStore) async throws {
        let data = try JSONEncoder().encode(checkpoint)
        let writtenAt = Int64(Date().timeIntervalSince1970 * 1_000)
        try await store.commit { transaction in
            let through = try Int64.fetchOne(transaction.db, sql: "SELECT MAX(position) FROM router_journal") ?? 0
            try transaction.db.execute(
                sql: """
                    INSERT INTO router_checkpoint (id, through, written_at, data) VALUES (1, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET through = excluded.through, written_at = excluded.written_at,
                    data = excluded.data
                    """, arguments: [through, writtenAt, data])
            try transaction.db.execute(sql: "DELETE FROM router_journal WHERE position <= ?", arguments: [through])
        }
    }

    public struct Recovered: Sendable {
        public var state: RouterState
        /// Journal entries replayed on top of the checkpoint.
        public var replayed: Int
        /// The latest instant seen (the router's clock never goes back past it).
        public var lastInstant: RoutingInstant
    }

    /// Loads the checkpoint (or starts from `settings`) and replays the journal.
    public static func recover(store: AuthorityStore, settings: RouterSettings, logger: Logger) async throws -> Recovered {
        struct Rows: Sendable {
            var checkpoint: Data?
            var journal: [(Int64, Data)]
        }
        let rows = try await store.read { db in
            let checkpoint = try Data.fetchOne(db, sql: "SELECT data FROM router_checkpoint WHERE id = 1")
            let through = try Int64.fetchOne(db, sql: "SELECT through FROM router_checkpoint WHERE id = 1") ?? 0
            var journal: [(Int64, Data)] = []
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT at, input FROM router_journal WHERE position > ? ORDER BY position", arguments: [through])
            while let row = try cursor.next() {
                journal.append((row[0], row[1]))
            }
            return Rows(checkpoint: checkpoint, journal: journal)
        }
        let decoder = JSONDecoder()
        var state: RouterState
        var lastInstant = RoutingInstant.zero
        if let data = rows.checkpoint {
            let checkpoint = try decoder.decode(RouterCheckpoint.self, from: data)
            state = try RouterState(checkpoint: checkpoint)
            lastInstant = checkpoint.engine.now
        } else {
            let now = rows.journal.first.map { RoutingInstant(millisecondsSinceEpoch: $0.0) }
                ?? RoutingInstant(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1_000))
            state = try RouterState(settings: settings, now: now)
        }
        for (at, data) in rows.journal {
            let instant = RoutingInstant(millisecondsSinceEpoch: at)
            _ = state.apply(try decoder.decode(RouterInput.self, from: data), at: instant)
            lastInstant = max(lastInstant, instant)
        }
        logger.info(
            "router state recovered",
            metadata: [
                "checkpoint": "\(rows.checkpoint != nil)", "replayed": "\(rows.journal.count)",
                "open": "\(state.engine.openConversationCount)",
            ])
        return Recovered(state: state, replayed: rows.journal.count, lastInstant: lastInstant)
    }
}
