public import SwitchboardBus
public import SwitchboardTopology

/// One thing the monitor learns from a publisher it follows, already read off the wire. The
/// monitor's state is a pure function of these, so tests feed them by hand.
public enum MonitorInput: Sendable {
    /// A publisher's whole state (its snapshot): replaces what the monitor held of it.
    case snapshot(ServiceName, items: [MonitorItem])
    /// One event of a publisher, in its order.
    case event(ServiceName, MonitorEvent)
    /// The link to a publisher changed (live, resyncing, silent, refused).
    case status(ServiceName, SourceStatus)
}

/// One keyed item of a publisher's snapshot.
public struct MonitorItem: Sendable, Equatable {
    public var key: String
    public var value: JSON

    public init(key: String, value: JSON) {
        self.key = key
        self.value = value
    }
}

/// One event as the monitor reads it.
public struct MonitorEvent: Sendable, Equatable {
    public var topic: String
    public var type: String
    public var data: JSON
    /// The publisher's timestamp, milliseconds since the Unix epoch.
    public var atMilliseconds: Int64

    public init(topic: String, type: String, data: JSON, atMilliseconds: Int64) {
        self.topic = topic
        self.type = type
        self.data = data
        self.atMilliseconds = atMilliseconds
    }
}

/// How the monitor hears a publisher.
public enum SourceStatus: Sendable, Equatable {
    /// Never heard from since the monitor started.
    case notHeard
    /// Snapshot applied; events follow in order.
    case live(epoch: UInt64)
    /// A gap or a restart: a new snapshot is on its way.
    case resyncing(String)
    /// Nothing heard for this long (no event, no heartbeat): probably down.
    case silent(seconds: Double)
    /// Its state endpoint refused the monitor; what the monitor shows of it stays as it was.
    case failed(String)

    /// The word the view shows.
    public var name: String {
        switch self {
        case .notHeard: "not-heard"
        case .live: "live"
        case .resyncing: "resyncing"
        case .silent: "silent"
        case .failed: "failed"
        }
    }

    /// True when what the monitor shows of this publisher may be out of date.
    public var isDown: Bool {
        switch self {
        case .live, .resyncing: false
        case .notHeard, .silent, .failed: true
        }
    }
}
