import Foundation
import GRDB
public import SwitchboardRouter
public import SwitchboardRouting

/// What a replay reads from a router's store: the history checkpoint it starts from and the
/// journal after it, up to the end of the window. The store is opened read-only: a copy or the
/// file of a live router, which goes on writing beside it.
public struct ReplayJournal: Sendable {
    /// The state the replay starts from.
    public var checkpoint: RouterCheckpoint
    /// The journal time the checkpoint reflects.
    public var checkpointAt: RoutingInstant
    /// Inputs after the checkpoint, in journal order, up to the end of the window.
    public var entries: [Entry]
    /// The retained journal: its first and last entry times (of the whole store).
    public var journalStart: RoutingInstant
    public var journalEnd: RoutingInstant

    public struct Entry: Sendable {
        public var at: RoutingInstant
        public var input: RouterInput

        public init(at: RoutingInstant, input: RouterInput) {
            self.at = at
            self.input = input
        }
    }

    public init(
        checkpoint: RouterCheckpoint, checkpointAt: RoutingInstant, entries: [Entry], journalStart: RoutingInstant,
        journalEnd: RoutingInstant
    ) {
        self.checkpoint = checkpoint
        self.checkpointAt = checkpointAt
        self.entries = entries
        self.journalStart = journalStart
        self.journalEnd = journalEnd
    }

    /// Reads the window `[since, until]` (nil: the start or the end of the retained journal)
    /// from the router store at `path`, refusing a file that is not one and a window outside
    /// what it retains.
    public static func load(
        path: String, since: RoutingInstant?, until: RoutingInstant?
    ) throws(ReplayError) -> (ReplayJournal, since: RoutingInstant, until: RoutingInstant) {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ReplayError("\(path): no readable file here; give --from the router's store (router.sqlite)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read { db in try read(db, path: path, since: since, until: until) }
        } catch let error as ReplayError {
            throw error
        } catch {
            throw ReplayError("\(path): cannot read it as a router store (\(error)); give --from a router.sqlite")
        }
    }

    private static func read(
        _ db: Database, path: String, since: RoutingInstant?, until: RoutingInstant?
    ) throws -> (ReplayJournal, since: RoutingInstant, until: RoutingInstant) {
        for table in ["router_journal", "router_checkpoint_history"] where try !db.tableExists(table) {
            throw ReplayError(
                "\(path): not a router store with a retained journal (no table \(table)); give --from the router's "
                    + "router.sqlite, from a router with journalRetention: above 0")
        }
        guard let bounds = try Row.fetchOne(db, sql: "SELECT MIN(at), MAX(at), MIN(position) FROM router_journal"),
            let firstAt = bounds[0] as Int64?, let lastAt = bounds[1] as Int64?, let firstPosition = bounds[2] as Int64?
        else {
            throw ReplayError("\(path): the router's journal is empty; nothing to replay")
        }
        let start = since ?? RoutingInstant(millisecondsSinceEpoch: firstAt)
        let end = until ?? RoutingInstant(millisecondsSinceEpoch: lastAt)
        let retained = "the store retains \(ReplayTime.iso(.init(millisecondsSinceEpoch: firstAt))) to "
            + "\(ReplayTime.iso(.init(millisecondsSinceEpoch: lastAt)))"
        guard start <= end else {
            throw ReplayError("--since \(ReplayTime.iso(start)) is after --until \(ReplayTime.iso(end))")
        }
        guard start.millisecondsSinceEpoch >= firstAt, start.millisecondsSinceEpoch <= lastAt,
            end.millisecondsSinceEpoch <= lastAt
        else {
            throw ReplayError(
                "the window \(ReplayTime.iso(start)) to \(ReplayTime.iso(end)) is outside the retained journal: "
                    + "\(retained); choose a window inside it")
        }
        // The newest history checkpoint at or before the window whose journal is still all there.
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT through, at, data FROM router_checkpoint_history
                    WHERE at <= ? AND through >= ? - 1 ORDER BY at DESC LIMIT 1
                    """, arguments: [start.millisecondsSinceEpoch, firstPosition])
        else {
            throw ReplayError(
                "\(path): no checkpoint kept at or before \(ReplayTime.iso(start)) (\(retained)); start the window "
                    + "later")
        }
        let through: Int64 = row[0]
        let checkpointAt: Int64 = row[1]
        let data: Data = row[2]
        let decoder = JSONDecoder()
        let checkpoint = try decoder.decode(RouterCheckpoint.self, from: data)
        var entries: [Entry] = []
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT at, input FROM router_journal WHERE position > ? AND at <= ? ORDER BY position",
            arguments: [through, end.millisecondsSinceEpoch])
        while let entry = try cursor.next() {
            let input = try decoder.decode(RouterInput.self, from: entry[1] as Data)
            entries.append(Entry(at: RoutingInstant(millisecondsSinceEpoch: entry[0]), input: input))
        }
        let journal = ReplayJournal(
            checkpoint: checkpoint, checkpointAt: RoutingInstant(millisecondsSinceEpoch: checkpointAt),
            entries: entries, journalStart: RoutingInstant(millisecondsSinceEpoch: firstAt),
            journalEnd: RoutingInstant(millisecondsSinceEpoch: lastAt))
        return (journal, start, end)
    }
}
