import Foundation
import GRDB
import SwitchboardWorkspace

/// The monitor's one durable table: the interventions in progress (the ledger), one row,
/// written in the same transaction as the events and the command's reply.
enum InterventionTable {
    static func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("monitor-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE intervention_ledger (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        ledger BLOB NOT NULL
                    );
                    """)
        }
    }

    static func save(_ ledger: InterventionLedger, in db: Database) throws {
        let data = try JSONEncoder().encode(ledger)
        try db.execute(
            sql: """
                INSERT INTO intervention_ledger (id, ledger) VALUES (1, ?)
                ON CONFLICT(id) DO UPDATE SET ledger = excluded.ledger
                """, arguments: [data])
    }

    /// The stored ledger under `policy` (the contact centre's roles as they are now), or an
    /// empty one.
    static func load(in db: Database, policy: SupervisionPolicy) throws -> InterventionLedger {
        guard let data = try Data.fetchOne(db, sql: "SELECT ledger FROM intervention_ledger WHERE id = 1") else {
            return InterventionLedger(policy: policy)
        }
        var ledger = try JSONDecoder().decode(InterventionLedger.self, from: data)
        ledger.policy = policy
        return ledger
    }
}
