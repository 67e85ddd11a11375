/// A point in time for routing decisions: whole milliseconds since the Unix epoch.
///
/// The engine never reads a clock. Its shell passes `now` with every input, so decisions
/// are reproducible in tests and persisted deadlines (offer expiry, hold, wrap-up) keep
/// their meaning across a restart.
public struct RoutingInstant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The instant `seconds` after the epoch, rounded to the millisecond.
    public static func seconds(_ seconds: Double) -> RoutingInstant {
        RoutingInstant(millisecondsSinceEpoch: milliseconds(fromSeconds: seconds))
    }

    /// The epoch itself; tests usually start there.
    public static let zero = RoutingInstant(millisecondsSinceEpoch: 0)

    /// This instant moved by `seconds` (which may be negative).
    public func adding(seconds: Double) -> RoutingInstant {
        RoutingInstant(millisecondsSinceEpoch: millisecondsSinceEpoch &+ Self.milliseconds(fromSeconds: seconds))
    }

    /// Seconds from `earlier` to this instant (negative when `earlier` is later).
    public func seconds(since earlier: RoutingInstant) -> Double {
        Double(millisecondsSinceEpoch &- earlier.millisecondsSinceEpoch) / 1000
    }

    public static func < (lhs: RoutingInstant, rhs: RoutingInstant) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public var description: String { "t+\(Double(millisecondsSinceEpoch) / 1000)s" }

    public init(from decoder: any Decoder) throws {
        millisecondsSinceEpoch = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(millisecondsSinceEpoch)
    }

    /// Seconds to whole milliseconds; out-of-range or non-finite values clamp instead of trapping.
    static func milliseconds(fromSeconds seconds: Double) -> Int64 {
        let value = (seconds * 1000).rounded()
        guard value.isFinite else { return value > 0 ? Int64.max / 4 : Int64.min / 4 }
        return Int64(max(min(value, Double(Int64.max / 4)), Double(Int64.min / 4)))
    }
}
