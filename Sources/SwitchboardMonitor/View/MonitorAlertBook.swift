public import SwitchboardWire

/// The alerts the monitor has raised and not cleared. The view proposes, at every instant, the
/// alerts that hold now (their sentences carry running figures); the book raises an alert once,
/// raises it again only when it gets more urgent (watch → intervene), and clears it when it no
/// longer holds, so consumers see `alert.raised` and `alert.cleared` events, not a stream of
/// figures.
public struct MonitorAlertBook: Sendable, Equatable {
    public private(set) var raised: [String: MonitorAlertItem] = [:]

    /// Alerts the monitor raises at most (a flood of unhealthy conversations must not grow
    /// the book without bound; the view still lists every flagged conversation).
    public static let alertsMax = 5_000

    public init() {}

    /// What `update` changed.
    public struct Change: Sendable, Equatable {
        public var raised: [MonitorAlertItem] = []
        public var cleared: [MonitorAlertItem] = []
        public var isEmpty: Bool { raised.isEmpty && cleared.isEmpty }
    }

    /// Takes the alerts that hold now.
    public mutating func update(with current: [MonitorAlertItem]) -> Change {
        var change = Change()
        let currentByID = Dictionary(current.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (id, alert) in raised.sorted(by: { $0.key < $1.key }) where currentByID[id] == nil {
            raised[id] = nil
            change.cleared.append(alert)
        }
        for alert in current.sorted(by: { $0.id < $1.id }) {
            if let known = raised[alert.id] {
                guard Self.rank(alert.level) > Self.rank(known.level) else { continue }
            } else if raised.count >= Self.alertsMax {
                continue
            }
            raised[alert.id] = alert
            change.raised.append(alert)
        }
        return change
    }

    /// The alerts raised, by id.
    public var alerts: [MonitorAlertItem] { raised.values.sorted { $0.id < $1.id } }

    private static func rank(_ level: String?) -> Int {
        switch level {
        case "intervene": 2
        case "watch": 1
        default: 0
        }
    }
}
