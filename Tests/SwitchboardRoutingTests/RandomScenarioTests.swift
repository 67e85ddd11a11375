import SwitchboardRouting
import Testing

/// Seeded random scenarios: thousands of steps of arrivals, presence changes, offers
/// answered or not, closes, wrap-ups, transfers, removals and time passing, with the
/// invariant checker after every step. A failure prints the seed and the step to replay.
@Suite("Seeded random routing scenarios")
struct RandomScenarioTests {
    static let queues: [QueueConfiguration] = [
        Fixture.queue(
            "chat-es", skills: [SkillRequirement("spanish", minimumLevel: 2)],
            ladder: [FallbackStep(afterSeconds: 45, anyAgentOfQueue: true)], hold: 30),
        Fixture.queue(
            "chat-cards",
            skills: [SkillRequirement("english", minimumLevel: 2), SkillRequirement("cards", minimumLevel: 3)],
            method: .leastLoaded,
            ladder: [
                FallbackStep(afterSeconds: 30, dropSkillKinds: [.product]),
                FallbackStep(afterSeconds: 90, lowerMinimumLevelsBy: 1),
            ],
            offer: .offer(timeoutSeconds: 15, missedOffersBeforeAway: 3), wrapUp: 20),
        Fixture.queue(
            "chat-vip", skills: [SkillRequirement("tier2", minimumLevel: 1)], method: .bestSkillMatch,
            sticky: StickyPolicy(windowSeconds: 600, sameTopicOnly: true), priority: 5),
        Fixture.queue(
            "voice", channel: .voice, method: .roundRobin,
            ladder: [FallbackStep(afterSeconds: 20, dropSkillKinds: [.language])],
            offer: .offer(timeoutSeconds: 10), wrapUp: 15, overflow: OverflowLimits(maxWaiting: 4,
                maxWaitSeconds: 120)),
        Fixture.queue("email", channel: .email, hold: 40),
    ]

    /// The same queues, with overflow routing along chat-es -> chat-cards -> chat-vip.
    static let overflowingQueues: [QueueConfiguration] = queues.map { queue in
        var queue = queue
        switch queue.id {
        case "chat-es": queue.overflow = OverflowLimits(maxWaiting: 3, maxWaitSeconds: 60, to: "chat-cards")
        case "chat-cards": queue.overflow = OverflowLimits(maxWaiting: 4, to: "chat-vip")
        default: break
        }
        return queue
    }

    static let profiles = [
        CapacityProfile(
            id: "standard", capacity: [.voice: 1, .chat: 3, .email: 2], exclusions: [.voiceBlocksText]),
        CapacityProfile(id: "chat-only", capacity: [.chat: 2]),
    ]

    @Test("invariants hold after every step", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func invariantsHold(seed: UInt64) async throws {
        var scenario = try Scenario(seed: seed)
        for step in 0..<2000 {
            await scenario.step(yielding: step)
            // The full accounting compares every open conversation: every 10 steps keeps it cheap.
            let problems = scenario.harness.violations + (step % 10 == 9 ? scenario.accountingProblems() : [])
            if !problems.isEmpty {
                Issue.record("seed \(seed), step \(step): \(problems.prefix(5))")
                return
            }
            if step % 500 == 499 {
                let rebuilt = try scenario.rebuild()
                if !rebuilt {
                    Issue.record("seed \(seed), step \(step): a rebuilt engine's snapshot differs from the original")
                    return
                }
            }
        }
        #expect(scenario.assignments > 100, "seed \(seed): the scenario barely assigned anything")
    }

    @Test("invariants hold with overflow routing, and the checker sees overflows", arguments: [21, 22, 23] as [UInt64])
    func invariantsHoldWithOverflow(seed: UInt64) async throws {
        var scenario = try Scenario(seed: seed, queues: Self.overflowingQueues)
        for step in 0..<2000 {
            await scenario.step(yielding: step)
            let problems = scenario.harness.violations + (step % 10 == 9 ? scenario.accountingProblems() : [])
            if !problems.isEmpty {
                Issue.record("seed \(seed), step \(step): \(problems.prefix(5))")
                return
            }
            if step % 500 == 499, try !scenario.rebuild() {
                Issue.record("seed \(seed), step \(step): a rebuilt engine's snapshot differs from the original")
                return
            }
        }
        let overflows = scenario.harness.actions.filter { action in
            if case .requeued(let requeued) = action { requeued.reason == .overflowed } else { false }
        }
        #expect(overflows.count > 5, "seed \(seed): only \(overflows.count) overflows")
    }

    @Test("every rule is exercised and every sentence names its rule and agent")
    func reasonsMatchRules() async throws {
        var rulesSeen: [String: Int] = [:]
        for seed in 11...14 as ClosedRange<UInt64> {
            var scenario = try Scenario(seed: seed)
            await scenario.run(steps: 2000)
            #expect(scenario.harness.violations.isEmpty, "seed \(seed): \(scenario.harness.violations.prefix(3))")
            for action in scenario.harness.actions {
                guard case .assigned(let decision) = action else { continue }
                rulesSeen[decision.rule.name, default: 0] += 1
                let sentence = decision.reason.sentence
                let prefix: String
                switch decision.rule {
                case .sticky: prefix = "Sticky: \(decision.reason.agentName) "
                case .skills: prefix = "Skills: "
                case .fallbackStep(let step): prefix = "Fallback step \(step) after "
                case .holdForOwnerFallback: prefix = "Hold for owner expired"
                case .transfer: prefix = "Transfer: "
                }
                #expect(sentence.hasPrefix(prefix), "seed \(seed): \(decision.rule) said \(sentence)")
                #expect(sentence.contains(decision.reason.agentName), "seed \(seed): \(sentence)")
                #expect(sentence.hasSuffix("."), "seed \(seed): \(sentence)")
                #expect(RoutingRule(name: decision.rule.name) == decision.rule)
            }
        }
        for rule in ["sticky", "skills", "fallbackStep(2)", "fallbackStep(3)", "holdForOwnerFallback", "transfer"] {
            #expect(rulesSeen[rule, default: 0] > 0, "rule \(rule) never decided an assignment: \(rulesSeen)")
        }
    }
}

/// One random scenario over the harness.
struct Scenario {
    var harness: RoutingHarness
    var random: SplitMix64
    var nextConversation = 0
    var nextAgent = 0
    var assignments = 0
    let queues: [QueueConfiguration]
    let languages: [SkillID] = ["english", "spanish", "hindi"]

    init(seed: UInt64, queues: [QueueConfiguration] = RandomScenarioTests.queues) throws {
        random = SplitMix64(seed: seed)
        self.queues = queues
        harness = try RoutingHarness(
            Fixture.configuration(queues: queues, profiles: RandomScenarioTests.profiles, offlineGraceSeconds: 30))
        for _ in 0..<8 { addRandomAgent() }
    }

    mutating func addRandomAgent() {
        nextAgent += 1
        var skills: [SkillID: Int] = [:]
        for language in languages where random.chance(0.5) { skills[language] = random.int(in: 1...5) }
        if skills.isEmpty { skills["english"] = 3 }
        for product in ["cards", "loans", "tier2"] as [SkillID] where random.chance(0.5) {
            skills[product] = random.int(in: 1...5)
        }
        let profile: CapacityProfileID = random.chance(0.7) ? "standard" : "chat-only"
        harness.addAgent(
            AgentID("agent-\(nextAgent)"), name: "Agent \(nextAgent)", skills: skills, profile: profile,
            status: random.chance(0.7) ? .available : .away)
    }

    /// Takes `count` steps, handing the cooperative pool back now and then: a test that held a
    /// pool thread for seconds would stall every other test's sockets and timers (the machine
    /// may have only two such threads).
    mutating func run(steps count: Int) async {
        for step in 0..<count { await self.step(yielding: step) }
    }

    /// One step; every twentieth yields to other tasks first.
    mutating func step(yielding index: Int) async {
        if index % 20 == 19 { await Task.yield() }
        step()
    }

    mutating func step() {
        let before = harness.actions.count
        let snapshot = harness.engine.snapshot()
        let open = snapshot.conversations
        let agents = snapshot.agents.map(\.profile.id)
        let roll = random.int(in: 0...99)
        switch roll {
        case 0..<30:
            nextConversation += 1
            let queue = queues[random.int(in: 0...(queues.count - 1))]
            var extra: [SkillRequirement] = []
            if queue.id == "voice" || random.chance(0.2) {
                extra.append(SkillRequirement(languages[random.int(in: 0...2)], minimumLevel: random.int(in: 1...3)))
            }
            harness.open(
                ConversationID("c-\(nextConversation)"), customer: CustomerID("cust-\(random.int(in: 1...25))"),
                queue: queue.id, skills: extra, priority: random.chance(0.1) ? 9 : nil,
                topic: random.chance(0.5) ? ["cards", "loans"][random.int(in: 0...1)] : nil)
        case 30..<42:
            if let agent = agents.randomElement(using: &random) {
                let statuses: [PresenceStatus] = [.available, .available, .available, .away, .doNotDisturb, .offline]
                harness.setPresence(agent, statuses[random.int(in: 0...(statuses.count - 1))])
            }
        case 42..<52:
            if let offered = open.filter({ $0.state == .offered }).randomElement(using: &random),
                let agent = offered.agent
            {
                harness.send(.acceptOffer(offered.id, agent: agent))
            }
        case 52..<56:
            if let offered = open.filter({ $0.state == .offered }).randomElement(using: &random),
                let agent = offered.agent
            {
                harness.send(.declineOffer(offered.id, agent: agent))
            }
        case 56..<70:
            if let assigned = open.filter({ $0.state == .assigned }).randomElement(using: &random) {
                harness.send(.closeConversation(assigned.id))
            }
        case 70..<74:
            if let wrapping = open.filter({ $0.state == .wrapUp }).randomElement(using: &random) {
                harness.send(.endWrapUp(wrapping.id, disposition: "resolved"))
            }
        case 74..<78:
            if let waiting = open.filter({ $0.state == .queued || $0.state == .offered }).randomElement(using: &random)
            {
                harness.send(.abandonConversation(waiting.id))
            }
        case 78..<82:
            if let moving = open.filter({ $0.state != .wrapUp }).randomElement(using: &random) {
                if random.chance(0.5), let agent = agents.randomElement(using: &random) {
                    harness.send(.transferConversation(moving.id, to: .agent(agent)))
                } else {
                    let sameChannel = queues.filter { $0.channel == moving.channel }
                    if let target = sameChannel.randomElement(using: &random) {
                        harness.send(.transferConversation(moving.id, to: .queue(target.id)))
                    }
                }
            }
        case 82..<84:
            if agents.count > 4, let agent = agents.randomElement(using: &random) {
                harness.send(.removeAgent(agent))
            } else {
                addRandomAgent()
            }
        case 84..<86:
            addRandomAgent()
        case 86..<88:
            if let record = snapshot.agents.randomElement(using: &random) {
                var profile = record.profile
                profile.skills["cards"] = random.int(in: 1...5)
                profile.capacityOverrides = random.chance(0.5) ? [.chat: random.int(in: 1...4)] : [:]
                harness.send(.updateAgent(profile), facts: [.agentDescribed(profile)])
            }
        default:
            harness.advance(to: harness.now.seconds(since: .zero) + Double(random.int(in: 1...40)))
        }
        for action in harness.actions[before...] {
            if case .assigned = action { assignments += 1 }
        }
    }

    /// "None lost": the checker's view of open conversations matches the engine's state.
    func accountingProblems() -> [InvariantViolation] {
        harness.checker.verifyAccounted(by: harness.engine.snapshot().conversations, at: harness.now)
    }

    /// Replaces the engine by one rebuilt from its snapshot; true when the rebuilt snapshot is equal.
    mutating func rebuild() throws -> Bool {
        let snapshot = harness.engine.snapshot()
        harness.engine = try RoutingEngine(snapshot: snapshot)
        return harness.engine.snapshot() == snapshot
    }
}

extension SplitMix64 {
    mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
}
