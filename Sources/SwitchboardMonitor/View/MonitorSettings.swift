public import SwitchboardWorkspace

/// The monitor's tunables: health thresholds and the windows its figures use.
public struct MonitorSettings: Sendable, Equatable {
    /// When a conversation's health raises a flag (waits, silences, sentiment, transfers).
    public var health: HealthThresholds = .standard
    /// The recent window of a queue's assignment rate (for the estimated wait).
    public var rateWindowSeconds: Double = 600
    /// The shortest window the rate is taken over, so that a young system does not read a
    /// handful of assignments as a high rate.
    public var rateWindowSecondsMin: Double = 60
    /// How long ended conversations are kept (the router's retention of closed ones).
    public var retentionSeconds: Double = 3_600
    /// A followed service not heard for this long raises an alert.
    public var serviceNotHeardAlertSeconds: Double = 10

    public init() {}
}
