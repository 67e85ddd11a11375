public import GRDB
public import Logging
public import SwitchboardBus

/// The bus's `SnapshotSource` read from the authority's database: items, epoch and seqs
/// from one read transaction, so the snapshot reflects exactly the seqs it announces. Reads
/// run beside writes (WAL), so a large snapshot never holds up commands.
public struct StoreSnapshotSource: SnapshotSource {
    private let store: AuthorityStore
    private let logger: Logger
    private let items: @Sendable (Database, String?) throws -> [SnapshotItem]
    /// Attempts before giving up on a failing read.
    public static let attemptsMax = 3

    /// - Parameter items: reads the authority's items (keys `family.id`), optionally only
    ///   those under the prefix (the snapshot server filters again either way).
    public init(
        store: AuthorityStore, logger: Logger, items: @escaping @Sendable (Database, String?) throws -> [SnapshotItem]
    ) {
        self.store = store
        self.logger = logger
        self.items = items
    }

    public func snapshot(prefix: String?) async throws -> Snapshot {
        var lastError: (any Error)?
        for attempt in 1...Self.attemptsMax {
            do {
                return try await store.snapshot(prefix: prefix, items: items)
            } catch {
                lastError = error
                logger.error(
                    "snapshot read failed",
                    metadata: ["attempt": "\(attempt)", "error": "\(error)", "path": "\(store.path)"])
                try? await Task.sleep(for: .milliseconds(50 * attempt))
            }
        }
        // The snapshot server answers "unavailable" and the client asks again later.
        throw lastError ?? CancellationError()
    }
}
