import Foundation
import GRDB

/// The gateway's own durable state, `<dataDirectory>/gateway/gateway.sqlite`: people's password
/// hashes, browser sessions, customers' tokens and chats, connectors' API keys and idempotency
/// records. Secrets are stored hashed (bcrypt for passwords, SHA-256 for random tokens), so a
/// copy of the file signs nobody in. Everything here survives a restart of the gateway.
public final class GatewayStore: Sendable {
    private let pool: DatabasePool

    /// A browser session: who is signed in, their CSRF token, and when it ends (seconds since 1970).
    public struct Session: Sendable, Equatable {
        public var agentId: String
        public var csrf: String
        public var expiresAt: Double
    }

    /// A customer's conversation started through the gateway.
    public struct Chat: Sendable, Equatable {
        public var conversationId: String
        public var customerId: String
        public var queue: String
        /// The name the customer gave, if any.
        public var name: String?
        /// `chat` for the chat page, `api:<key name>` for a connector.
        public var owner: String
        public var lastActivityAt: Double
        /// customer-left, timed-out (set by the gateway), nil while open or when the agent closed it.
        public var endedReason: String?
    }

    /// Opens (and creates or migrates) the store in `directory`.
    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)  // the command line writes while a gateway runs
        pool = try DatabasePool(path: "\(directory)/gateway.sqlite", configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE users (agent_id TEXT PRIMARY KEY, password_hash TEXT NOT NULL,
                        updated_at REAL NOT NULL);
                    CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, agent_id TEXT NOT NULL, csrf TEXT NOT NULL,
                        created_at REAL NOT NULL, expires_at REAL NOT NULL);
                    CREATE INDEX sessions_by_agent ON sessions(agent_id);
                    CREATE TABLE customers (token_hash TEXT PRIMARY KEY, customer_id TEXT NOT NULL UNIQUE,
                        created_at REAL NOT NULL);
                    CREATE TABLE chats (conversation_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL,
                        queue TEXT NOT NULL, name TEXT, owner TEXT NOT NULL, created_at REAL NOT NULL,
                        last_activity_at REAL NOT NULL,
                        ended_reason TEXT, ended INTEGER NOT NULL DEFAULT 0);
                    CREATE INDEX chats_open ON chats(ended, last_activity_at);
                    CREATE TABLE api_keys (key_hash TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                        created_at REAL NOT NULL);
                    CREATE TABLE idempotency (key_name TEXT NOT NULL, idem_key TEXT NOT NULL, body_hash TEXT NOT NULL,
                        status INTEGER NOT NULL, body TEXT NOT NULL, created_at REAL NOT NULL,
                        PRIMARY KEY (key_name, idem_key));
                    """)
        }
        try migrator.migrate(pool)
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    // MARK: People

    /// Stores a password hash and ends the person's sessions (a changed password signs them out).
    public func setPassword(agentId: String, hash: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO users (agent_id, password_hash, updated_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT(agent_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = "
                        + "excluded.updated_at",
                arguments: [agentId, hash, Self.now()])
            try db.execute(sql: "DELETE FROM sessions WHERE agent_id = ?", arguments: [agentId])
        }
    }

    public func passwordHash(agentId: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM users WHERE agent_id = ?", arguments: [agentId])
        }
    }

    // MARK: Sessions

    /// Starts a session; returns its id (the cookie's value; only its hash is stored).
    public func createSession(agentId: String, csrf: String, lifetimeSeconds: Double) async throws -> String {
        let id = RandomToken.make()
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO sessions (id_hash, agent_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [SHA256.hex(id), agentId, csrf, Self.now(), Self.now() + lifetimeSeconds])
        }
        return id
    }

    /// The live session with this id, or nil (unknown, signed out, revoked or expired).
    public func session(id: String) async throws -> Session? {
        let session = try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT agent_id, csrf, expires_at FROM sessions WHERE id_hash = ?",
                arguments: [SHA256.hex(id)]
            ).map { Session(agentId: $0["agent_id"], csrf: $0["csrf"], expiresAt: $0["expires_at"]) }
        }
        guard let session, session.expiresAt > Self.now() else { return nil }
        return session
    }

    public func deleteSession(id: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE id_hash = ?", arguments: [SHA256.hex(id)])
        }
    }

    /// Ends every session of a person (password changed, agent removed from the router).
    public func revokeSessions(agentId: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE agent_id = ?", arguments: [agentId])
        }
    }

    // MARK: Customers

    /// The customer a token stands for, or nil.
    public func customer(token: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT customer_id FROM customers WHERE token_hash = ?", arguments: [SHA256.hex(token)])
        }
    }

    /// Issues a new customer: (customerId, token). Only the token's hash is kept.
    public func issueCustomer() async throws -> (customerId: String, token: String) {
        let token = RandomToken.make()
        let customerId = RandomToken.busID(prefix: "web-")
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO customers (token_hash, customer_id, created_at) VALUES (?, ?, ?)",
                arguments: [SHA256.hex(token), customerId, Self.now()])
        }
        return (customerId, token)
    }

    public func addChat(_ chat: Chat) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO chats (conversation_id, customer_id, queue, name, owner, created_at, "
                    + "last_activity_at, ended_reason, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                arguments: [
                    chat.conversationId, chat.customerId, chat.queue, chat.name, chat.owner, Self.now(),
                    chat.lastActivityAt, chat.endedReason,
                ])
        }
    }

    public func chat(conversationId: String) async throws -> Chat? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM chats WHERE conversation_id = ?", arguments: [conversationId])
                .map(Self.chat)
        }
    }

    public func touchChat(conversationId: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE chats SET last_activity_at = ? WHERE conversation_id = ?",
                arguments: [Self.now(), conversationId])
        }
    }

    /// Marks a chat over (`reason` nil when the agent's side ended it).
    public func endChat(conversationId: String, reason: String?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE chats SET ended = 1, ended_reason = COALESCE(ended_reason, ?) WHERE conversation_id = ?",
                arguments: [reason, conversationId])
        }
    }

    /// Open chats with no activity since `before` (the idle sweeper's candidates), at most `limit`.
    public func idleChats(before: Double, limit: Int = 500) async throws -> [Chat] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM chats WHERE ended = 0 AND last_activity_at < ? ORDER BY last_activity_at LIMIT ?",
                arguments: [before, limit]
            ).map(Self.chat)
        }
    }

    private static func chat(_ row: Row) -> Chat {
        Chat(
            conversationId: row["conversation_id"], customerId: row["customer_id"], queue: row["queue"],
            name: row["name"],
            owner: row["owner"], lastActivityAt: row["last_activity_at"], endedReason: row["ended_reason"])
    }

    // MARK: API keys and idempotency

    /// Creates an API key named `name`; returns the key (shown once, stored hashed).
    public func createAPIKey(name: String) async throws -> String {
        let key = "sbk_" + RandomToken.make()
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO api_keys (key_hash, name, created_at) VALUES (?, ?, ?)",
                arguments: [SHA256.hex(key), name, Self.now()])
        }
        return key
    }

    public func apiKeyExists(name: String) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM api_keys WHERE name = ?", arguments: [name]) ?? false
        }
    }

    /// The name of the key, or nil when no such key exists.
    public func apiKeyName(key: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT name FROM api_keys WHERE key_hash = ?", arguments: [SHA256.hex(key)])
        }
    }

    public func idempotencyRecord(keyName: String, idempotencyKey: String) async throws -> Idempotency.Record? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT body_hash, status, body FROM idempotency WHERE key_name = ? AND idem_key = ?",
                arguments: [keyName, idempotencyKey]
            ).map { Idempotency.Record(bodyHash: $0["body_hash"], status: $0["status"], body: $0["body"]) }
        }
    }

    public func saveIdempotencyRecord(keyName: String, idempotencyKey: String, record: Idempotency.Record) async throws
    {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO idempotency (key_name, idem_key, body_hash, status, body, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [keyName, idempotencyKey, record.bodyHash, record.status, record.body, Self.now()])
        }
    }

    /// Drops what is past use: expired sessions, idempotency records and ended chats older than a day
    /// and a week. Keeps the file bounded.
    public func purge() async throws {
        let now = Self.now()
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < ?", arguments: [now])
            try db.execute(sql: "DELETE FROM idempotency WHERE created_at < ?", arguments: [now - 86_400])
            try db.execute(
                sql: "DELETE FROM chats WHERE ended = 1 AND last_activity_at < ?", arguments: [now - 7 * 86_400])
        }
    }
}
