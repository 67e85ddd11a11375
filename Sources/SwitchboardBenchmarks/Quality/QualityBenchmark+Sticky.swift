public import SwitchboardRouting

// Returning customers and fairness: one chat queue, agents taking two chats each, 30% of
// arrivals customers handled recently. For each assignment method, with and without holding
// for owners, on the same seed (so the arrivals and handling times are the same): how many
// returning customers reach their owner, what holding costs in wait, and how evenly the
// method spreads work across the agents.
extension QualityBenchmark {
    static let stickyMethods: [AssignmentMethod] = [.mostIdle, .leastLoaded, .roundRobin]
    static let stickyHoldSeconds: [Double?] = [nil, 60]
    static let stickyAgents = 20
    static let stickyCapacity = 2
    static let stickyHandlingSeconds = 300.0
    static let stickyOccupancy = 0.85
    static let stickyReturningShare = 0.3
    static let stickyWarmupCustomers = 10_000
    static let stickyCustomers = 200_000

    func stickyPoints(seed: UInt64) throws(BenchmarkError) -> [StickyPoint] {
        var points: [StickyPoint] = []
        for method in Self.stickyMethods {
            var withoutHoldingWait: Double?
            for hold in Self.stickyHoldSeconds {
                var point = try Self.stickyPoint(
                    method: method, holdForOwnerSeconds: hold, customers: Self.stickyCustomers, seed: seed)
                if hold == nil { withoutHoldingWait = point.averageWaitSeconds }
                point.extraWaitFromHoldingSeconds = Self.rounded(
                    point.averageWaitSeconds - (withoutHoldingWait ?? point.averageWaitSeconds), 2)
                points.append(point)
            }
        }
        return points
    }

    /// One sticky chat queue under `method`, holding for owners when `holdForOwnerSeconds` is set.
    public static func stickyPoint(
        method: AssignmentMethod, holdForOwnerSeconds: Double?, customers: Int, seed: UInt64
    ) throws(BenchmarkError) -> StickyPoint {
        let agents = stickyAgents
        let lambda = stickyOccupancy * Double(agents * stickyCapacity) / stickyHandlingSeconds
        let queue = QueueConfiguration(
            id: "support", channel: .chat, requiredSkills: [SkillRequirement("support")], method: method,
            sticky: StickyPolicy(windowSeconds: 8 * 3600), holdForOwnerSeconds: holdForOwnerSeconds)
        let configuration = RoutingConfiguration(
            skills: [SkillDefinition(id: "support", kind: .product)],
            capacityProfiles: [CapacityProfile(id: "chat", capacity: [.chat: stickyCapacity])],
            roles: [Role(id: "agent", queues: ["support"])], queues: [queue])
        let profiles = (0..<agents).map { index in
            AgentProfile(id: AgentID("a\(index)"), role: "agent", capacityProfile: "chat", skills: ["support": 3])
        }
        var simulator = try QualitySimulator(
            QualitySimulator.Setup(
                configuration: configuration, agents: profiles, agentCapacity: stickyCapacity,
                streams: [
                    .init(queue: "support", arrivalsPerSecond: lambda, meanHandlingSeconds: stickyHandlingSeconds)
                ],
                returningShare: stickyReturningShare, serviceTargetSeconds: targetSeconds, batchSize: customers,
                measureFromArrival: stickyWarmupCustomers, seed: seed))
        try simulator.run(arrivals: stickyWarmupCustomers + customers)
        try check(simulator)
        let returning = simulator.returningTotals
        let new = simulator.newTotals
        let all = simulator.streamTotals[0]
        let occupancies = simulator.occupancies
        let meanOccupancy = occupancies.reduce(0, +) / Double(max(1, occupancies.count))
        let variance =
            occupancies.reduce(0) { $0 + ($1 - meanOccupancy) * ($1 - meanOccupancy) }
            / Double(max(1, occupancies.count))
        func finite(_ value: Double) -> Double { value.isFinite ? value : 0 }
        return StickyPoint(
            method: method.rawValue, holdForOwnerSeconds: holdForOwnerSeconds ?? 0, agents: agents,
            capacityEach: stickyCapacity, meanHandlingSeconds: stickyHandlingSeconds,
            occupancyPercent: rounded(stickyOccupancy * 100, 1),
            returningPercent: rounded(finite(Double(returning.answered) / Double(max(1, all.answered))) * 100, 2),
            reachedOwnerPercent: rounded(
                finite(Double(simulator.returningReachedOwner) / Double(max(1, returning.answered))) * 100, 2),
            returningAverageWaitSeconds: rounded(finite(returning.averageWaitSeconds), 2),
            newAverageWaitSeconds: rounded(finite(new.averageWaitSeconds), 2),
            averageWaitSeconds: rounded(finite(all.averageWaitSeconds), 2), extraWaitFromHoldingSeconds: 0,
            serviceLevelPercent: rounded(finite(all.serviceLevel) * 100, 2), targetSeconds: targetSeconds,
            agentOccupancyMinPercent: rounded(finite(occupancies.min() ?? .nan) * 100, 2),
            agentOccupancyMaxPercent: rounded(finite(occupancies.max() ?? .nan) * 100, 2),
            agentOccupancyStandardDeviationPoints: rounded(finite(variance.squareRoot()) * 100, 2),
            customers: all.answered, seed: seed)
    }
}
