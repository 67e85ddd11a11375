import Foundation
public import SwitchboardRouting

/// ISO-8601 times as the replay reads and prints them (UTC, milliseconds when there are any).
public enum ReplayTime {
    public static func iso(_ instant: RoutingInstant) -> String {
        let date = Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1_000)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions =
            instant.millisecondsSinceEpoch % 1_000 == 0
            ? [.withInternetDateTime] : [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// Parses `2026-12-06T05:00:00Z` (fractional seconds and offsets accepted).
    public static func parse(_ text: String) -> RoutingInstant? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        guard let date = formatter.date(from: text) ?? plain.date(from: text) else { return nil }
        return RoutingInstant(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1_000).rounded()))
    }
}
