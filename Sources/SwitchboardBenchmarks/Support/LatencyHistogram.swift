public import Histogram

/// The latencies of one benchmark phase in an HDR histogram (three significant digits, any
/// range), raw and, for a phase that sends at a fixed rate, also corrected for coordinated
/// omission: a sample longer than the interval between sends stands for the sends that
/// waited behind it, which the raw samples never show.
public struct LatencyHistogram: Sendable {
    /// Every sample as measured.
    public private(set) var raw = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    /// The samples with the ones a stall hid filled in; empty without an interval.
    public private(set) var corrected = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    /// The time between two sends of the fixed-rate phase, in the samples' unit; nil when the
    /// phase has no fixed rate.
    public let expectedInterval: UInt64?

    public init(expectedInterval: UInt64? = nil) {
        self.expectedInterval = expectedInterval.map { max(1, $0) }
    }

    /// Records one sample (a negative one, from a clock stepped back, counts as 0). A corrected
    /// sample adds one value per interval it spans, so the cost of a stall is bounded by its
    /// length over the interval.
    public mutating func record(_ value: Int64) {
        let sample = UInt64(max(0, value))
        raw.record(sample)
        if let expectedInterval { corrected.recordCorrectedValue(sample, expectedInterval: expectedInterval) }
    }

    /// Samples recorded (raw).
    public var count: Int { Int(raw.totalCount) }

    /// The raw value at `percentile` (0...100); 0 when nothing was recorded.
    public func value(atPercentile percentile: Double) -> UInt64 {
        raw.totalCount == 0 ? 0 : raw.valueAtPercentile(percentile)
    }

    /// The corrected value at `percentile` (0...100), the raw one without an interval; 0 when
    /// nothing was recorded.
    public func correctedValue(atPercentile percentile: Double) -> UInt64 {
        guard expectedInterval != nil else { return value(atPercentile: percentile) }
        return corrected.totalCount == 0 ? 0 : corrected.valueAtPercentile(percentile)
    }

    /// The largest sample recorded, exactly; 0 when nothing was recorded.
    public var maxRecorded: UInt64 { raw.totalCount == 0 ? 0 : raw.maxRecorded }
}
