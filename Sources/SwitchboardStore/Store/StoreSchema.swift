import GRDB

/// The store's own tables, beside the authority's. Their names are reserved in every
/// authority database: `meta`, `sequences`, `outbox`, `command_replies`, `audit`.
///
/// - `meta(key, value)`: `epoch` (raised at every open) and `published_position` (the
///   outbox position up to which events were handed to the publisher, recorded lazily).
/// - `sequences(family, seq)`: the last seq of every topic family in the current epoch,
///   written in the transaction that emitted the event, so a read transaction sees state and
///   seqs that agree. Emptied at every open (seqs restart at 1 in each epoch).
/// - `outbox(last_position, first_position, epoch, event_count, events, committed_at)`: one
///   row per transaction that emitted events, holding them packed (`OutboxPacking`) with
///   consecutive positions `first_position…last_position` (a position rises by one per event
///   in commit order and is never reused); deleted in bulk once published.
/// - `command_replies(id, reply, saved_at)`: the reply given to each command id, kept for
///   the retention period so that a retried id gets the same bytes.
/// - `audit(row_key, at, principal, acting_for, command_type, command_id, outcome, permission)`:
///   every command the service let through or refused for its sender, kept as long as replies.
enum StoreSchema {
    static let migrationIdentifier = "switchboard-store-1"
    static let auditMigrationIdentifier = "switchboard-store-2-audit"

    enum MetaKey {
        static let epoch = "epoch"
        static let publishedPosition = "published_position"
    }

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration(migrationIdentifier) { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
                    INSERT INTO meta (key, value) VALUES ('epoch', 0), ('published_position', 0);
                    CREATE TABLE sequences (family TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE outbox (
                        last_position INTEGER PRIMARY KEY,
                        first_position INTEGER NOT NULL,
                        epoch INTEGER NOT NULL,
                        event_count INTEGER NOT NULL,
                        events BLOB NOT NULL,
                        committed_at REAL NOT NULL
                    );
                    CREATE TABLE command_replies (
                        id TEXT PRIMARY KEY NOT NULL,
                        reply BLOB NOT NULL,
                        saved_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX command_replies_by_age ON command_replies (saved_at);
                    """)
        }
        migrator.registerMigration(auditMigrationIdentifier) { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit (
                        row_key INTEGER PRIMARY KEY,
                        at REAL NOT NULL,
                        principal TEXT,
                        acting_for TEXT,
                        command_type TEXT NOT NULL,
                        command_id TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        permission TEXT
                    );
                    CREATE INDEX audit_by_age ON audit (at);
                    CREATE INDEX audit_by_command ON audit (command_id);
                    """)
        }
    }

    static func metaValue(_ key: String, in db: Database) throws -> UInt64 {
        let value = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) ?? 0
        return UInt64(max(0, value))
    }

    static func setMetaValue(_ key: String, _ value: UInt64, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE meta SET value = ? WHERE key = ?")
            .execute(arguments: [Int64(clamping: value), key])
    }

    /// Every family's last seq in the current epoch, as this transaction sees them.
    static func sequences(in db: Database) throws -> [String: UInt64] {
        var sequences: [String: UInt64] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT family, seq FROM sequences")
        while let row = try rows.next() {
            let family: String = row[0]
            let seq: Int64 = row[1]
            sequences[family] = UInt64(max(0, seq))
        }
        return sequences
    }
}
