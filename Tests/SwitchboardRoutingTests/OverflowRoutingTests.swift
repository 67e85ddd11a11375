import SwitchboardRouting
import Testing

/// A queue's `overflow.to`: work past its limits moves to another queue, keeping its place
/// by arrival and its priority, and the invariant checker accepts every move.
@Suite("Overflow routing")
struct OverflowRoutingTests {
    static func harness(_ queues: [QueueConfiguration]) throws -> RoutingHarness {
        try RoutingHarness(Fixture.configuration(queues: queues))
    }

    /// The overflow moves of a conversation, in order.
    static func moves(_ conversation: ConversationID, in actions: [RoutingAction]) -> [RequeuedConversation] {
        actions.compactMap { action in
            guard case .requeued(let requeued) = action, requeued.conversation == conversation,
                requeued.reason == .overflowed
            else { return nil }
            return requeued
        }
    }

    /// Opens, then closes each conversation the single agent gets, and returns them in the
    /// order served.
    static func serveAll(_ harness: inout RoutingHarness, count: Int) -> [ConversationID] {
        harness.addAgent("solo", skills: ["english": 3], overrides: [.chat: 1])
        var served: [ConversationID] = []
        for _ in 0..<count {
            let given = harness.actions.compactMap { action -> ConversationID? in
                guard case .assigned(let decision) = action, decision.agent == "solo" else { return nil }
                return decision.conversation
            }
            guard let current = given.last, !served.contains(current) else { break }
            served.append(current)
            harness.send(.closeConversation(current))
        }
        return served
    }

    @Test("a conversation that waited maxWaitSeconds moves then, keeping its arrival order and priority")
    func waitTime() throws {
        var harness = try Self.harness([
            Fixture.queue("general", overflow: OverflowLimits(maxWaitSeconds: 300, to: "spill")),
            Fixture.queue("spill"),
        ])
        harness.open("s-old", queue: "spill")
        harness.advance(to: 10)
        harness.open("g", queue: "general")
        harness.advance(to: 15)
        harness.open("g-urgent", queue: "general", priority: 4)
        harness.advance(to: 20)
        harness.open("s-new", queue: "spill")
        let arrival = try #require(harness.engine.conversation("g")?.arrivalSequence)

        harness.advance(to: 309.999)
        #expect(harness.engine.conversation("g")?.queue == "general")
        harness.advance(to: 310)
        let moved = try #require(harness.engine.conversation("g"))
        #expect(moved.queue == "spill")
        #expect(moved.arrivalSequence == arrival)
        #expect(moved.waitingSince == .seconds(310))
        let move = try #require(Self.moves("g", in: harness.actions).first)
        #expect(move.overflow == OverflowMove(fromQueue: "general", cause: .waitedLongerThan(seconds: 300)))
        #expect(move.sentence == "Waited longer than 5 min in general: moved to spill.")
        #expect(move.previousAgent == nil)
        #expect(harness.engine.conversation("g-urgent")?.queue == "general")
        harness.advance(to: 315)
        #expect(harness.engine.conversation("g-urgent")?.queue == "spill")
        #expect(harness.engine.conversation("g-urgent")?.priority == 4)

        // Priority first, then arrival across the work spill already had.
        #expect(Self.serveAll(&harness, count: 4) == ["g-urgent", "s-old", "g", "s-new"])
        #expect(!harness.actions.contains { if case .alertRaised = $0 { true } else { false } })
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("a conversation arriving while maxWaiting already wait goes to the overflow queue at once")
    func length() throws {
        var harness = try Self.harness([
            Fixture.queue("general", overflow: OverflowLimits(maxWaiting: 2, to: "spill")),
            Fixture.queue("spill"),
        ])
        harness.open("g1", queue: "general")
        harness.open("g2", queue: "general")
        let actions = harness.open("g3", queue: "general")
        #expect(harness.engine.conversation("g2")?.queue == "general")
        #expect(harness.engine.conversation("g3")?.queue == "spill")
        let move = try #require(Self.moves("g3", in: actions).first)
        #expect(move.sentence == "Queue general was full (2 waiting): moved to spill.")
        #expect(harness.engine.statistics(of: "general")?.waiting == 2)
        #expect(!actions.contains { if case .alertRaised = $0 { true } else { false } })
        #expect(Self.serveAll(&harness, count: 3) == ["g1", "g2", "g3"])
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("a chain A to B to C: with B full too, an arrival at a full A goes on to C")
    func chain() throws {
        var harness = try Self.harness([
            Fixture.queue("a", overflow: OverflowLimits(maxWaiting: 1, to: "b")),
            Fixture.queue("b", overflow: OverflowLimits(maxWaiting: 1, to: "c")),
            Fixture.queue("c"),
        ])
        harness.open("b1", queue: "b")
        harness.open("a1", queue: "a")
        let actions = harness.open("a2", queue: "a")
        #expect(harness.engine.conversation("a1")?.queue == "a")
        #expect(harness.engine.conversation("a2")?.queue == "c")
        #expect(
            Self.moves("a2", in: actions).map(\.sentence) == [
                "Queue a was full (1 waiting): moved to b.", "Queue b was full (1 waiting): moved to c.",
            ])
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("held for its sticky owner it stays past the limit; when the hold ends it moves")
    func heldStays() throws {
        var harness = try Self.harness([
            Fixture.queue("general", hold: 600, overflow: OverflowLimits(maxWaitSeconds: 300, to: "spill")),
            Fixture.queue("spill"),
        ])
        harness.addAgent("owner", skills: ["english": 3], overrides: [.chat: 1])
        harness.open("first", customer: "c", queue: "general")
        #expect(harness.agent(of: "first") == "owner")
        harness.open("second", customer: "c", queue: "general")
        #expect(harness.engine.conversation("second")?.heldFor == "owner")
        harness.advance(to: 400)
        #expect(harness.engine.conversation("second")?.queue == "general")
        harness.advance(to: 600)
        #expect(harness.engine.conversation("second")?.queue == "spill")
        #expect(Self.moves("second", in: harness.actions).count == 1)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test(
        "bad overflow targets are refused naming the queue and what to write",
        arguments: [
            (
                [
                    Fixture.queue("a", overflow: OverflowLimits(maxWaiting: 1, to: "b")),
                    Fixture.queue("b", overflow: OverflowLimits(maxWaitSeconds: 60, to: "a")),
                ],
                [
                    "queue a: overflow.to b leads back to this queue (a -> b -> a); "
                        + "end the chain at a queue that overflows nowhere",
                    "queue b: overflow.to a leads back to this queue (b -> a -> b); "
                        + "end the chain at a queue that overflows nowhere",
                ]
            ),
            (
                [Fixture.queue("a", overflow: OverflowLimits(maxWaiting: 1, to: "a"))],
                ["queue a: overflow.to is the queue itself; name another queue or remove 'to'"]
            ),
            (
                [
                    Fixture.queue("a", overflow: OverflowLimits(maxWaiting: 1, to: "calls")),
                    Fixture.queue("calls", channel: .voice),
                ],
                ["queue a: overflow.to calls takes voice, not chat; name a queue of the same channel"]
            ),
            (
                [Fixture.queue("a", overflow: OverflowLimits(maxWaiting: 1, to: "nowhere"))],
                ["queue a: overflow.to names unknown queue nowhere"]
            ),
            (
                [Fixture.queue("a", overflow: OverflowLimits(to: "b")), Fixture.queue("b")],
                ["queue a: overflow.to needs maxWaiting or maxWaitSeconds; add the limit past which work moves"]
            ),
        ] as [([QueueConfiguration], [String])])
    func refusals(queues: [QueueConfiguration], expected: [String]) throws {
        let configuration = Fixture.configuration(queues: queues)
        #expect(configuration.problems().map(\.description) == expected)
        #expect(throws: RoutingError.self) { try RoutingEngine(configuration: configuration) }
    }

    @Test("a cycle through a closed-hours overflow queue is refused too")
    func cycleThroughHours() {
        var b = Fixture.queue("b")
        b.hours = QueueHours(calendar: QueueHoursRoutingTests.dayHours, closedRule: .overflow("a"))
        let configuration = Fixture.configuration(queues: [
            Fixture.queue("a", overflow: OverflowLimits(maxWaiting: 3, to: "b")), b,
        ])
        #expect(
            configuration.problems().map(\.description) == [
                "queue a: overflow.to b leads back to this queue (a -> b -> a); "
                    + "end the chain at a queue that overflows nowhere"
            ])
    }

    @Test(
        "the checker reports a move that breaks the overflow rules",
        arguments: [
            ("b", 1, 0, 300.0, 300.0),  // to a queue general's overflow.to does not lead to
            ("spill", 2, 0, 300, 300),  // its place by arrival changed
            ("spill", 1, 3, 300, 300),  // its priority changed
            ("spill", 1, 0, 299, 300),  // before its limit
        ] as [(QueueID, UInt64, Int, Double, Double)])
    func checkerCatches(target: QueueID, sequence: UInt64, priority: Int, atSeconds: Double, limitSeconds: Double) {
        let configuration = Fixture.configuration(queues: [
            Fixture.queue("general", overflow: OverflowLimits(maxWaitSeconds: 300, to: "spill")),
            Fixture.queue("spill"), Fixture.queue("b"),
        ])
        func waiting(_ queue: QueueID, sequence: UInt64, priority: Int, since: Double) -> QueuedConversation {
            QueuedConversation(
                conversation: "c", customer: "cust", queue: queue, channel: .chat, priority: priority,
                requiredSkills: [], topic: nil, arrivalSequence: sequence, waitingSince: .seconds(since),
                aheadOfNewWork: false, heldFor: nil, holdUntil: nil)
        }
        var checker = InvariantChecker(configuration: configuration)
        checker.observe(
            ObservedFact(
                at: .zero, fact: .conversationQueued(waiting("general", sequence: 1, priority: 0, since: 0))))
        let move = RequeuedConversation(
            waiting: waiting(target, sequence: sequence, priority: priority, since: atSeconds), previousAgent: nil,
            reason: .overflowed,
            overflow: OverflowMove(fromQueue: "general", cause: .waitedLongerThan(seconds: limitSeconds)))
        let found = checker.observe(ObservedFact(at: .seconds(atSeconds), fact: .conversationRequeued(move)))
        #expect(found.map(\.kind) == [.overflowBroken], "\(found)")

        // The same move done right passes.
        var clean = InvariantChecker(configuration: configuration)
        clean.observe(
            ObservedFact(
                at: .zero, fact: .conversationQueued(waiting("general", sequence: 1, priority: 0, since: 0))))
        let right = RequeuedConversation(
            waiting: waiting("spill", sequence: 1, priority: 0, since: 300), previousAgent: nil, reason: .overflowed,
            overflow: OverflowMove(fromQueue: "general", cause: .waitedLongerThan(seconds: 300)))
        #expect(clean.observe(ObservedFact(at: .seconds(300), fact: .conversationRequeued(right))).isEmpty)
    }
}
