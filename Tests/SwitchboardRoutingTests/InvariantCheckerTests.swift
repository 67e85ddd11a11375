import SwitchboardRouting
import Testing

/// The checker must catch each kind of violation, so that a silent pass means something.
@Suite("Invariant checker catches violations")
struct InvariantCheckerTests {
    static let configuration = Fixture.configuration(
        queues: [Fixture.queue("chat"), Fixture.queue("voice", channel: .voice)])

    static func agent(_ id: AgentID, chat: Int = 3) -> AgentProfile {
        AgentProfile(id: id, role: "agent", capacityProfile: "standard", capacityOverrides: [.chat: chat])
    }

    static func queued(_ id: ConversationID, sequence: UInt64, customer: CustomerID = "cust", channel: Channel = .chat)
        -> RoutingFact
    {
        .conversationQueued(
            QueuedConversation(
                conversation: id, customer: customer, queue: channel == .chat ? "chat" : "voice", channel: channel,
                priority: 0, requiredSkills: [], topic: nil, arrivalSequence: sequence, waitingSince: .zero,
                aheadOfNewWork: false, heldFor: nil, holdUntil: nil))
    }

    static func decision(
        _ id: ConversationID, to agent: AgentID, rule: RoutingRule = .skills, stamp: UInt64 = 1,
        customer: CustomerID = "cust", channel: Channel = .chat
    ) -> RoutingFact {
        .conversationAssigned(
            RoutingDecision(
                conversation: id, customer: customer, queue: channel == .chat ? "chat" : "voice", channel: channel,
                agent: agent,
                reason: DecisionReason(
                    rule: rule, agentName: agent.rawValue, channel: channel, loadBefore: 0, capacity: 3),
                presenceStamp: PresenceStamp(epoch: 1, sequence: stamp), decidedAt: .zero))
    }

    static func check(_ facts: [RoutingFact]) -> [InvariantViolation.Kind] {
        var checker = InvariantChecker(configuration: configuration)
        return checker.observe(facts.map { ObservedFact(at: .seconds(1), fact: $0) }).map(\.kind)
    }

    static let ready: [RoutingFact] = [
        .agentDescribed(agent("a1", chat: 1)),
        .presenceChanged("a1", .available, stamp: PresenceStamp(epoch: 1, sequence: 1)),
    ]

    @Test("a correct sequence passes")
    func correctSequencePasses() {
        #expect(Self.check(Self.ready + [Self.queued("c1", sequence: 1), Self.decision("c1", to: "a1")]).isEmpty)
    }

    @Test("catches an agent above capacity")
    func catchesOverCapacity() {
        let kinds = Self.check(
            Self.ready + [
                Self.queued("c1", sequence: 1), Self.queued("c2", sequence: 2, customer: "other"),
                Self.decision("c1", to: "a1"), Self.decision("c2", to: "a1", customer: "other"),
            ])
        #expect(kinds.contains(.overCapacity))
    }

    @Test("catches a chat given during a live voice call")
    func catchesExclusion() {
        let kinds = Self.check(
            Self.ready + [
                Self.queued("v1", sequence: 1, channel: .voice), Self.queued("c1", sequence: 2, customer: "other"),
                Self.decision("v1", to: "a1", channel: .voice), Self.decision("c1", to: "a1", customer: "other"),
            ])
        #expect(kinds.contains(.exclusionBroken))
    }

    @Test("catches two agents on one conversation")
    func catchesDoubleAssignment() {
        let kinds = Self.check(
            Self.ready + [
                .agentDescribed(Self.agent("a2")),
                .presenceChanged("a2", .available, stamp: PresenceStamp(epoch: 1, sequence: 2)),
                Self.queued("c1", sequence: 1), Self.decision("c1", to: "a1"), Self.decision("c1", to: "a2", stamp: 2),
            ])
        #expect(kinds.contains(.doubleAssignment))
    }

    @Test("catches an assignment to an agent whose named presence said Away")
    func catchesNotAvailable() {
        let kinds = Self.check(
            Self.ready + [
                .presenceChanged("a1", .away, stamp: PresenceStamp(epoch: 1, sequence: 2)),
                Self.queued("c1", sequence: 1),
                Self.decision("c1", to: "a1", stamp: 2),
            ])
        #expect(kinds.contains(.agentNotAvailable))
    }

    @Test("catches an abandoned conversation being assigned")
    func catchesAbandonedAssigned() {
        let kinds = Self.check(
            Self.ready + [Self.queued("c1", sequence: 1), .conversationAbandoned("c1"), Self.decision("c1", to: "a1")])
        #expect(kinds.contains(.assignedWhenNotWaiting))
    }

    @Test("catches a younger conversation served before an older one the agent could take")
    func catchesOlderSkipped() {
        let kinds = Self.check(
            Self.ready + [
                Self.queued("old", sequence: 1, customer: "x"), Self.queued("young", sequence: 2, customer: "y"),
                Self.decision("young", to: "a1", customer: "y"),
            ])
        #expect(kinds.contains(.olderConversationSkipped))
    }

    @Test("catches a sticky owner bypassed while rule 1 held")
    func catchesStickyBypassed() {
        let kinds = Self.check(
            Self.ready + [
                .agentDescribed(Self.agent("a2")),
                .presenceChanged("a2", .available, stamp: PresenceStamp(epoch: 1, sequence: 2)),
                Self.queued("c1", sequence: 1), Self.decision("c1", to: "a1"), .conversationClosed("c1"),
                Self.queued("c2", sequence: 2), Self.decision("c2", to: "a2", stamp: 2),
            ])
        #expect(kinds.contains(.stickyOwnerBypassed))
    }

    @Test("catches a rule that does not match the decision")
    func catchesReasonMismatch() {
        let kinds = Self.check(
            Self.ready + [Self.queued("c1", sequence: 1), Self.decision("c1", to: "a1", rule: .sticky)])
        #expect(kinds.contains(.reasonMismatch))
    }

    @Test("catches a load report that the events do not add up to")
    func catchesLoadMismatch() {
        let kinds = Self.check(
            Self.ready + [
                .agentLoad(
                    AgentLoad(
                        agent: "a1", load: ChannelCounts(chat: 1), live: ChannelCounts(chat: 1),
                        capacity: ChannelCounts(chat: 1), presence: .busy))
            ])
        #expect(kinds.contains(.loadMismatch))
    }

    @Test("catches a conversation lost from the state")
    func catchesLostConversation() {
        var checker = InvariantChecker(configuration: Self.configuration)
        checker.observe((Self.ready + [Self.queued("c1", sequence: 1)]).map { ObservedFact(at: .zero, fact: $0) })
        #expect(checker.verifyAccounted(by: [], at: .zero).map(\.kind) == [.conversationLost])
    }
}
