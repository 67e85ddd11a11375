import Foundation
public import GRDB
public import Logging
public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardStore
public import SwitchboardWire

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
        // Ended conversations (views and transcripts) kept for the retention period, one row each,
        // written by the checkpoint that first sees them ended: a checkpoint then costs what
        // changed since the last one, not every conversation of the last hour again.
        migrator.registerMigration("router-v2-ended") { db in
            try db.execute(
                sql: """
                    CREATE TABLE router_ended (
                        id TEXT PRIMARY KEY,
                        view BLOB NOT NULL,
                        transcript BLOB NOT NULL
                    );
                    """)
        }
        // Checkpoints kept for replaying a past window (at most one an hour, pruned with the
        // journal): `at` is the journal time the checkpoint reflects, `through` its last entry.
        migrator.registerMigration("router-v3-history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE router_checkpoint_history (
                        through INTEGER PRIMARY KEY,
                        at INTEGER NOT NULL,
                        written_at INTEGER NOT NULL,
                        data BLOB NOT NULL
                    );
                    """)
        }
        // What recovery and the snapshot read without decoding a view: the state each ended in and
        // when (memory keeps only these), and the wire items as a snapshot gives them: the
        // conversation's, and its transcript's (NULL without messages, as memory holds none).
        migrator.registerMigration("router-v3-ended-settled") { db in
            try db.execute(
                sql: """
                    ALTER TABLE router_ended ADD COLUMN state TEXT;
                    ALTER TABLE router_ended ADD COLUMN ended_at INTEGER;
                    ALTER TABLE router_ended ADD COLUMN item BLOB;
                    ALTER TABLE router_ended ADD COLUMN transcript_item BLOB;
                    """)
            let decoder = JSONDecoder()
            let rows = try Row.fetchAll(db, sql: "SELECT id, view, transcript FROM router_ended")
            let update = try db.makeStatement(
                sql: "UPDATE router_ended SET state = ?, ended_at = ?, item = ?, transcript_item = ? WHERE id = ?")
            for row in rows {
                let view = try decoder.decode(ConversationView.self, from: row["view"] as Data)
                let messages = try decoder.decode([TranscriptMessage].self, from: row["transcript"] as Data)
                try update.execute(arguments: [
                    view.state.rawValue, view.endedAt?.millisecondsSinceEpoch ?? 0, Data(view.json.bytes),
                    RouterCheckpointWriter.EndedRow.transcriptItem(view.id, messages).map { Data($0) },
                    row["id"] as String,
                ])
            }
            // Covering recovery's read: it walks this index alone, never the rows' large columns
            // (which come first in each row, so reading the state from the row would follow them).
            try db.execute(sql: "CREATE INDEX router_ended_by_end ON router_ended (ended_at, state, id)")
        }
    }

    /// How long a checkpoint keeps the journal it covers, and how often it keeps a copy of itself.
    public struct Retention: Sendable, Equatable {
        /// Journal kept behind the newest entry (0: none, a checkpoint drops all it covers).
        public var journalSeconds: Double
        /// The least journal time between two checkpoints kept in `router_checkpoint_history`.
        public var historyEverySeconds: Double

        public init(journalSeconds: Double, historyEverySeconds: Double = 3_600) {
            self.journalSeconds = journalSeconds
            self.historyEverySeconds = historyEverySeconds
        }

        public static let none = Retention(journalSeconds: 0)
    }

    struct Entry: Codable {
        var input: RouterInput
    }

    /// Appends inputs (in the caller's transaction) and returns the position of the last one
    /// (nil when there were none).
    @discardableResult
    public static func append(_ entries: [(RouterInput, RoutingInstant)], in db: Database) throws -> Int64? {
        var bytes = 0
        return try append(entries, in: db, bytes: &bytes)
    }

    /// Appends inputs in `transaction`, counting the bytes written for the store's figures.
    @discardableResult
    static func append(_ entries: [(RouterInput, RoutingInstant)], in transaction: StoreTransaction) throws
        -> Int64?
    {
        var bytes = 0
        defer { transaction.noteWritten(bytes, table: "router_journal") }
        return try append(entries, in: transaction.db, bytes: &bytes)
    }

    private static func append(_ entries: [(RouterInput, RoutingInstant)], in db: Database, bytes: inout Int) throws
        -> Int64?
    {
        guard !entries.isEmpty else { return nil }
        let encoder = JSONEncoder()
        let statement = try db.cachedStatement(sql: "INSERT INTO router_journal (at, input) VALUES (?, ?)")
        for (input, at) in entries {
            let encoded = try encoder.encode(input)
            // The input, its time and its position (8 bytes each).
            bytes += encoded.count + 16
            try statement.execute(arguments: [at.millisecondsSinceEpoch, encoded])
        }
        return db.lastInsertedRowID
    }

    /// The position of the last journal entry written (0 when the journal is empty).
    static func lastPosition(store: AuthorityStore) async throws -> Int64 {
        try await store.read { db in
            let journal = try Int64.fetchOne(db, sql: "SELECT MAX(position) FROM router_journal") ?? 0
            let checkpoint = try Int64.fetchOne(db, sql: "SELECT through FROM router_checkpoint WHERE id = 1") ?? 0
            return max(journal, checkpoint)
        }
    }

    /// Writes a checkpoint of the state as it stood once the journal entry at `through` was
    /// applied, and drops the journal it covers beyond `retention`: with a retention, the journal
    /// is kept back to the newest history checkpoint at least `retention.journalSeconds` old, so a
    /// replay can start from that checkpoint. The router takes the state between two
    /// batches and goes on while this encodes and writes it: entries after `through` stay.
    /// Open conversations go into the checkpoint itself; ended ones still in memory into
    /// `router_ended`, whose rows past the retention period go. Returns the ended conversations
    /// written, which the router then keeps only as settled (`RouterState.settle`).
    @discardableResult
    public static func writeCheckpoint(
        _ state: RouterState, through: Int64, writer: RouterCheckpointWriter, store: AuthorityStore,
        retention: Retention = .none
    ) async throws -> [(id: ConversationID, endedAt: RoutingInstant)] {
        let plan = try writer.plan(state)
        let writtenAt = Int64(Date().timeIntervalSince1970 * 1_000)
        let journalNow = state.engine.now.millisecondsSinceEpoch
        try await store.commit { transaction in
            let upsert = try transaction.db.cachedStatement(
                sql: """
                    INSERT INTO router_ended (id, view, transcript, state, ended_at, item, transcript_item)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET view = excluded.view, transcript = excluded.transcript,
                    state = excluded.state, ended_at = excluded.ended_at, item = excluded.item,
                    transcript_item = excluded.transcript_item
                    """)
            for row in plan.endedRows {
                try upsert.execute(arguments: [
                    row.id.rawValue, row.view, row.transcript, row.state.rawValue, row.endedAt.millisecondsSinceEpoch,
                    Data(row.item), row.transcriptItem.map { Data($0) },
                ])
            }
            try transaction.db.execute(
                sql: "DELETE FROM router_ended WHERE ended_at < ?",
                arguments: [plan.forgottenBefore.millisecondsSinceEpoch])
            try transaction.db.execute(
                sql: """
                    INSERT INTO router_checkpoint (id, through, written_at, data) VALUES (1, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET through = excluded.through, written_at = excluded.written_at,
                    data = excluded.data
                    """, arguments: [through, writtenAt, plan.checkpoint])
            guard retention.journalSeconds > 0 else {
                try transaction.db.execute(
                    sql: "DELETE FROM router_journal WHERE position <= ?", arguments: [through])
                return
            }
            try keepHistory(
                plan.checkpoint, through: through, at: journalNow, writtenAt: writtenAt, retention: retention,
                in: transaction.db)
        }
        return plan.written
    }

    /// The view and transcript of a settled conversation, from its row (nil when it has none).
    static func endedConversation(
        _ id: ConversationID, in db: Database
    ) throws -> (view: ConversationView, messages: [TranscriptMessage])? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT view, transcript FROM router_ended WHERE id = ?", arguments: [id.rawValue])
        else { return nil }
        let decoder = JSONDecoder()
        return (
            try decoder.decode(ConversationView.self, from: row["view"] as Data),
            try decoder.decode([TranscriptMessage].self, from: row["transcript"] as Data)
        )
    }

    /// The settled conversations' wire items (`conv.<id>`) or transcripts (`transcript.<id>`), for a
    /// snapshot: only the rows of `ids` (the store may hold rows the router has not settled yet).
    static func endedItems(
        of ids: [ConversationID: ConversationState], transcripts: Bool, store: AuthorityStore
    ) async throws -> [(id: ConversationID, value: [UInt8])] {
        try await store.read { db in
            var items: [(id: ConversationID, value: [UInt8])] = []
            items.reserveCapacity(ids.count)
            // Copied as written: nothing is decoded. A conversation without messages has no
            // transcript item, as in memory.
            let sql =
                transcripts
                ? "SELECT id, transcript_item FROM router_ended WHERE transcript_item IS NOT NULL"
                : "SELECT id, item FROM router_ended"
            let cursor = try Row.fetchCursor(db, sql: sql)
            while let row = try cursor.next() {
                let id = ConversationID(row[0] as String)
                guard ids[id] != nil else { continue }
                items.append((id, [UInt8](row[1] as Data)))
            }
            return items
        }
    }

    /// Keeps a copy of the checkpoint when the newest kept one is `historyEverySeconds` older,
    /// then drops the journal and the history older than the newest history checkpoint at
    /// least `journalSeconds` old (the retained journal starts right after it).
    private static func keepHistory(
        _ data: Data, through: Int64, at: Int64, writtenAt: Int64, retention: Retention, in db: Database
    ) throws {
        let newest = try Int64.fetchOne(db, sql: "SELECT MAX(at) FROM router_checkpoint_history")
        if newest.map({ Double(at - $0) >= retention.historyEverySeconds * 1_000 }) ?? true {
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO router_checkpoint_history (through, at, written_at, data)
                    VALUES (?, ?, ?, ?)
                    """, arguments: [through, at, writtenAt, data])
        }
        let cutoff = at - Int64(retention.journalSeconds * 1_000)
        guard
            let start = try Row.fetchOne(
                db, sql: "SELECT through, at FROM router_checkpoint_history WHERE at <= ? ORDER BY at DESC LIMIT 1",
                arguments: [cutoff])
        else { return }
        let startThrough: Int64 = start[0]
        let startAt: Int64 = start[1]
        try db.execute(
            sql: "DELETE FROM router_journal WHERE position <= ?", arguments: [min(startThrough, through)])
        try db.execute(sql: "DELETE FROM router_checkpoint_history WHERE at < ?", arguments: [startAt])
    }

    public struct Recovered: Sendable {
        public var state: RouterState
        /// Journal entries replayed on top of the checkpoint.
        public var replayed: Int
        /// The latest instant seen (the router's clock never goes back past it).
        public var lastInstant: RoutingInstant
    }

    /// Loads the checkpoint (or starts from `settings`) and replays the journal. Ended conversations
    /// stay in their rows: only the state each ended in and when are read.
    public static func recover(
        store: AuthorityStore, settings: RouterSettings, logger: Logger
    ) async throws -> Recovered {
        typealias Settled = (id: ConversationID, state: ConversationState, endedAt: RoutingInstant)
        struct Rows: Sendable {
            var checkpoint: Data?
            var settled: [Settled]
            var journal: [(Int64, Data)]
        }
        let rows = try await store.read { db in
            let checkpoint = try Data.fetchOne(db, sql: "SELECT data FROM router_checkpoint WHERE id = 1")
            var settled: [Settled] = []
            let endedRows = try Row.fetchCursor(
                db, sql: "SELECT id, state, ended_at FROM router_ended INDEXED BY router_ended_by_end ORDER BY ended_at"
            )
            while let row = try endedRows.next() {
                guard let state = ConversationState(rawValue: row[1] as String), state.isEnded else { continue }
                settled.append(
                    (ConversationID(row[0] as String), state, RoutingInstant(millisecondsSinceEpoch: row[2] as Int64)))
            }
            let through = try Int64.fetchOne(db, sql: "SELECT through FROM router_checkpoint WHERE id = 1") ?? 0
            var journal: [(Int64, Data)] = []
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT at, input FROM router_journal WHERE position > ? ORDER BY position",
                arguments: [through])
            while let row = try cursor.next() {
                journal.append((row[0], row[1]))
            }
            return Rows(checkpoint: checkpoint, settled: settled, journal: journal)
        }
        let decoder = JSONDecoder()
        var state: RouterState
        var lastInstant = RoutingInstant.zero
        if let data = rows.checkpoint {
            let checkpoint = try decoder.decode(RouterCheckpoint.self, from: data)
            state = try RouterState(checkpoint: checkpoint, settled: rows.settled)
            lastInstant = checkpoint.engine.now
        } else {
            let now =
                rows.journal.first.map { RoutingInstant(millisecondsSinceEpoch: $0.0) }
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
                "open": "\(state.engine.openConversationCount)", "settled": "\(state.settled.count)",
            ])
        return Recovered(state: state, replayed: rows.journal.count, lastInstant: lastInstant)
    }
}
