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
        try await read { db in try AuditTrail.records(in: db, commandID: commandID, limit: limit) }
    }

    /// The audit log of the store file at `path`, read without opening the store (no epoch raised,
    /// no lock taken), so it works while the service runs: oldest first, the last `limit` rows.
    public static func auditRecords(path: String, commandID: String? = nil, limit: Int = 1_000) throws
        -> [AuditRecord]
    {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            // A store its service has not opened since the log was added has no table yet.
            guard try db.tableExists("audit") else { return [] }
            return try AuditTrail.records(in: db, commandID: commandID, limit: limit)
        }
    }
}
