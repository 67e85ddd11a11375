public import Logging
public import SwitchboardBus
public import SwitchboardStore

/// A process's metrics and readiness, and the helpers that wire its parts into them.
public struct Management: Sendable {
    public let metrics: ProcessMetrics
    public let readiness: Readiness

    public init() {
        metrics = ProcessMetrics()
        readiness = Readiness()
    }

    /// The management endpoint as a part of the process, when the topology gives one.
    public func server(at endpoint: String?, logger: Logger) throws -> ManagementServer? {
        guard let endpoint else { return nil }
        return try ManagementServer(endpoint: endpoint, metrics: metrics, readiness: readiness, logger: logger)
    }

    /// Events this process published.
    public func watch(_ publisher: EventPublisher) {
        metrics.addCollector { metrics in
            metrics.counter(
                "events_published", help: "Events handed to the I/O thread to publish (heartbeats not counted).",
                value: publisher.publishedCount)
            metrics.counter(
                "events_not_queued", help: "Events the I/O thread had no room for (consumers repair the gap).",
                value: publisher.refusedCount)
        }
    }

    /// Snapshot requests this process answered.
    public func watch(_ server: SnapshotServer) {
        metrics.addCollector { metrics in
            metrics.counter(
                "snapshot_requests", help: "Snapshot requests read at the state endpoint.", value: server.requestCount)
        }
    }

    /// The durable store: outbox depth, and ready while it is open.
    public func watch(_ store: AuthorityStore) {
        metrics.addCollector { metrics in
            metrics.gauge(
                "outbox_depth", unit: "events", help: "Committed events not yet handed to the publisher.",
                value: Double(store.unpublishedCount))
            for (table, bytes) in store.writtenBytes.sorted(by: { $0.key < $1.key }) {
                metrics.counter(
                    "store_written_bytes",
                    help: "Bytes of row content committed to the store, by table (SQLite writes whole pages: the "
                        + "file grows by more).",
                    labels: [("table", table)], value: bytes)
            }
        }
        readiness.add("store") { store.isClosed ? "the store at \(store.path) is closed" : nil }
    }

    /// A publisher this process follows: snapshots, resynchronisations (gaps repaired) and
    /// whether its view is live; with `gatesReadiness`, the process is not ready until it is.
    public func watch(_ replica: Replica, following source: String, gatesReadiness: Bool = true) {
        metrics.addCollector { metrics in
            let counts = replica.counts
            let labels = [("source", source)]
            metrics.counter(
                "snapshots_applied", help: "Snapshots applied by this process's view of a publisher.", labels: labels,
                value: counts.snapshotsApplied)
            metrics.counter(
                "resynchronizations",
                help: "Times a view started over from a snapshot (a gap, a publisher restart, a heartbeat ahead).",
                labels: labels, value: counts.resynchronizations)
            metrics.gauge(
                "following_live", help: "1 when the view of the publisher is live, 0 while it catches up.",
                labels: labels, value: counts.live ? 1 : 0)
        }
        guard gatesReadiness else { return }
        readiness.add("following \(source)") {
            replica.counts.live ? nil : "the view of the \(source) is not live yet (waiting for its snapshot)"
        }
    }
}
