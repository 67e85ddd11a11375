import Foundation
public import GRDB
public import SwitchboardBus

/// One write transaction of an authority, given to the body of `AuthorityStore.commit`.
/// Write your own state through `db` (raw GRDB), emit events with `emit`, and save each
/// command's reply with `saveReply`: all of it commits together or not at all. Each event
/// gets the next seq of its topic family in the current epoch, assigned here, in commit order.
///
/// Valid only inside the body that received it (it is tied to GRDB's writer queue).
public final class StoreTransaction {
    /// The database connection, inside the transaction.
    public let db: Database
    /// The store's epoch (this run of the process).
    public let epoch: UInt64
    /// The store's clock when the transaction began (wall-clock seconds).
    public let now: Double

    private var sequences: [String: UInt64]
    private var changedFamilies: Set<String> = []
    private var nextPosition: UInt64
    private(set) var events: [OutboxEvent] = []
    private var packedEvents: [UInt8] = []
    private(set) var savedReplies: [(id: String, reply: [UInt8])] = []
    /// Bytes of row content written, by table (what `AuthorityStore.writtenBytes` adds up).
    private(set) var writtenBytes: [String: Int] = [:]
    private let auditTrail: AuditTrail?

    init(
        db: Database, epoch: UInt64, now: Double, sequences: [String: UInt64], lastPosition: UInt64,
        auditTrail: AuditTrail? = nil
    ) {
        self.auditTrail = auditTrail
        self.db = db
        self.epoch = epoch
        self.now = now
        self.sequences = sequences
        self.nextPosition = lastPosition + 1
    }

    /// Emits an event: it is stored in the outbox with this transaction and published after
    /// commit. Throws (so the transaction rolls back) on a topic the bus would refuse.
    @discardableResult
    public func emit(topic: String, type: String, data: JSON) throws -> EmittedEvent {
        try emit(topic: topic, type: type, encodedData: data.bytes)
    }

    /// Emits an event whose `data` is already JSON bytes.
    @discardableResult
    public func emit(topic: String, type: String, encodedData: [UInt8]) throws -> EmittedEvent {
        guard Self.isPlainTopic(topic) else {
            throw StoreTransactionError(
                problem: "cannot emit '\(type)': \(Topic.problem(with: topic) ?? "the topic '\(topic)' is invalid")")
        }
        guard encodedData.count <= BusLimits.eventBytesMax else {
            throw StoreTransactionError(
                problem: "cannot emit '\(type)' on \(topic): its data is \(encodedData.count) bytes, "
                    + "over the bus limit of \(BusLimits.eventBytesMax)")
        }
        let family = String(Topic.family(of: topic))
        let seq = (sequences[family] ?? 0) + 1
        sequences[family] = seq
        changedFamilies.insert(family)
        let position = nextPosition
        nextPosition += 1
        // Packed now, written as one row at the end of the transaction (see `OutboxPacking`).
        OutboxPacking.append(seq: seq, topic: topic, type: type, data: encodedData, to: &packedEvents)
        events.append(
            OutboxEvent(
                position: position, epoch: epoch, family: family, seq: seq, topic: topic, type: type,
                data: encodedData))
        return EmittedEvent(family: family, epoch: epoch, seq: seq, position: position)
    }

    /// The bus's topic rules in one pass without allocating (`Topic.problem` names the fault
    /// when this says no): 1…256 bytes, a family and at least one more segment, no empty
    /// segment, no space or control character.
    static func isPlainTopic(_ topic: String) -> Bool {
        var count = 0
        var dots = 0
        var previousWasDot = true  // a leading dot is an empty first segment
        for byte in topic.utf8 {
            count += 1
            if byte <= 0x20 || byte == 0x7F { return false }
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                dots += 1
                previousWasDot = true
            } else {
                previousWasDot = false
            }
        }
        return count > 0 && count <= Topic.bytesMax && dots > 0 && !previousWasDot
    }

    /// Saves the reply of a command in this transaction, so that the reply exists exactly when
    /// the command's effect does. A repeated id of an applied command throws (and the
    /// transaction rolls back): applying it twice is the failure this table exists to prevent.
    /// Check `storedReply(for:)` first when a repeat can reach the handler. The command's audit
    /// row, when the service keeps one, is written here too.
    public func saveReply(id: String, reply: [UInt8]) throws {
        do {
            try db.cachedStatement(sql: "INSERT INTO command_replies (id, reply, saved_at) VALUES (?, ?, ?)")
                .execute(arguments: [id, DatabaseBytes.data(reply), now])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreTransactionError(
                problem: "command '\(id)' already has a stored reply: it was applied before; "
                    + "answer it with storedReply(for:) instead of applying it again")
        }
        savedReplies.append((id, reply))
        // The key, the reply and the time (8 bytes).
        noteWritten(id.utf8.count + reply.count + 8, table: "command_replies")
        if let row = auditTrail?.waiting(for: id) { try AuditTrail.insert(row, in: db) }
    }

    /// Saves the reply frame the command server will send for this outcome (the same bytes,
    /// built the same way), and returns it.
    @discardableResult
    public func saveReply(id: String, outcome: CommandOutcome) throws -> [UInt8] {
        let reply = CommandReply(id: id, outcome: outcome).bytes
        try saveReply(id: id, reply: reply)
        return reply
    }

    /// Counts `bytes` of row content written to `table` in this transaction, for the store's
    /// `writtenBytes` (the authority's own tables; the store counts its outbox and replies).
    public func noteWritten(_ bytes: Int, table: String) {
        writtenBytes[table, default: 0] += bytes
    }

    /// The stored reply of a command id, if it was applied before (within the retention period).
    public func storedReply(for id: String) throws -> [UInt8]? {
        try DatabaseBytes.fetchOne(db, sql: "SELECT reply FROM command_replies WHERE id = ?", arguments: [id])
    }

    /// The last seq of `family` as this transaction sees it (its own events included).
    public func sequence(of family: String) -> UInt64 {
        sequences[family] ?? 0
    }

    /// Runs `body` in a savepoint: if it throws, its writes, events and replies are undone and
    /// the error is rethrown, while the rest of the transaction goes on. Use it to apply
    /// several commands in one transaction where one may fail.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        let mark = Mark(
            sequences: sequences, changedFamilies: changedFamilies, nextPosition: nextPosition,
            eventCount: events.count, packedCount: packedEvents.count, replyCount: savedReplies.count,
            writtenBytes: writtenBytes)
        var result: T?
        do {
            try db.inSavepoint {
                result = try body()
                return .commit
            }
        } catch {
            sequences = mark.sequences
            changedFamilies = mark.changedFamilies
            nextPosition = mark.nextPosition
            events.removeSubrange(mark.eventCount...)
            packedEvents.removeSubrange(mark.packedCount...)
            savedReplies.removeSubrange(mark.replyCount...)
            writtenBytes = mark.writtenBytes
            throw error
        }
        guard let result else {
            throw StoreTransactionError(problem: "a savepoint ended without a result")
        }
        return result
    }

    private struct Mark {
        let sequences: [String: UInt64]
        let changedFamilies: Set<String>
        let nextPosition: UInt64
        let eventCount: Int
        let packedCount: Int
        let replyCount: Int
        let writtenBytes: [String: Int]
    }

    /// Writes the transaction's events as one outbox row and the families' new seqs (once per
    /// family, not once per event), and returns what the after-commit hook hands on.
    func finish() throws -> CommittedTransaction {
        if let first = events.first, let last = events.last {
            try db.cachedStatement(
                sql: """
                    INSERT INTO outbox (last_position, first_position, epoch, event_count, events, committed_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                Int64(clamping: last.position), Int64(clamping: first.position), Int64(clamping: epoch), events.count,
                DatabaseBytes.data(packedEvents), now,
            ])
            // The packed events and the row's five numbers.
            noteWritten(packedEvents.count + 40, table: "outbox")
        }
        let statement = try db.cachedStatement(
            sql:
                "INSERT INTO sequences (family, seq) VALUES (?, ?) ON CONFLICT (family) DO UPDATE SET seq = "
                + "excluded.seq"
        )
        for family in changedFamilies {
            try statement.execute(arguments: [family, Int64(clamping: sequences[family] ?? 0)])
        }
        return CommittedTransaction(
            events: events, sequences: changedFamilies.isEmpty ? nil : sequences,
            lastPosition: nextPosition - 1,
            replies: savedReplies.map { SavedReply(id: $0.id, replyHash: SavedReply.hash($0.reply)) },
            writtenBytes: writtenBytes)
    }
}

/// What a committed transaction changed, handed from the after-commit hook to the store's
/// memory (seqs, last position) and to the relay (events).
struct CommittedTransaction: Sendable {
    let events: [OutboxEvent]
    /// The families' seqs after this transaction; nil when it emitted nothing.
    let sequences: [String: UInt64]?
    let lastPosition: UInt64
    let replies: [SavedReply]
    /// Bytes of row content written, by table.
    let writtenBytes: [String: Int]
}

/// A reply saved inside a transaction: its id and a hash of its bytes, so the reply store can
/// tell that the command server sent the very bytes the database holds.
struct SavedReply: Sendable {
    let id: String
    let replyHash: Int

    static func hash(_ bytes: [UInt8]) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes)
        return hasher.finalize()
    }
}

/// A refusal inside a transaction (it rolls back): a bad topic, an oversized event, a
/// command id applied twice.
public struct StoreTransactionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problem: String
    public var description: String { problem }
}

/// Byte arrays as SQLite blobs.
enum DatabaseBytes {
    static func data(_ bytes: [UInt8]) -> DatabaseValue {
        bytes.withUnsafeBytes { buffer in
            Data(buffer).databaseValue
        }
    }

    static func bytes(_ value: DatabaseValue) -> [UInt8]? {
        guard let data = Data.fromDatabaseValue(value) else { return nil }
        return [UInt8](data)
    }

    static func fetchOne(_ db: Database, sql: String, arguments: StatementArguments) throws -> [UInt8]? {
        guard let value = try DatabaseValue.fetchOne(db, sql: sql, arguments: arguments) else { return nil }
        return bytes(value)
    }
}
