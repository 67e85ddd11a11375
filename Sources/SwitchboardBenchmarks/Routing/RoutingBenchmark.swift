public import SwitchboardRouting

#if canImport(Glibc)
    import Glibc
#endif

/// The workload and timing loop behind `switchboard bench routing`: a contact centre of
/// `agents` agents over `queues` queues with several languages and products, filled until
/// every agent is busy and `waiting` conversations wait; then a timed mix of arrivals
/// (returning customers among them) and agents freeing capacity, each one decision.
public struct RoutingBenchmark: Sendable {
    public struct Parameters: Sendable, Hashable, Codable {
        public var agents: Int
        public var queues: Int
        public var waiting: Int
        public var decisions: Int
        public var seed: UInt64
        /// Also fingerprint every action (`Result.traceDigest`); slows the run.
        public var traceDigest: Bool

        public init(
            agents: Int = 15_000, queues: Int = 12, waiting: Int = 500_000, decisions: Int = 300_000, seed: UInt64 = 1,
            traceDigest: Bool = false
        ) {
            self.agents = agents
            self.queues = queues
            self.waiting = waiting
            self.decisions = decisions
            self.seed = seed
            self.traceDigest = traceDigest
        }
    }

    /// What the command prints as one JSON line.
    public struct Result: Sendable, Hashable, Codable {
        public var agents: Int
        public var queues: Int
        public var waitingAtStart: Int
        public var waitingAtEnd: Int
        public var decisions: Int
        public var assignments: Int
        public var stickyAssignments: Int
        public var decisionsPerSecond: Double
        /// Decisions per second of this thread's CPU time: what `decisionsPerSecond` would be
        /// on an idle core (other processes sharing the core do not count against it).
        public var decisionsPerCPUSecond: Double
        /// Mean time of one decision (the time between decisions, spent making up the
        /// workload and keeping the benchmark's books, is not in it).
        public var meanMicroseconds: Double
        /// Percentiles of one decision's time, from an HDR histogram (three significant digits).
        public var p50Microseconds: Double
        public var p99Microseconds: Double
        public var p999Microseconds: Double
        public var maxMicroseconds: Double
        public var setupSeconds: Double
        /// Fingerprint of every action, when asked for: equal digests mean the
        /// engine decided exactly the same way.
        public var traceDigest: String?
    }

    public var parameters: Parameters

    public init(parameters: Parameters) { self.parameters = parameters }

    static let languages: [(SkillID, Double)] = [
        ("english", 0.6), ("spanish", 0.2), ("hindi", 0.1), ("french", 0.05), ("german", 0.05),
    ]
    static let products: [SkillID] = ["cards", "loans", "mortgages", "support"]

    /// The configuration the workload routes with.
    public func configuration() -> RoutingConfiguration {
        var skills = Self.languages.map { SkillDefinition(id: $0.0, kind: .language) }
        skills += Self.products.map { SkillDefinition(id: $0, kind: .product) }
        let channels: [Channel] = [.chat, .chat, .voice, .chat, .messaging, .email]
        let methods = AssignmentMethod.allCases
        var queues: [QueueConfiguration] = []
        for index in 0..<max(1, parameters.queues) {
            let product = Self.products[index % Self.products.count]
            queues.append(
                QueueConfiguration(
                    id: QueueID("q\(index)-\(product.rawValue)"), channel: channels[index % channels.count],
                    priority: index % 7 == 0 ? 5 : 0, requiredSkills: [SkillRequirement(product, minimumLevel: 2)],
                    method: methods[index % methods.count],
                    fallbackSteps: [
                        FallbackStep(afterSeconds: 30, dropSkillKinds: [.product]),
                        FallbackStep(afterSeconds: 90, anyAgentOfQueue: true),
                    ],
                    sticky: StickyPolicy(windowSeconds: 8 * 3600), holdForOwnerSeconds: index % 3 == 0 ? 20 : nil))
        }
        let profile = CapacityProfile(
            id: "standard", capacity: [.voice: 1, .chat: 3, .messaging: 2, .email: 2],
            exclusions: [.voiceBlocksText])
        return RoutingConfiguration(
            skills: skills, capacityProfiles: [profile], roles: [Role(id: "agent", queues: queues.map(\.id))],
            queues: queues)
    }

    /// Runs the workload; throws only if the engine refuses its own configuration.
    public func run() throws(RoutingError) -> Result {
        let clock = ContinuousClock()
        let setupStart = clock.now
        let configuration = configuration()
        var engine = try RoutingEngine(configuration: configuration)
        // Sized as a router would size it for the traffic it plans for: open conversations
        // (waiting plus what agents hold) and customers (each arrival may be a new one).
        let openPlanned = parameters.waiting + parameters.agents * 8
        engine.reserveCapacity(openConversations: openPlanned, customers: openPlanned + parameters.decisions)
        var random = SplitMix64(seed: parameters.seed)
        var actions: [RoutingAction] = []
        actions.reserveCapacity(64)
        var nowMilliseconds: Int64 = 1_000
        var assigned: [ConversationID] = []
        var recentCustomers: [CustomerID] = []
        var nextConversation = 0
        var nextCustomer = 0
        // Ids of the timed phase, written before timing starts: making up the workload is not
        // the engine's work.
        var preparedIDs:
            (
                firstConversation: Int, conversations: [ConversationID], firstCustomer: Int, customers: [CustomerID]
            )?
        var assignments = 0
        var stickyAssignments = 0
        var digest = parameters.traceDigest ? TraceDigest() : nil

        func trace(_ rejection: RoutingError?) {
            digest?.add(actions: actions, rejection: rejection)
        }

        func record(_ actions: [RoutingAction]) {
            for action in actions {
                guard case .assigned(let decision) = action else { continue }
                assigned.append(decision.conversation)
                assignments += 1
                if decision.rule == .sticky { stickyAssignments += 1 }
            }
        }

        var presenceSequence: UInt64 = 0
        for index in 0..<parameters.agents {
            var skills: [SkillID: Int] = ["english": Int.random(in: 2...5, using: &random)]
            for (language, share) in Self.languages.dropFirst()
            where Double.random(in: 0..<1, using: &random) < share * 1.5 {
                skills[language] = Int.random(in: 2...5, using: &random)
            }
            let first = Int.random(in: 0..<Self.products.count, using: &random)
            skills[Self.products[first]] = Int.random(in: 2...5, using: &random)
            skills[Self.products[(first + 1 + Int.random(in: 0..<3, using: &random)) % Self.products.count]] =
                Int.random(in: 1...5, using: &random)
            presenceSequence += 1
            let profile = AgentProfile(
                id: AgentID("a\(index)"), name: "Agent \(index)", role: "agent", capacityProfile: "standard",
                skills: skills)
            let presence = AgentPresence(
                status: .available, stamp: PresenceStamp(epoch: 1, sequence: presenceSequence),
                since: RoutingInstant(millisecondsSinceEpoch: nowMilliseconds))
            actions.removeAll(keepingCapacity: true)
            let input = RoutingInput.addAgent(profile, presence: presence)
            let rejection = engine.handle(
                input, at: RoutingInstant(millisecondsSinceEpoch: nowMilliseconds), into: &actions)
            trace(rejection)
        }

        func arrival() -> RoutingInput {
            nextConversation += 1
            let customer: CustomerID
            if !recentCustomers.isEmpty, Double.random(in: 0..<1, using: &random) < 0.3 {
                customer = recentCustomers[Int.random(in: 0..<recentCustomers.count, using: &random)]
            } else {
                nextCustomer += 1
                if let prepared = preparedIDs, nextCustomer - prepared.firstCustomer < prepared.customers.count {
                    customer = prepared.customers[nextCustomer - prepared.firstCustomer]
                } else {
                    customer = CustomerID("u\(nextCustomer)")
                }
                if recentCustomers.count < 50_000 {
                    recentCustomers.append(customer)
                } else {
                    recentCustomers[Int.random(in: 0..<recentCustomers.count, using: &random)] = customer
                }
            }
            var roll = Double.random(in: 0..<1, using: &random)
            var language: SkillID = "english"
            for (candidate, share) in Self.languages {
                if roll < share {
                    language = candidate
                    break
                }
                roll -= share
            }
            let queue = configuration.queues[Int.random(in: 0..<configuration.queues.count, using: &random)].id
            let id: ConversationID
            if let prepared = preparedIDs,
                nextConversation - prepared.firstConversation < prepared.conversations.count
            {
                id = prepared.conversations[nextConversation - prepared.firstConversation]
            } else {
                id = ConversationID("c\(nextConversation)")
            }
            return .openConversation(
                ConversationRequest(
                    id: id, customer: customer, queue: queue,
                    extraSkills: [SkillRequirement(language, minimumLevel: 2)]))
        }

        // Fill: every agent busy, then `waiting` conversations waiting.
        var guardCount = 0
        while engine.waitingCount < parameters.waiting, guardCount < parameters.waiting * 4 + parameters.agents * 16 {
            guardCount += 1
            nowMilliseconds += 1
            actions.removeAll(keepingCapacity: true)
            let input = arrival()
            let rejection = engine.handle(
                input, at: RoutingInstant(millisecondsSinceEpoch: nowMilliseconds), into: &actions)
            trace(rejection)
            record(actions)
        }
        let waitingAtStart = engine.waitingCount
        preparedIDs = (
            nextConversation + 1, (1...parameters.decisions).map { ConversationID("c\(nextConversation + $0)") },
            nextCustomer + 1, (1...parameters.decisions).map { CustomerID("u\(nextCustomer + $0)") }
        )
        let setupSeconds = seconds(clock.now - setupStart)
        assignments = 0
        stickyAssignments = 0

        // Timed: alternate an agent freeing capacity (a close) and an arrival; now and then an
        // agent steps away and comes back.
        var durations = LatencyHistogram()
        var durationTotal: Int64 = 0
        var awayAgents: [AgentID] = []
        let timedStart = clock.now
        let timedStartCPU = Self.threadCPUSeconds()
        for index in 0..<parameters.decisions {
            nowMilliseconds += 2
            let input: RoutingInput
            if index % 2 == 0, !assigned.isEmpty {
                let position = Int.random(in: 0..<assigned.count, using: &random)
                let conversation = assigned[position]
                let last = assigned.removeLast()
                if position < assigned.count { assigned[position] = last }
                input = .closeConversation(conversation)
            } else if index % 101 == 0 {
                presenceSequence += 1
                let stamp = PresenceStamp(epoch: 1, sequence: presenceSequence)
                if let agent = awayAgents.popLast() {
                    input = .presenceChanged(agent, .available, stamp: stamp)
                } else {
                    let agent = AgentID("a\(Int.random(in: 0..<max(1, parameters.agents), using: &random))")
                    awayAgents.append(agent)
                    input = .presenceChanged(agent, .away, stamp: stamp)
                }
            } else {
                input = arrival()
            }
            actions.removeAll(keepingCapacity: true)
            let start = clock.now
            let rejection = engine.handle(
                input, at: RoutingInstant(millisecondsSinceEpoch: nowMilliseconds), into: &actions)
            for action in actions {
                // The shell renders the sentence of every decision it publishes: count it in.
                if case .assigned(let decision) = action { _ = decision.reason.sentence.utf8.count }
            }
            let duration = nanoseconds(clock.now - start)
            durations.record(duration)
            durationTotal += duration
            trace(rejection)
            record(actions)
        }
        let total = seconds(clock.now - timedStart)
        let totalCPU = Self.threadCPUSeconds() - timedStartCPU
        let meanMicroseconds = durations.count == 0 ? 0 : Double(durationTotal) / Double(durations.count) / 1000
        func percentile(_ percent: Double) -> Double {
            Double(durations.value(atPercentile: percent)) / 1000
        }
        return Result(
            agents: parameters.agents, queues: configuration.queues.count, waitingAtStart: waitingAtStart,
            waitingAtEnd: engine.waitingCount, decisions: parameters.decisions, assignments: assignments,
            stickyAssignments: stickyAssignments,
            decisionsPerSecond: total > 0 ? Double(parameters.decisions) / total : 0,
            decisionsPerCPUSecond: totalCPU > 0 ? Double(parameters.decisions) / totalCPU : 0,
            meanMicroseconds: meanMicroseconds, p50Microseconds: percentile(50),
            p99Microseconds: percentile(99), p999Microseconds: percentile(99.9),
            maxMicroseconds: Double(durations.maxRecorded) / 1000, setupSeconds: setupSeconds,
            traceDigest: digest.map { "\($0.hex) over \($0.actionCount) actions" })
    }

    /// CPU time this thread has used, in seconds (0 where the platform has no such clock).
    static func threadCPUSeconds() -> Double {
        #if canImport(Glibc)
            var time = timespec()
            guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        #else
            return 0
        #endif
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
