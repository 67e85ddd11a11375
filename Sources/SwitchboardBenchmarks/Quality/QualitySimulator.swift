import SwitchboardRouting

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real routing engine driven on a simulated clock: seeded Poisson arrivals into one or
/// more queues, exponential handling times, agents who close each conversation when its
/// handling time is up. No processes and no sleeping: time jumps from one event to the next,
/// and the engine's own deadlines (holds for owners) fire at their instants between events.
///
/// It measures what the customer and the agents see: each customer's wait from arrival to
/// assignment, whether a returning customer reached the agent who last handled them, and how
/// busy each agent was. Customers arriving before `measureFromArrival` warm the centre up and
/// are not counted.
struct QualitySimulator {
    /// One stream of arrivals into a queue.
    struct Stream: Sendable {
        var queue: QueueID
        var arrivalsPerSecond: Double
        var meanHandlingSeconds: Double
    }

    /// What the simulator needs to set the centre up.
    struct Setup: Sendable {
        var configuration: RoutingConfiguration
        var agents: [AgentProfile]
        /// Capacity of each agent on the channel of the simulated queues (occupancy is load over it).
        var agentCapacity: Int
        var streams: [Stream]
        /// Share of arrivals who are customers handled recently coming back.
        var returningShare: Double = 0
        /// Answered within this many seconds counts towards the service level.
        var serviceTargetSeconds: Double
        /// Customers per batch of the batch means.
        var batchSize: Int
        /// Arrivals before this one are warm-up.
        var measureFromArrival: Int
        var seed: UInt64
    }

    /// Totals of one batch of consecutive arrivals.
    struct BatchTotals: Sendable {
        var answered = 0
        var withinTarget = 0
        var waitMilliseconds: Int64 = 0
    }

    /// Totals of one stream, or of the returning or new customers.
    struct Totals: Sendable {
        var answered = 0
        var withinTarget = 0
        var waitMilliseconds: Int64 = 0

        var serviceLevel: Double { answered == 0 ? .nan : Double(withinTarget) / Double(answered) }
        var averageWaitSeconds: Double { answered == 0 ? .nan : Double(waitMilliseconds) / Double(answered) / 1000 }
    }

    private struct OpenConversation {
        var arrival: Int
        var stream: Int
        var customer: CustomerID
        var openedMilliseconds: Int64
        /// The agent who last handled this customer, when the customer is returning.
        var previousAgent: Int?
        var agent: Int?
    }

    /// Most engine inputs one arrival may lead to (its own, its completion, deadlines): a
    /// bound on every loop, so a fault that stops time cannot spin for ever.
    static let inputsPerArrivalMax = 16

    let setup: Setup
    private(set) var engine: RoutingEngine
    private var random: SplitMix64
    private var events = SimulationEventQueue()
    private(set) var nowMilliseconds: Int64 = 0
    private(set) var arrivals = 0
    private var nextCustomer = 0
    private var open: [ConversationID: OpenConversation] = [:]
    private var actions: [RoutingAction] = []
    private let totalArrivalsPerSecond: Double

    // Agents, by the engine's id and by position.
    private var agentPositions: [AgentID: Int] = [:]
    private var load: [Int]
    private var loadAreaMilliseconds: [Double]
    private var lastLoadChangeMilliseconds: [Int64]
    private var measurementStartMilliseconds: Int64?

    // Recently handled customers, who may come back: a ring, and the last agent of each.
    private static let recentCustomersMax = 1000
    private var recentCustomers: [CustomerID] = []
    private var nextRecentSlot = 0
    private var lastAgent: [CustomerID: (agent: Int, ringSlot: Int)] = [:]

    // What was measured.
    private(set) var batches: [BatchTotals] = []
    private(set) var streamTotals: [Totals]
    private(set) var returningTotals = Totals()
    private(set) var newTotals = Totals()
    private(set) var returningReachedOwner = 0
    /// Inputs the engine refused (none is expected; each is a fault of the simulator or the engine).
    private(set) var rejections: [String] = []

    init(_ setup: Setup) throws(BenchmarkError) {
        self.setup = setup
        do {
            engine = try RoutingEngine(configuration: setup.configuration)
        } catch {
            throw BenchmarkError("the quality scenario's configuration was refused: \(error)")
        }
        random = SplitMix64(seed: setup.seed)
        totalArrivalsPerSecond = setup.streams.reduce(0) { $0 + $1.arrivalsPerSecond }
        load = Array(repeating: 0, count: setup.agents.count)
        loadAreaMilliseconds = Array(repeating: 0, count: setup.agents.count)
        lastLoadChangeMilliseconds = Array(repeating: 0, count: setup.agents.count)
        streamTotals = Array(repeating: Totals(), count: setup.streams.count)
        for (position, profile) in setup.agents.enumerated() {
            agentPositions[profile.id] = position
            let presence = AgentPresence(
                status: .available, stamp: PresenceStamp(epoch: 1, sequence: UInt64(position + 1)), since: .zero)
            send(.addAgent(profile, presence: presence), atMilliseconds: 0)
        }
        guard totalArrivalsPerSecond > 0 else { throw BenchmarkError("the quality scenario has no arrivals") }
        events.schedule(.arrival, atMilliseconds: exponentialMilliseconds(meanSeconds: 1 / totalArrivalsPerSecond))
    }

    // MARK: Running

    /// Handles events in time order until `target` customers have arrived (the next arrival
    /// is left pending, so a later call carries on exactly where this one stopped).
    mutating func run(arrivals target: Int) throws(BenchmarkError) {
        var steps = 0
        let stepsMax = max(0, target - arrivals) * Self.inputsPerArrivalMax + events.count + 1024
        while let next = events.first {
            if case .arrival = next.kind, arrivals >= target { return }
            steps += 1
            guard steps <= stepsMax else {
                throw BenchmarkError("the simulation took more than \(stepsMax) steps for \(target) arrivals")
            }
            _ = events.popFirst()
            fireDeadlines(upToMilliseconds: next.timeMilliseconds)
            nowMilliseconds = next.timeMilliseconds
            switch next.kind {
            case .arrival: arrive()
            case .completion(let conversation): complete(conversation)
            }
        }
    }

    /// Runs batch after batch until the service level's 95% interval is no wider than
    /// ±`halfWidthTarget` over at least `batchesMin` complete batches, or `batchesMax` batches.
    mutating func runBatches(halfWidthTarget: Double, batchesMin: Int, batchesMax: Int) throws(BenchmarkError) {
        for generated in 1...max(1, batchesMax) {
            try run(arrivals: setup.measureFromArrival + generated * setup.batchSize)
            let serviceLevel = serviceLevelBatches
            if serviceLevel.count >= batchesMin && serviceLevel.halfWidth95 <= halfWidthTarget { return }
        }
    }

    // MARK: Results

    /// Per complete batch, the share answered within the target.
    var serviceLevelBatches: BatchMeans {
        BatchMeans(batchAverages: completeBatches.map { Double($0.withinTarget) / Double($0.answered) })
    }

    /// Per complete batch, the average wait in seconds.
    var averageWaitBatches: BatchMeans {
        BatchMeans(batchAverages: completeBatches.map { Double($0.waitMilliseconds) / Double($0.answered) / 1000 })
    }

    /// Leading batches whose every customer has been answered.
    private var completeBatches: ArraySlice<BatchTotals> {
        let complete = batches.prefix { $0.answered == setup.batchSize }
        return complete
    }

    /// Customers counted in the complete batches.
    var measuredCustomers: Int { completeBatches.count * setup.batchSize }

    /// Each agent's share of capacity in use since measuring began (load over capacity, averaged over time).
    var occupancies: [Double] {
        guard let start = measurementStartMilliseconds, nowMilliseconds > start else { return load.map { _ in .nan } }
        let spanMilliseconds = Double(nowMilliseconds - start) * Double(max(1, setup.agentCapacity))
        return (0..<load.count).map { agent in
            (loadAreaMilliseconds[agent] + Double(load[agent])
                * Double(nowMilliseconds - lastLoadChangeMilliseconds[agent])) / spanMilliseconds
        }
    }

    // MARK: Events

    private mutating func arrive() {
        let arrival = arrivals
        arrivals += 1
        if arrival == setup.measureFromArrival { startMeasuring() }
        let stream = pickStream()
        var customer: CustomerID
        var previousAgent: Int?
        if !recentCustomers.isEmpty, Double.random(in: 0..<1, using: &random) < setup.returningShare {
            customer = recentCustomers[Int.random(in: 0..<recentCustomers.count, using: &random)]
            previousAgent = lastAgent[customer]?.agent
        } else {
            customer = CustomerID("k\(nextCustomer)")
            nextCustomer += 1
        }
        let id = ConversationID("c\(arrival)")
        open[id] = OpenConversation(
            arrival: arrival, stream: stream, customer: customer, openedMilliseconds: nowMilliseconds,
            previousAgent: previousAgent)
        send(
            .openConversation(ConversationRequest(id: id, customer: customer, queue: setup.streams[stream].queue)),
            atMilliseconds: nowMilliseconds)
        events.schedule(
            .arrival, atMilliseconds: nowMilliseconds + exponentialMilliseconds(meanSeconds: 1 / totalArrivalsPerSecond)
        )
    }

    private mutating func complete(_ conversation: ConversationID) {
        guard let record = open.removeValue(forKey: conversation), let agent = record.agent else { return }
        changeLoad(of: agent, by: -1)
        remember(record.customer, handledBy: agent)
        send(.closeConversation(conversation), atMilliseconds: nowMilliseconds)
    }

    /// Fires the engine's deadlines due before `timeMilliseconds`, each at its own instant, so that work
    /// they assign starts then (and its completion is never scheduled in the past).
    private mutating func fireDeadlines(upToMilliseconds timeMilliseconds: Int64) {
        var fired = 0
        while let deadline = engine.nextDeadline, deadline.millisecondsSinceEpoch <= timeMilliseconds,
            fired < Self.inputsPerArrivalMax * 64
        {
            fired += 1
            nowMilliseconds = max(nowMilliseconds, deadline.millisecondsSinceEpoch)
            send(.timeAdvanced, atMilliseconds: nowMilliseconds)
        }
    }

    private mutating func send(_ input: RoutingInput, atMilliseconds timeMilliseconds: Int64) {
        actions.removeAll(keepingCapacity: true)
        if let rejection = engine.handle(
            input, at: RoutingInstant(millisecondsSinceEpoch: timeMilliseconds), into: &actions)
        {
            if rejections.count < 10 { rejections.append("\(rejection)") }
        }
        for action in actions {
            switch action {
            case .assigned(let decision): answered(decision)
            case .offered(let decision, _):
                if rejections.count < 10 {
                    rejections.append("\(decision.conversation) was offered; the quality scenarios assign directly")
                }
            default: break
            }
        }
    }

    private mutating func answered(_ decision: RoutingDecision) {
        guard var record = open[decision.conversation], let agent = agentPositions[decision.agent] else { return }
        let decidedMilliseconds = decision.decidedAt.millisecondsSinceEpoch
        record.agent = agent
        open[decision.conversation] = record
        changeLoad(of: agent, by: 1, atMilliseconds: decidedMilliseconds)
        let handling = exponentialMilliseconds(meanSeconds: setup.streams[record.stream].meanHandlingSeconds)
        events.schedule(.completion(decision.conversation), atMilliseconds: decidedMilliseconds + handling)

        guard record.arrival >= setup.measureFromArrival else { return }
        let waitMilliseconds = decidedMilliseconds - record.openedMilliseconds
        let within = Double(waitMilliseconds) <= setup.serviceTargetSeconds * 1000
        let batch = (record.arrival - setup.measureFromArrival) / max(1, setup.batchSize)
        while batches.count <= batch { batches.append(BatchTotals()) }
        batches[batch].answered += 1
        batches[batch].withinTarget += within ? 1 : 0
        batches[batch].waitMilliseconds += waitMilliseconds
        Self.add(waitMilliseconds, within: within, to: &streamTotals[record.stream])
        if let previous = record.previousAgent {
            Self.add(waitMilliseconds, within: within, to: &returningTotals)
            if previous == agent { returningReachedOwner += 1 }
        } else {
            Self.add(waitMilliseconds, within: within, to: &newTotals)
        }
    }

    private static func add(_ waitMilliseconds: Int64, within: Bool, to totals: inout Totals) {
        totals.answered += 1
        totals.withinTarget += within ? 1 : 0
        totals.waitMilliseconds += waitMilliseconds
    }

    // MARK: Books

    private mutating func startMeasuring() {
        measurementStartMilliseconds = nowMilliseconds
        for agent in load.indices {
            loadAreaMilliseconds[agent] = 0
            lastLoadChangeMilliseconds[agent] = nowMilliseconds
        }
    }

    private mutating func changeLoad(of agent: Int, by delta: Int, atMilliseconds timeMilliseconds: Int64? = nil) {
        let at = max(timeMilliseconds ?? nowMilliseconds, lastLoadChangeMilliseconds[agent])
        loadAreaMilliseconds[agent] += Double(load[agent]) * Double(at - lastLoadChangeMilliseconds[agent])
        lastLoadChangeMilliseconds[agent] = at
        load[agent] += delta
    }

    private mutating func remember(_ customer: CustomerID, handledBy agent: Int) {
        guard setup.returningShare > 0 else { return }
        let slot: Int
        if recentCustomers.count < Self.recentCustomersMax {
            slot = recentCustomers.count
            recentCustomers.append(customer)
        } else {
            slot = nextRecentSlot
            let evicted = recentCustomers[slot]
            if lastAgent[evicted]?.ringSlot == slot { lastAgent.removeValue(forKey: evicted) }
            recentCustomers[slot] = customer
            nextRecentSlot = (nextRecentSlot + 1) % Self.recentCustomersMax
        }
        lastAgent[customer] = (agent, slot)
    }

    private mutating func pickStream() -> Int {
        guard setup.streams.count > 1 else { return 0 }
        var draw = Double.random(in: 0..<totalArrivalsPerSecond, using: &random)
        for (index, stream) in setup.streams.enumerated() {
            draw -= stream.arrivalsPerSecond
            if draw < 0 { return index }
        }
        return setup.streams.count - 1
    }

    /// An exponential duration with this mean, in whole milliseconds.
    private mutating func exponentialMilliseconds(meanSeconds: Double) -> Int64 {
        let uniform = Double.random(in: 0..<1, using: &random)
        return Int64((-meanSeconds * log(1 - uniform) * 1000).rounded())
    }
}
