import SwitchboardRouting

/// `switchboard bench quality`: how well the real routing engine serves customers, on a
/// simulated clock. Three scenarios:
/// - erlang: one queue, one skill, Poisson arrivals, exponential handling, no abandonment, at
///   70 to 95% occupancy, beside Erlang C for the same N, λ and μ (batch means, 95% intervals);
/// - skills: two products, a share of agents trained on both, beside the pooled Erlang C;
/// - sticky: returning customers and holding for owners under each assignment method, with
///   the spread of occupancy across agents.
public struct QualityBenchmark: Sendable {
    public enum Scenario: String, Sendable, Hashable, CaseIterable {
        case erlang
        case skills
        case sticky
        case all
    }

    public struct Parameters: Sendable, Hashable {
        public var scenario: Scenario
        public var seed: UInt64
        /// Batches continue until the service level's 95% interval is this narrow (a share: 0.005 is ±0.5 points).
        public var halfWidthTarget: Double
        /// Most batches per point (a bound on the run time of the busiest point).
        public var batchesMax: Int

        public init(
            scenario: Scenario = .all, seed: UInt64 = 1, halfWidthTarget: Double = 0.005, batchesMax: Int = 1000
        ) {
            self.scenario = scenario
            self.seed = seed
            self.halfWidthTarget = halfWidthTarget
            self.batchesMax = batchesMax
        }
    }

    /// The loads of the erlang scenario.
    public static let erlangOccupancies = [0.70, 0.80, 0.85, 0.90, 0.95]
    static let erlangAgents = 50
    static let meanHandlingSeconds = 180.0
    static let targetSeconds = 20.0
    static let batchesMin = 30

    public var parameters: Parameters

    public init(parameters: Parameters) { self.parameters = parameters }

    /// Runs the chosen scenarios, handing each point to `report` as soon as it is measured.
    public func run(report: (QualityReport) -> Void) throws(BenchmarkError) {
        let scenario = parameters.scenario
        if scenario == .erlang || scenario == .all {
            for (index, occupancy) in Self.erlangOccupancies.enumerated() {
                let point = try Self.erlangPoint(
                    agents: Self.erlangAgents, occupancy: occupancy, meanHandlingSeconds: Self.meanHandlingSeconds,
                    targetSeconds: Self.targetSeconds, seed: parameters.seed &+ UInt64(index),
                    halfWidthTarget: parameters.halfWidthTarget, batchesMin: Self.batchesMin,
                    batchesMax: parameters.batchesMax)
                report(.erlang(point))
            }
        }
        if scenario == .skills || scenario == .all {
            var index: UInt64 = 0
            for (method, shares) in Self.skillsRuns {
                for share in shares {
                    let seed = parameters.seed &+ 100 &+ index
                    report(.skills(try skillsPoint(method: method, crossTrainedShare: share, seed: seed)))
                    index += 1
                }
            }
        }
        if scenario == .sticky || scenario == .all {
            for point in try stickyPoints(seed: parameters.seed &+ 200) { report(.sticky(point)) }
        }
    }

    /// Customers per batch: about twenty relaxation times of the M/M/N queue, a/(√N − √a)²
    /// customers each (the queue forgets its state over that many arrivals), so batch means are
    /// nearly independent; at least 2,000, in whole thousands.
    static func batchSize(agents: Int, offeredLoad: Double) -> Int {
        let gap = Double(agents).squareRoot() - offeredLoad.squareRoot()
        let relaxationCustomers = offeredLoad / max(gap * gap, 1e-6)
        let size = max(2000.0, (20 * relaxationCustomers / 1000).rounded(.up) * 1000)
        return Int(min(size, 1_000_000))
    }

    /// One queue of `agents` agents at `occupancy`, simulated until its service level's interval
    /// is ±`halfWidthTarget` (or `batchesMax` batches), beside Erlang C.
    public static func erlangPoint(
        agents: Int, occupancy: Double, meanHandlingSeconds: Double, targetSeconds: Double, seed: UInt64,
        halfWidthTarget: Double, batchesMin: Int, batchesMax: Int, batchSize fixedBatchSize: Int? = nil
    ) throws(BenchmarkError) -> ErlangPoint {
        guard agents > 0, occupancy > 0, occupancy < 1, meanHandlingSeconds > 0 else {
            throw BenchmarkError("the erlang scenario needs agents above 0 and an occupancy between 0 and 1")
        }
        let lambda = occupancy * Double(agents) / meanHandlingSeconds
        let model = ErlangC(agents: agents, arrivalsPerSecond: lambda, meanHandlingSeconds: meanHandlingSeconds)
        let size = fixedBatchSize ?? batchSize(agents: agents, offeredLoad: model.offeredLoad)
        let queue = QueueConfiguration(
            id: "general", channel: .voice, requiredSkills: [SkillRequirement("general")], sticky: .disabled)
        let configuration = RoutingConfiguration(
            skills: [SkillDefinition(id: "general", kind: .product)],
            capacityProfiles: [CapacityProfile(id: "voice", capacity: [.voice: 1])],
            roles: [Role(id: "agent", queues: ["general"])], queues: [queue])
        let profiles = (0..<agents).map { index in
            AgentProfile(id: AgentID("a\(index)"), role: "agent", capacityProfile: "voice", skills: ["general": 3])
        }
        var simulator = try QualitySimulator(
            QualitySimulator.Setup(
                configuration: configuration, agents: profiles, agentCapacity: 1,
                streams: [.init(queue: "general", arrivalsPerSecond: lambda, meanHandlingSeconds: meanHandlingSeconds)],
                serviceTargetSeconds: targetSeconds, batchSize: size, measureFromArrival: size, seed: seed))
        try simulator.runBatches(halfWidthTarget: halfWidthTarget, batchesMin: batchesMin, batchesMax: batchesMax)
        try check(simulator)
        let serviceLevel = simulator.serviceLevelBatches
        let wait = simulator.averageWaitBatches
        let erlangServiceLevel = model.serviceLevel(withinSeconds: targetSeconds)
        return ErlangPoint(
            agents: agents, lambdaPerSecond: rounded(lambda, 6), meanHandlingSeconds: meanHandlingSeconds,
            targetSeconds: targetSeconds, occupancyPercent: rounded(occupancy * 100, 2),
            simulatedServiceLevelPercent: rounded(serviceLevel.mean * 100, 2),
            erlangCServiceLevelPercent: rounded(erlangServiceLevel * 100, 2),
            confidenceHalfWidthPoints: rounded(serviceLevel.halfWidth95 * 100, 2),
            differencePoints: rounded((serviceLevel.mean - erlangServiceLevel) * 100, 2),
            simulatedASASeconds: rounded(wait.mean, 2), simulatedASAHalfWidthSeconds: rounded(wait.halfWidth95, 2),
            erlangCASASeconds: rounded(model.averageSpeedOfAnswerSeconds, 2),
            erlangCProbabilityOfWaitingPercent: rounded(model.probabilityOfWaiting * 100, 2),
            batches: serviceLevel.count, batchSize: size, customers: simulator.measuredCustomers, seed: seed)
    }

    /// A simulation the engine refused inputs of measures nothing; say so rather than print figures.
    static func check(_ simulator: QualitySimulator) throws(BenchmarkError) {
        guard simulator.rejections.isEmpty else {
            throw BenchmarkError("the engine refused simulated inputs: \(simulator.rejections.joined(separator: "; "))")
        }
    }

    static func rounded(_ value: Double, _ places: Int) -> Double {
        guard value.isFinite else { return value }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
