import Foundation
import SwitchboardRouting

/// The simulation's only source of randomness: a seeded SplitMix64 with the draws a
/// simulation needs. Every choice goes through it, so a seed replays the same choices.
public struct SimulationRandom: Sendable {
    private var generator: SplitMix64

    public init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    /// A number in [0, 1).
    public mutating func unit() -> Double {
        // 53 random bits: every double in [0, 1) with that spacing is equally likely.
        Double(generator.next() >> 11) * 0x1p-53
    }

    /// A number drawn uniformly from `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// An exponentially distributed wait with mean `mean` (the gap between Poisson arrivals).
    public mutating func exponential(mean: Double) -> Double {
        // 1 - unit() is in (0, 1], so the logarithm is finite.
        -mean * log(1 - unit())
    }

    /// An index in 0..<count (count must be positive).
    public mutating func index(below count: Int) -> Int {
        Int(generator.next() % UInt64(max(count, 1)))
    }

    /// One element of a non-empty array, or nil when it is empty.
    public mutating func pick<Element>(_ elements: [Element]) -> Element? {
        elements.isEmpty ? nil : elements[index(below: elements.count)]
    }

    /// An index chosen with probability proportional to its weight (nil when no weight is positive).
    public mutating func weightedIndex(_ weights: [Double]) -> Int? {
        let total = weights.reduce(0) { $0 + max($1, 0) }
        guard total > 0 else { return nil }
        var target = unit() * total
        for (index, weight) in weights.enumerated() where weight > 0 {
            target -= weight
            if target < 0 { return index }
        }
        return weights.lastIndex { $0 > 0 }
    }
}
