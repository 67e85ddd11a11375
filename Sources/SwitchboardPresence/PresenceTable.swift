import Foundation
import GRDB
import SwitchboardBus
import SwitchboardRouting

/// The presence tracker's table: one row per agent.
enum PresenceTable {
    static func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("presence-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE presence (
                        agent_id TEXT PRIMARY KEY,
                        status TEXT NOT NULL,
                        reason TEXT,
                        since INTEGER NOT NULL,
                        status_before_timeout TEXT
                    );
                    """)
        }
    }

    static func upsert(_ record: PresenceRecord, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO presence (agent_id, status, reason, since, status_before_timeout) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(agent_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
                since = excluded.since, status_before_timeout = excluded.status_before_timeout
                """,
            arguments: [
                record.agent.rawValue, record.status.rawValue, record.reason, record.sinceMilliseconds,
                record.statusBeforeTimeout?.rawValue,
            ])
    }

    static func all(in db: Database) throws -> [PresenceRecord] {
        try Row.fetchAll(
            db, sql: "SELECT agent_id, status, reason, since, status_before_timeout FROM presence ORDER BY agent_id"
        )
        .compactMap { row in
            guard let status = PresenceStatus(rawValue: row[1]) else { return nil }
            return PresenceRecord(
                agent: AgentID(row[0] as String), status: status, reason: row[2], sinceMilliseconds: row[3],
                statusBeforeTimeout: (row[4] as String?).flatMap(PresenceStatus.init(rawValue:)))
        }
    }
}
