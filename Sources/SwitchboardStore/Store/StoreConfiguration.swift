/// How an authority's store is opened and kept. Every limit has a default that suits one
/// authority process on one host; tests shorten the clocks and retention.
public struct StoreConfiguration: Sendable {
    /// How far a commit must reach before it returns (and so before a command is acknowledged).
    public enum Durability: String, Sendable, Equatable {
        /// `synchronous=NORMAL` in WAL mode: a commit is in the WAL in the OS page cache when it
        /// returns. Survives any crash of the process (SIGKILL included); an OS crash or power
        /// loss can lose the last commits (never corrupts the file).
        case processCrash = "process-crash"
        /// `synchronous=FULL`: the WAL is fsynced at every commit. Survives power loss too, at
        /// the price of one fsync per transaction (group commit amortises it).
        case powerLoss = "power-loss"
    }

    /// The SQLite file (created with its directory when missing). Its WAL lives beside it
    /// (`<path>-wal`, `<path>-shm`), and a lock file `<path>.lock` keeps a second process out.
    public var path: String
    /// Name of the authority, for logs and errors (`router`, `presence`, `desk`).
    public var source: String
    public var durability: Durability = .processCrash
    /// How long a write waits for a lock held by another connection before failing. Only
    /// another process (an operator's `sqlite3` shell) can hold one: our own writes are serialised.
    public var busyTimeoutSeconds: Double = 5
    /// Command replies are kept this long so that a retried command id gets its first reply.
    public var replyRetentionSeconds: Double = 3_600
    /// The most events the relay takes from memory or reads from the outbox in one step.
    public var relayBatchMax: Int = 1_024
    /// Committed events held in memory for the relay; beyond this it reads them back from the
    /// outbox table (so a stalled relay costs disk, never unbounded memory).
    public var relayMemoryEventsMax: Int = 262_144
    /// The most rows one maintenance statement deletes (published outbox rows or expired
    /// replies); the relay repeats a pass that deleted this many.
    public var pruneRowsMax: Int = 50_000
    /// The relay's maintenance tick: records the published watermark and prunes.
    public var maintenanceIntervalSeconds: Double = 1
    /// Only positions handed to the publisher at least this long ago are recorded as the
    /// durable watermark, so that events still inside the process at a SIGKILL (the I/O
    /// thread's queue) are published again by the next run instead of lost.
    public var watermarkLagSeconds: Double = 0.25
    /// How long the relay retries an event that the publisher could not queue (its I/O thread
    /// is behind) before it moves on and leaves a gap for consumers to repair.
    public var publishRetrySecondsMax: Double = 2
    /// Ids of replies saved inside transactions that `DurableCommandReplyStore.save` remembers
    /// so it can skip writing them again; beyond this the oldest are forgotten (a forgotten id
    /// only costs an `INSERT OR IGNORE`).
    public var recentReplyIdsMax: Int = 100_000
    /// Readers in the pool (snapshots and reply lookups run beside writes).
    public var readersMax: Int = 4
    /// Wall-clock seconds since the Unix epoch; injected so tests can age replies.
    public var now: @Sendable () -> Double = StoreClock.wallSeconds
    /// Told the seconds each successful commit took, from asking to committed (metrics).
    public var commitObserver: (@Sendable (Double) -> Void)? = nil

    public init(path: String, source: String) {
        self.path = path
        self.source = source
    }
}
