import GRDB

extension AuthorityStore {
    /// Announces the audit rows of commands about to be applied: the transaction that saves a
    /// command's reply writes its row with the effect. Call `settleAudit` once their outcomes
    /// are known.
    public func expectAudit(_ records: [AuditRecord]) {
        auditTrail.expect(records.map { AuditTrail.Pending(key: AuditTrail.newKey(), record: $0) })
    }

    /// Writes, in one transaction, the rows of `commandIDs` that no command transaction wrote
    /// (commands answered without one: reads, refusals) and the `refused` rows.
    public func settleAudit(commandIDs: [String], refused: [AuditRecord]) async throws {
        let rows =
            auditTrail.settle(commandIDs) + refused.map { AuditTrail.Pending(key: AuditTrail.newKey(), record: $0) }
        guard !rows.isEmpty else { return }
        try await commit { transaction in
            for row in rows { try AuditTrail.insert(row, in: transaction.db) }
        }
    }

    /// The audit log, oldest first: the last `limit` rows, optionally only those of one command id.
    public func auditRecords(commandID: String? = nil, limit: Int = 1_000) async throws -> [AuditRecord] {
        try await read { db in
            var sql = "SELECT at, principal, acting_for, command_type, command_id, outcome, permission FROM audit"
            var arguments: StatementArguments = []
            if let commandID {
                sql += " WHERE command_id = ?"
                arguments += [commandID]
            }
            sql += " ORDER BY at DESC, row_key DESC LIMIT ?"
            arguments += [max(0, limit)]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            return rows.reversed().map { row in
                AuditRecord(
                    atSeconds: row[0], principal: row[1], actingFor: row[2], commandType: row[3], commandID: row[4],
                    outcome: AuditRecord.Outcome(rawValue: row[5]) ?? .forbidden, permission: row[6])
            }
        }
    }
}
