/// A failure of an authority's store, as a value that names the database file, what was being
/// done, why it failed, and what the operator can do about it.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure, for code that reacts differently (e.g. exit with a distinct status).
    public enum Kind: String, Sendable, Equatable {
        /// The file could not be created, opened or migrated.
        case cannotOpen = "cannot_open"
        /// Another process holds the database: two writers of one authority would fork its state.
        case alreadyOpen = "already_open"
        /// The file's schema is newer than this program, or damaged.
        case incompatible
        /// A write transaction failed (disk full, I/O error, busy beyond the timeout).
        case writeFailed = "write_failed"
        /// A read transaction failed.
        case readFailed = "read_failed"
        /// The store was closed.
        case closed
        /// The store was used the wrong way (e.g. a publisher of another epoch for its relay).
        case misuse
    }

    public let kind: Kind
    /// The database file.
    public let path: String
    /// What the store was doing, e.g. "open", "commit", "snapshot read".
    public let operation: String
    /// Why it failed (SQLite's message when there is one).
    public let reason: String
    /// What to do about it.
    public let remedy: String

    public init(kind: Kind, path: String, operation: String, reason: String, remedy: String) {
        self.kind = kind
        self.path = path
        self.operation = operation
        self.reason = reason
        self.remedy = remedy
    }

    public var description: String {
        "store \(path): \(operation) failed: \(reason); \(remedy)"
    }
}
