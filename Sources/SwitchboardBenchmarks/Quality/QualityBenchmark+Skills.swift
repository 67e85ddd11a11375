import SwitchboardRouting

// Two products, some agents trained on both. Wallace and Whitt showed that a few
// cross-trained agents bring a split centre close to one fully pooled queue, provided calls go
// to specialists first and keep the cross-trained agents free for whichever product is
// busiest. The cross-trained agents hold both products at level 2, the specialists theirs at
// level 3: under most idle the levels change nothing (a call goes to whoever has waited
// longest for work, cross-trained or not); under best skill match the specialists come first.
// Either way a freed agent takes the oldest call they may take across both queues.
extension QualityBenchmark {
    /// Shares of the agents trained on both products.
    public static let crossTrainedShares = [0.0, 0.1, 0.2, 0.5, 1.0]
    static let skillsAgents = 40
    static let skillsOccupancy = 0.90

    /// The methods compared, each with the shares of cross-trained agents it is run at (at 0%
    /// and 100% every agent of a queue has the same level, so the methods route alike).
    static let skillsRuns: [(AssignmentMethod, [Double])] = [
        (.mostIdle, crossTrainedShares), (.bestSkillMatch, [0.1, 0.2, 0.5]),
    ]

    func skillsPoint(
        method: AssignmentMethod, crossTrainedShare: Double, seed: UInt64
    ) throws(BenchmarkError) -> SkillsPoint {
        let agents = Self.skillsAgents
        let handling = Self.meanHandlingSeconds
        let target = Self.targetSeconds
        let lambdaEach = Self.skillsOccupancy * Double(agents) / handling / 2
        let pooled = ErlangC(agents: agents, arrivalsPerSecond: 2 * lambdaEach, meanHandlingSeconds: handling)
        let split = ErlangC(agents: agents / 2, arrivalsPerSecond: lambdaEach, meanHandlingSeconds: handling)
        let both = Int((crossTrainedShare * Double(agents)).rounded())
        let products: [SkillID] = ["product-a", "product-b"]
        let queues = products.map { product in
            QueueConfiguration(
                id: QueueID(product.rawValue), channel: .voice, requiredSkills: [SkillRequirement(product)],
                method: method, sticky: .disabled)
        }
        let configuration = RoutingConfiguration(
            skills: products.map { SkillDefinition(id: $0, kind: .product) },
            capacityProfiles: [CapacityProfile(id: "voice", capacity: [.voice: 1])],
            roles: [Role(id: "agent", queues: queues.map(\.id))], queues: queues)
        // The cross-trained agents first, then the rest alternating between the products, so
        // each product keeps the same number of agents who take it.
        let profiles = (0..<agents).map { index in
            let skills: [SkillID: Int] =
                index < both ? ["product-a": 2, "product-b": 2] : [products[(index - both) % 2]: 3]
            return AgentProfile(id: AgentID("a\(index)"), role: "agent", capacityProfile: "voice", skills: skills)
        }
        let size = Self.batchSize(agents: agents, offeredLoad: pooled.offeredLoad)
        var simulator = try QualitySimulator(
            QualitySimulator.Setup(
                configuration: configuration, agents: profiles, agentCapacity: 1,
                streams: queues.map {
                    .init(queue: $0.id, arrivalsPerSecond: lambdaEach, meanHandlingSeconds: handling)
                },
                serviceTargetSeconds: target, batchSize: size, measureFromArrival: size, seed: seed))
        try simulator.runBatches(
            halfWidthTarget: parameters.halfWidthTarget, batchesMin: Self.batchesMin, batchesMax: parameters.batchesMax)
        try Self.check(simulator)
        let serviceLevel = simulator.serviceLevelBatches
        let pooledServiceLevel = pooled.serviceLevel(withinSeconds: target)
        return SkillsPoint(
            method: method.rawValue, agents: agents, crossTrainedPercent: Self.rounded(crossTrainedShare * 100, 1),
            crossTrainedAgents: both,
            lambdaPerSecondEachProduct: Self.rounded(lambdaEach, 6), meanHandlingSeconds: handling,
            targetSeconds: target, occupancyPercent: Self.rounded(Self.skillsOccupancy * 100, 1),
            simulatedServiceLevelPercent: Self.rounded(serviceLevel.mean * 100, 2),
            confidenceHalfWidthPoints: Self.rounded(serviceLevel.halfWidth95 * 100, 2),
            productAServiceLevelPercent: Self.rounded(simulator.streamTotals[0].serviceLevel * 100, 2),
            productBServiceLevelPercent: Self.rounded(simulator.streamTotals[1].serviceLevel * 100, 2),
            pooledErlangCServiceLevelPercent: Self.rounded(pooledServiceLevel * 100, 2),
            splitErlangCServiceLevelPercent: Self.rounded(split.serviceLevel(withinSeconds: target) * 100, 2),
            gapToPooledPoints: Self.rounded((pooledServiceLevel - serviceLevel.mean) * 100, 2),
            simulatedASASeconds: Self.rounded(simulator.averageWaitBatches.mean, 2),
            pooledErlangCASASeconds: Self.rounded(pooled.averageSpeedOfAnswerSeconds, 2),
            batches: serviceLevel.count, customers: simulator.measuredCustomers, seed: seed)
    }
}
