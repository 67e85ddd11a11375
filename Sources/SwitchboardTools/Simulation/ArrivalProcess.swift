/// Poisson arrivals per queue: each queue's customers arrive independently, with
/// exponentially distributed gaps whose mean is the inverse of the queue's rate. It has a
/// random generator of its own, so the arrival times of a seed do not depend on the other
/// choices the simulation makes.
public struct ArrivalProcess: Sendable {
    /// One arrival: when (seconds since the start) and at which queue (an index of the rates).
    public struct Arrival: Sendable, Equatable {
        public var at: Double
        public var queue: Int
    }

    private var random: SimulationRandom
    private let rates: [Double]
    /// The next arrival time of each queue (infinity for a queue with no traffic).
    private var next: [Double]

    /// - Parameters:
    ///   - rates: arrivals per second of each queue.
    ///   - start: the time of the start, in seconds.
    public init(rates: [Double], seed: UInt64, start: Double = 0) {
        random = SimulationRandom(seed: seed)
        self.rates = rates
        next = []
        next.reserveCapacity(rates.count)
        for rate in rates {
            next.append(rate > 0 ? start + random.exponential(mean: 1 / rate) : .infinity)
        }
    }

    /// The time of the next arrival, without taking it.
    public var nextTime: Double? {
        let earliest = next.min() ?? .infinity
        return earliest.isFinite ? earliest : nil
    }

    /// Takes the next arrival (the earliest over all queues; ties go to the lower index).
    public mutating func take() -> Arrival? {
        guard let time = nextTime, let queue = next.firstIndex(of: time) else { return nil }
        next[queue] = time + random.exponential(mean: 1 / rates[queue])
        return Arrival(at: time, queue: queue)
    }
}
