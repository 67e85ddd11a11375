import SwitchboardRouting

// Two products, some agents trained on both. Wallace and Whitt showed that a few
// cross-trained agents bring a split centre close to one fully pooled queue; this measures how
// close the engine's routing (skilled agents ranked most idle first, a freed agent taking the
// oldest call it may take) gets.
extension QualityBenchmark {
    /// Shares of the agents trained on both products.
    public static let crossTrainedShares = [0.0, 0.1, 0.2, 0.5, 1.0]
    static let skillsAgents = 40
    static let skillsOccupancy = 0.90

    func skillsPoint(crossTrainedShare: Double, seed: UInt64) throws(BenchmarkError) -> SkillsPoint {
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
                sticky: .disabled)
        }
        let configuration = RoutingConfiguration(
            skills: products.map { SkillDefinition(id: $0, kind: .product) },
            capacityProfiles: [CapacityProfile(id: "voice", capacity: [.voice: 1])],
            roles: [Role(id: "agent", queues: queues.map(\.id))], queues: queues)
        // The cross-trained agents first, then the rest alternating between the products, so
        // each product keeps the same number of agents who take it.
        let profiles = (0..<agents).map { index in
            let skills: [SkillID: Int] =
                index < both ? ["product-a": 3, "product-b": 3] : [products[(index - both) % 2]: 3]
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
            agents: agents, crossTrainedPercent: Self.rounded(crossTrainedShare * 100, 1), crossTrainedAgents: both,
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
