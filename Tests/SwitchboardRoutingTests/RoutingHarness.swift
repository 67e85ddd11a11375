import SwitchboardRouting

/// A small contact centre for tests: languages, products, a tier; a standard profile
/// (1 voice, 3 chat, 5 case; live voice blocks chat, messaging and email).
enum Fixture {
    static let skills: [SkillDefinition] = [
        SkillDefinition(id: "english", kind: .language, name: "English"),
        SkillDefinition(id: "spanish", kind: .language, name: "Spanish"),
        SkillDefinition(id: "hindi", kind: .language, name: "Hindi"),
        SkillDefinition(id: "cards", kind: .product, name: "cards"),
        SkillDefinition(id: "loans", kind: .product, name: "loans"),
        SkillDefinition(id: "tier2", kind: .tier, name: "tier 2"),
    ]

    static let standardProfile = CapacityProfile(
        id: "standard", capacity: [.voice: 1, .chat: 3, .case: 5, .messaging: 2],
        exclusions: [.voiceBlocksText])

    static func queue(
        _ id: QueueID, channel: Channel = .chat, skills: [SkillRequirement] = [], method: AssignmentMethod = .mostIdle,
        ladder: [FallbackStep] = [], sticky: StickyPolicy = StickyPolicy(windowSeconds: 8 * 3600),
        hold: Double? = nil, offer: OfferPolicy = .assignDirectly, wrapUp: Double = 0, priority: Int = 0,
        overflow: OverflowLimits = OverflowLimits()
    ) -> QueueConfiguration {
        QueueConfiguration(
            id: id, channel: channel, priority: priority, requiredSkills: skills, method: method, fallbackSteps: ladder,
            sticky: sticky, holdForOwnerSeconds: hold, offer: offer, wrapUpSeconds: wrapUp, overflow: overflow)
    }

    static func configuration(
        queues: [QueueConfiguration], profiles: [CapacityProfile] = [standardProfile], offlineGraceSeconds: Double = 60
    ) -> RoutingConfiguration {
        RoutingConfiguration(
            skills: skills, capacityProfiles: profiles,
            roles: [Role(id: "agent", queues: queues.map(\.id))], queues: queues,
            offlineGraceSeconds: offlineGraceSeconds)
    }
}

/// Drives an engine as a shell would (waking at each deadline), feeds every action to the
/// invariant checker, and keeps the actions for assertions.
struct RoutingHarness {
    var engine: RoutingEngine
    var checker: InvariantChecker
    var now = RoutingInstant.zero
    var presenceSequence: UInt64 = 0
    /// Every action, in order.
    var actions: [RoutingAction] = []
    var rejections: [RoutingError] = []

    init(_ configuration: RoutingConfiguration) throws {
        engine = try RoutingEngine(configuration: configuration)
        checker = InvariantChecker(configuration: configuration)
    }

    var violations: [InvariantViolation] { checker.violations }

    /// Moves time to `seconds`, firing every deadline on the way at its own instant.
    @discardableResult
    mutating func advance(to seconds: Double) -> [RoutingAction] {
        let target = RoutingInstant.seconds(seconds)
        var produced: [RoutingAction] = []
        var guardCount = 0
        while let deadline = engine.nextDeadline, deadline <= target, guardCount < 100_000 {
            guardCount += 1
            produced += run(.timeAdvanced, at: deadline, facts: [])
        }
        if target > now { produced += run(.timeAdvanced, at: target, facts: []) }
        return produced
    }

    /// Applies an input at the current time (deadlines before it fire first).
    @discardableResult
    mutating func send(_ input: RoutingInput, facts: [RoutingFact] = []) -> [RoutingAction] {
        run(input, at: now, facts: facts)
    }

    private mutating func run(_ input: RoutingInput, at instant: RoutingInstant, facts: [RoutingFact])
        -> [RoutingAction]
    {
        now = max(now, instant)
        for fact in facts { checker.observe(ObservedFact(at: now, fact: fact)) }
        let outcome = engine.handle(input, at: now)
        if let rejection = outcome.rejection { rejections.append(rejection) }
        for action in outcome.actions {
            for fact in RoutingFact.facts(from: action) { checker.observe(ObservedFact(at: now, fact: fact)) }
        }
        actions += outcome.actions
        return outcome.actions
    }

    // MARK: Conveniences

    @discardableResult
    mutating func addAgent(
        _ id: AgentID, name: String? = nil, skills: [SkillID: Int] = [:], profile: CapacityProfileID = "standard",
        overrides: [Channel: Int] = [:], status: PresenceStatus = .available
    ) -> [RoutingAction] {
        let agent = AgentProfile(
            id: id, name: name, role: "agent", capacityProfile: profile, skills: skills, capacityOverrides: overrides)
        presenceSequence += 1
        let stamp = PresenceStamp(epoch: 1, sequence: presenceSequence)
        return send(
            .addAgent(agent, presence: AgentPresence(status: status, stamp: stamp, since: now)),
            facts: [.agentDescribed(agent), .presenceChanged(id, status, stamp: stamp)])
    }

    @discardableResult
    mutating func setPresence(_ id: AgentID, _ status: PresenceStatus) -> [RoutingAction] {
        presenceSequence += 1
        let stamp = PresenceStamp(epoch: 1, sequence: presenceSequence)
        return send(.presenceChanged(id, status, stamp: stamp), facts: [.presenceChanged(id, status, stamp: stamp)])
    }

    @discardableResult
    mutating func open(
        _ id: ConversationID, customer: CustomerID? = nil, queue: QueueID, skills: [SkillRequirement] = [],
        priority: Int? = nil, topic: String? = nil
    ) -> [RoutingAction] {
        send(
            .openConversation(
                ConversationRequest(
                    id: id, customer: customer ?? CustomerID(id.rawValue + "-customer"), queue: queue,
                    extraSkills: skills, priority: priority, topic: topic)))
    }

    func agent(of conversation: ConversationID) -> AgentID? { engine.conversation(conversation)?.agent }

    func state(of conversation: ConversationID) -> ConversationState? { engine.conversation(conversation)?.state }

    /// The last offer or assignment decision for a conversation.
    func decision(for conversation: ConversationID) -> RoutingDecision? {
        for action in actions.reversed() {
            switch action {
            case .assigned(let decision) where decision.conversation == conversation: return decision
            case .offered(let decision, _) where decision.conversation == conversation: return decision
            default: continue
            }
        }
        return nil
    }

    /// Every agent a conversation was ever offered or assigned to, in order.
    func agentsGiven(_ conversation: ConversationID) -> [AgentID] {
        actions.compactMap { action in
            switch action {
            case .assigned(let decision) where decision.conversation == conversation: decision.agent
            case .offered(let decision, _) where decision.conversation == conversation: decision.agent
            default: nil
            }
        }
    }
}
