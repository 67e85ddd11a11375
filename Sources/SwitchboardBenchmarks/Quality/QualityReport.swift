/// One line of `switchboard bench quality`: one point of one scenario.
public enum QualityReport: Sendable, Hashable, Encodable {
    case erlang(ErlangPoint)
    case skills(SkillsPoint)
    case sticky(StickyPoint)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .erlang(let point): try container.encode(point)
        case .skills(let point): try container.encode(point)
        case .sticky(let point): try container.encode(point)
        }
    }
}

/// One queue at one load: the simulated engine beside Erlang C for the same N, λ and μ.
/// Percentages are of customers; the interval is the batch-means 95% confidence interval.
public struct ErlangPoint: Sendable, Hashable, Codable {
    public var scenario = "erlang"
    public var agents: Int
    public var lambdaPerSecond: Double
    public var meanHandlingSeconds: Double
    public var targetSeconds: Double
    public var occupancyPercent: Double
    public var simulatedServiceLevelPercent: Double
    public var erlangCServiceLevelPercent: Double
    /// Half-width of the simulated service level's 95% interval, in percentage points.
    public var confidenceHalfWidthPoints: Double
    /// Simulated minus Erlang C, in percentage points.
    public var differencePoints: Double
    public var simulatedASASeconds: Double
    public var simulatedASAHalfWidthSeconds: Double
    public var erlangCASASeconds: Double
    public var erlangCProbabilityOfWaitingPercent: Double
    public var batches: Int
    public var batchSize: Int
    public var customers: Int
    public var seed: UInt64
}

/// Two products, some agents trained on both, at one load: the configured centre beside the
/// fully pooled Erlang C (every agent takes every call) and the fully split one (no one does).
public struct SkillsPoint: Sendable, Hashable, Codable {
    public var scenario = "skills"
    /// The queues' assignment method.
    public var method: String
    public var agents: Int
    public var crossTrainedPercent: Double
    public var crossTrainedAgents: Int
    public var lambdaPerSecondEachProduct: Double
    public var meanHandlingSeconds: Double
    public var targetSeconds: Double
    public var occupancyPercent: Double
    public var simulatedServiceLevelPercent: Double
    public var confidenceHalfWidthPoints: Double
    public var productAServiceLevelPercent: Double
    public var productBServiceLevelPercent: Double
    public var pooledErlangCServiceLevelPercent: Double
    public var splitErlangCServiceLevelPercent: Double
    /// Pooled Erlang C minus simulated, in percentage points.
    public var gapToPooledPoints: Double
    public var simulatedASASeconds: Double
    public var pooledErlangCASASeconds: Double
    public var batches: Int
    public var customers: Int
    public var seed: UInt64
}

/// One assignment method, with or without holding for owners: what stickiness delivers,
/// what holding costs, and how evenly the agents of the queue are loaded.
public struct StickyPoint: Sendable, Hashable, Codable {
    public var scenario = "sticky"
    public var method: String
    public var holdForOwnerSeconds: Double
    public var agents: Int
    public var capacityEach: Int
    public var meanHandlingSeconds: Double
    public var occupancyPercent: Double
    public var returningPercent: Double
    /// Returning customers who were assigned to the agent who last handled them.
    public var reachedOwnerPercent: Double
    public var returningAverageWaitSeconds: Double
    public var newAverageWaitSeconds: Double
    public var averageWaitSeconds: Double
    /// Average wait of everyone minus that of the same method without holding (same seed).
    public var extraWaitFromHoldingSeconds: Double
    public var serviceLevelPercent: Double
    public var targetSeconds: Double
    /// Spread of the agents' occupancy (share of capacity in use over the run).
    public var agentOccupancyMinPercent: Double
    public var agentOccupancyMaxPercent: Double
    public var agentOccupancyStandardDeviationPoints: Double
    public var customers: Int
    public var seed: UInt64
}
