#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Erlang C model of one queue (M/M/N: Poisson arrivals, exponential handling times,
/// `agents` agents, first come first served, nobody abandons): the yardstick the simulated
/// engine is measured against.
///
/// The probability of waiting comes from the Erlang B recursion, B(0) = 1,
/// B(k) = a·B(k−1) / (k + a·B(k−1)), which stays between 0 and 1 at every step, so it neither
/// overflows nor loses precision where the textbook formula's aᴺ/N! would for large centres.
public struct ErlangC: Sendable, Hashable, Codable {
    public var agents: Int
    public var arrivalsPerSecond: Double
    public var meanHandlingSeconds: Double

    public init(agents: Int, arrivalsPerSecond: Double, meanHandlingSeconds: Double) {
        self.agents = agents
        self.arrivalsPerSecond = arrivalsPerSecond
        self.meanHandlingSeconds = meanHandlingSeconds
    }

    /// Offered load in Erlangs: a = λ / μ.
    public var offeredLoad: Double { arrivalsPerSecond * meanHandlingSeconds }

    /// Share of the agents' time spent handling: a / N.
    public var occupancy: Double { offeredLoad / Double(agents) }

    /// Whether the queue drains at all (a < N); an unstable queue grows without bound and every
    /// figure below is meaningless for it.
    public var isStable: Bool { agents > 0 && offeredLoad >= 0 && offeredLoad < Double(agents) }

    /// Erlang B: the share of arrivals a loss system of `agents` servers would turn away.
    public var blockingProbability: Double {
        let load = offeredLoad
        var blocking = 1.0
        // Bounded by the number of agents.
        for servers in stride(from: 1, through: max(0, agents), by: 1) {
            blocking = load * blocking / (Double(servers) + load * blocking)
        }
        return blocking
    }

    /// Erlang C: the share of arrivals that find every agent busy and wait at all.
    /// 1 when the queue is unstable.
    public var probabilityOfWaiting: Double {
        guard isStable else { return 1 }
        let blocking = blockingProbability
        let servers = Double(agents)
        return servers * blocking / (servers - offeredLoad * (1 - blocking))
    }

    /// The share answered within `seconds`: 1 − C·e^(−(N−a)·t/h), h the mean handling time.
    public func serviceLevel(withinSeconds seconds: Double) -> Double {
        guard isStable else { return 0 }
        let decayPerSecond = (Double(agents) - offeredLoad) / meanHandlingSeconds
        return 1 - probabilityOfWaiting * exp(-decayPerSecond * max(0, seconds))
    }

    /// Average speed of answer over every arrival (those answered at once count as 0):
    /// C·h / (N − a). Infinite when the queue is unstable.
    public var averageSpeedOfAnswerSeconds: Double {
        guard isStable else { return .infinity }
        return probabilityOfWaiting * meanHandlingSeconds / (Double(agents) - offeredLoad)
    }
}
