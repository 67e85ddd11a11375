import GRDB
import Synchronization

/// The audit rows of accepted commands waiting for their command's transaction: the
/// transaction that saves a command's reply writes its row too (`StoreTransaction.saveReply`),
/// so the row exists exactly when the effect does; `AuthorityStore.recordAudit` writes the rest
/// (commands answered without a transaction) once the outcomes are known. Each row carries a
/// random key and both writes are `INSERT OR IGNORE`, so a row is written once whichever
/// comes first, and a row undone with its transaction is written again afterwards.
final class AuditTrail: Sendable {
    struct Pending: Sendable {
        let key: Int64
        let record: AuditRecord
    }

    private let pending = Mutex<[String: Pending]>([:])

    /// Remembers accepted commands' rows by command id until `settle` takes them.
    func expect(_ rows: [Pending]) {
        guard !rows.isEmpty else { return }
        pending.withLock { pending in
            for row in rows { pending[row.record.commandID] = row }
        }
    }

    func waiting(for commandID: String) -> Pending? {
        pending.withLock { $0[commandID] }
    }

    func settle(_ commandIDs: [String]) -> [Pending] {
        pending.withLock { pending in commandIDs.compactMap { pending.removeValue(forKey: $0) } }
    }

    static func insert(_ row: Pending, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO audit
                (row_key, at, principal, acting_for, command_type, command_id, outcome, permission)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            row.key, row.record.atSeconds, row.record.principal, row.record.actingFor, row.record.commandType,
            row.record.commandID, row.record.outcome.rawValue, row.record.permission,
        ])
    }

    static func records(in db: Database, commandID: String?, limit: Int) throws -> [AuditRecord] {
        var sql = "SELECT at, principal, acting_for, command_type, command_id, outcome, permission FROM audit"
        var arguments: StatementArguments = []
        if let commandID {
            sql += " WHERE command_id = ?"
            arguments += [commandID]
        }
        sql += " ORDER BY at DESC, row_key DESC LIMIT ?"
        arguments += [max(0, limit)]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).reversed().map { row in
            AuditRecord(
                atSeconds: row[0], principal: row[1], actingFor: row[2], commandType: row[3], commandID: row[4],
                outcome: AuditRecord.Outcome(rawValue: row[5]) ?? .forbidden, permission: row[6])
        }
    }

    static func newKey() -> Int64 {
        // Random so that rows of different runs never collide; a clash (one in 2^63) would lose one row.
        Int64.random(in: 1...Int64.max)
    }
}
