import GRDB
public import Logging
public import SwitchboardBus

/// The bus's `CommandReplyStore` backed by the authority's database: a repeated command id
/// gets the reply bytes stored the first time, across restarts, for the retention period.
///
/// Replies of commands with effects are saved by the handler inside the effect's transaction
/// (`StoreTransaction.saveReply`), so `save` skips them (it knows them from the after-commit
/// hook; no write at all when every reply of a batch was saved that way). It stores the rest:
/// refusals that never reached a transaction (unknown command, invalid argument, conflict),
/// so their repeats get the same bytes. It does not store a refusal that asks the client to
/// retry (`unavailable`, `internal`): the retry must run the command again.
public final class DurableCommandReplyStore: CommandReplyStore {
    private let store: AuthorityStore
    private let logger: Logger

    /// Ids per lookup statement, well under SQLite's limit on bound variables.
    static let idsPerQueryMax = 500

    public init(store: AuthorityStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func storedReplies(for ids: [String]) async -> [String: [UInt8]] {
        guard !ids.isEmpty else { return [:] }
        do {
            return try await lookUp(ids)
        } catch {
            // Unknown whether these ids were applied before (a read failed, or was cancelled at
            // shutdown): none of them may reach the handler, whose transaction would refuse an
            // applied id only after the state had already changed in memory. Each is answered
            // with a retryable error; the retry under the same id looks again.
            logger.error(
                "reply lookup failed; the commands are answered 'unavailable' for their senders to retry",
                metadata: ["path": "\(store.path)", "error": "\(error)"])
            var refusals: [String: [UInt8]] = [:]
            for id in ids {
                refusals[id] =
                    CommandReply(
                        id: id,
                        outcome: .failed(
                            CommandFailure(
                                code: .unavailable,
                                message: "could not check whether command '\(id)' was applied before; "
                                    + "send it again with the same id"))
                    ).bytes
            }
            return refusals
        }
    }

    /// The stored replies, except that a command whose id was accepted from another principal
    /// (the audit log says whose it was) is refused instead of given that principal's reply.
    public func storedReplies(for commands: [(id: String, principal: String?)]) async -> [String: [UInt8]] {
        var found = await storedReplies(for: commands.map(\.id))
        let signed = commands.filter { $0.principal != nil && found[$0.id] != nil }
        guard !signed.isEmpty else { return found }
        let owners: [String: String?]
        do {
            owners = try await acceptedPrincipals(signed.map(\.id))
        } catch {
            logger.error("audit lookup failed", metadata: ["path": "\(store.path)", "error": "\(error)"])
            return found
        }
        for (id, principal) in signed {
            guard let owner = owners[id], owner != principal else { continue }
            found[id] =
                CommandReply(
                    id: id,
                    outcome: .failed(
                        CommandFailure(
                            code: .forbidden,
                            message: "the command id '\(id)' belongs to another sender's command; "
                                + "give every command an id of its own"))
                ).bytes
        }
        return found
    }

    /// Who sent the accepted command of each id the audit log knows.
    private func acceptedPrincipals(_ ids: [String]) async throws -> [String: String?] {
        var owners: [String: String?] = [:]
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + Self.idsPerQueryMax)])
            start += chunk.count
            let rows = try await store.read { db -> [(String, String?)] in
                let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                var rows: [(String, String?)] = []
                let cursor = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT command_id, principal FROM audit
                        WHERE outcome = 'accepted' AND command_id IN (\(placeholders))
                        """,
                    arguments: StatementArguments(chunk))
                while let row = try cursor.next() { rows.append((row[0], row[1])) }
                return rows
            }
            for (id, principal) in rows { owners[id] = .some(principal) }
        }
        return owners
    }

    /// The stored replies of those ids that have one.
    public func lookUp(_ ids: [String]) async throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + Self.idsPerQueryMax)])
            start += chunk.count
            let rows = try await store.read { db -> [(String, [UInt8])] in
                let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                var result: [(String, [UInt8])] = []
                let cursor = try Row.fetchCursor(
                    db, sql: "SELECT id, reply FROM command_replies WHERE id IN (\(placeholders))",
                    arguments: StatementArguments(chunk))
                while let row = try cursor.next() {
                    if let reply = DatabaseBytes.bytes(row[1]) { result.append((row[0], reply)) }
                }
                return result
            }
            for (id, reply) in rows { found[id] = reply }
        }
        return found
    }

    public func save(_ replies: [(id: String, reply: [UInt8])]) async {
        var rest: [(id: String, reply: [UInt8])] = []
        for (id, reply) in replies {
            if let savedHash = store.recentReplies.take(id) {
                if savedHash != SavedReply.hash(reply) {
                    logger.error(
                        "the reply sent for a command differs from the one its transaction saved",
                        metadata: ["id": "\(id)", "fix": "save it with StoreTransaction.saveReply(id:outcome:)"])
                }
                continue
            }
            if Self.asksForRetry(reply) { continue }
            rest.append((id, reply))
        }
        guard !rest.isEmpty else { return }
        let toStore = rest
        do {
            try await store.commit { transaction in
                let statement = try transaction.db.cachedStatement(
                    sql: "INSERT OR IGNORE INTO command_replies (id, reply, saved_at) VALUES (?, ?, ?)")
                for (id, reply) in toStore {
                    try statement.execute(arguments: [id, DatabaseBytes.data(reply), transaction.now])
                    transaction.noteWritten(id.utf8.count + reply.count + 8, table: "command_replies")
                }
            }
        } catch {
            // Only refusals get here: a client that retries is refused again the same way.
            logger.warning(
                "could not store \(toStore.count) command replies", metadata: ["error": "\(error)"])
        }
    }

    /// True for a refusal whose code tells the client to retry, or that concerns its sender
    /// (`forbidden`) rather than the id: storing it would refuse the retry forever.
    static func asksForRetry(_ reply: [UInt8]) -> Bool {
        guard let parsed = try? CommandReply.parse(reply), case .failed(let failure) = parsed.outcome else {
            return false
        }
        return failure.asksForRetry
    }
}
