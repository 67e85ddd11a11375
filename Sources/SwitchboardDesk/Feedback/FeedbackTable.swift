import Foundation
import GRDB
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import SwitchboardWorkspace

/// The desk's tables for what agents said about the assistance: `desk_feedback`, one row per
/// intent holding its `feedback.<intent>` item (as bus JSON), and `desk_case_summaries`, the
/// case summaries agents corrected, one per conversation. Written in the transaction that
/// emits the change's event and saves the command's reply.
enum FeedbackTable {
    /// Corrected case summaries kept; past it the oldest go (their conversations ended long ago).
    static let caseSummariesMax = 100_000

    static func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("desk-v2-feedback") { db in
            try db.execute(
                sql: """
                    CREATE TABLE desk_feedback (
                        intent TEXT PRIMARY KEY,
                        item BLOB NOT NULL
                    );
                    CREATE TABLE desk_case_summaries (
                        conversation_id TEXT PRIMARY KEY,
                        summary BLOB NOT NULL,
                        edited_at REAL NOT NULL
                    );
                    """)
        }
    }

    static func upsert(_ item: FeedbackItem, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO desk_feedback (intent, item) VALUES (?, ?)
                ON CONFLICT(intent) DO UPDATE SET item = excluded.item
                """,
            arguments: [item.intent, Data(item.json.bytes)])
    }

    /// Every intent's item; one that cannot be read is reported and left out.
    static func all(in db: Database) throws -> (items: [FeedbackItem], unreadable: [String]) {
        var items: [FeedbackItem] = []
        var unreadable: [String] = []
        for row in try GRDB.Row.fetchAll(db, sql: "SELECT intent, item FROM desk_feedback ORDER BY intent") {
            if let item = try? FeedbackItem(json: JSON(parsing: Array(row[1] as Data))) {
                items.append(item)
            } else {
                unreadable.append(row[0] as String)
            }
        }
        return (items, unreadable)
    }

    /// Every intent's item, for a snapshot.
    static func items(prefix: String?, in db: Database) throws -> [SnapshotItem] {
        try GRDB.Row.fetchAll(db, sql: "SELECT intent, item FROM desk_feedback ORDER BY intent").compactMap { row in
            let item = SnapshotItem(key: FeedbackItem.key(of: row[0] as String), valueBytes: Array(row[1] as Data))
            return item.matches(prefix: prefix) ? item : nil
        }
    }

    static func saveCaseSummary(_ summary: CaseSummary, of conversation: ConversationID, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO desk_case_summaries (conversation_id, summary, edited_at) VALUES (?, ?, ?)
                ON CONFLICT(conversation_id) DO UPDATE SET summary = excluded.summary, edited_at = excluded.edited_at
                """,
            arguments: [
                conversation.rawValue, try JSONEncoder().encode(summary),
                (summary.editedAt ?? Date()).timeIntervalSince1970,
            ])
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM desk_case_summaries") ?? 0
        if count > caseSummariesMax {
            try db.execute(
                sql: """
                    DELETE FROM desk_case_summaries WHERE conversation_id IN (
                        SELECT conversation_id FROM desk_case_summaries ORDER BY edited_at LIMIT ?)
                    """,
                arguments: [count - caseSummariesMax])
        }
    }

    /// Every corrected case summary, by conversation (one that cannot be read is left out).
    static func caseSummaries(in db: Database) throws -> [ConversationID: CaseSummary] {
        var result: [ConversationID: CaseSummary] = [:]
        for row in try GRDB.Row.fetchAll(db, sql: "SELECT conversation_id, summary FROM desk_case_summaries") {
            guard let summary = try? JSONDecoder().decode(CaseSummary.self, from: row[1] as Data) else { continue }
            result[ConversationID(row[0] as String)] = summary
        }
        return result
    }
}
