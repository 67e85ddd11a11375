import Foundation
import GRDB
import SwitchboardBus
import SwitchboardRouting

/// The desk's table: one row per agent who ever signed in, holding their `DeskRecord` (as
/// stored, exact) and the snapshot item published for it (as bus JSON), written together in
/// the transaction that emits the change's events and saves the command's reply.
enum DeskTable {
    struct Row: Sendable {
        var agent: AgentID
        var signedIn: Bool
        var record: [UInt8]
    }

    static func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("desk-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE desk_agents (
                        agent_id TEXT PRIMARY KEY,
                        signed_in INTEGER NOT NULL,
                        record BLOB NOT NULL,
                        item BLOB NOT NULL
                    );
                    """)
        }
        FeedbackTable.migrate(&migrator)
    }

    static func upsert(agent: AgentID, signedIn: Bool, record: [UInt8], item: [UInt8], in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO desk_agents (agent_id, signed_in, record, item) VALUES (?, ?, ?, ?)
                ON CONFLICT(agent_id) DO UPDATE SET signed_in = excluded.signed_in, record = excluded.record,
                item = excluded.item
                """,
            arguments: [agent.rawValue, signedIn, Data(record), Data(item)])
    }

    static func row(of agent: AgentID, in db: Database) throws -> Row? {
        try GRDB.Row.fetchOne(
            db, sql: "SELECT agent_id, signed_in, record FROM desk_agents WHERE agent_id = ?",
            arguments: [agent.rawValue]
        )
        .map(read)
    }

    static func signedIn(in db: Database) throws -> [Row] {
        try GRDB.Row.fetchAll(
            db, sql: "SELECT agent_id, signed_in, record FROM desk_agents WHERE signed_in = 1 ORDER BY agent_id"
        )
        .map(read)
    }

    /// Every agent's item and every intent's feedback item, for a snapshot.
    static func items(prefix: String?, in db: Database) throws -> [SnapshotItem] {
        try GRDB.Row.fetchAll(db, sql: "SELECT agent_id, item FROM desk_agents ORDER BY agent_id").compactMap { row in
            let item = SnapshotItem(key: "desk.\(row[0] as String)", valueBytes: Array(row[1] as Data))
            return item.matches(prefix: prefix) ? item : nil
        } + FeedbackTable.items(prefix: prefix, in: db)
    }

    private static func read(_ row: GRDB.Row) -> Row {
        Row(agent: AgentID(row[0] as String), signedIn: row[1] as Bool, record: Array(row[2] as Data))
    }
}
