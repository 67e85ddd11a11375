import SwitchboardRouting
import Testing

/// One test per routing rule (sticky owner, hold for owner, skills, fallback ladder, wait), with an
/// injected clock. Every harness also runs the
/// invariant checker, so each test ends by asserting that no invariant broke.
@Suite("Routing decision rules")
struct DecisionRuleTests {
    static let spanishChat = Fixture.queue(
        "chat-es", skills: [SkillRequirement("spanish", minimumLevel: 2)], hold: 60)

    @Test("sticky owner Away: the conversation is held, then falls back when the hold ends")
    func stickyOwnerAwayHoldsThenFallsBack() throws {
        var harness = try RoutingHarness(Fixture.configuration(queues: [Self.spanishChat]))
        harness.addAgent("priya", name: "Priya", skills: ["spanish": 4])
        harness.advance(to: 5)
        harness.addAgent("ana", name: "Ana", skills: ["spanish": 3])
        harness.open("c1", customer: "cust-1", queue: "chat-es")
        #expect(harness.agent(of: "c1") == "priya")
        harness.advance(to: 20)
        harness.send(.closeConversation("c1"))
        harness.advance(to: 30)
        harness.setPresence("priya", .away)
        harness.advance(to: 40)
        let opened = harness.open("c2", customer: "cust-1", queue: "chat-es")
        #expect(harness.state(of: "c2") == .queued)
        #expect(harness.engine.conversation("c2")?.heldFor == "priya")
        #expect(opened.contains { if case .queued(let q) = $0 { q.heldFor == "priya" } else { false } })
        harness.advance(to: 99.9)
        #expect(harness.state(of: "c2") == .queued)
        harness.advance(to: 100)
        #expect(harness.agent(of: "c2") == "ana")
        let decision = try #require(harness.decision(for: "c2"))
        #expect(decision.rule == .holdForOwnerFallback)
        #expect(decision.reason.sentence.hasPrefix("Hold for owner expired after 1 min: Priya was Away"))
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("sticky owner Available with room gets the returning customer, and says so")
    func stickyOwnerGetsReturningCustomer() throws {
        var harness = try RoutingHarness(Fixture.configuration(queues: [Self.spanishChat]))
        harness.addAgent("priya", name: "Priya", skills: ["spanish": 4])
        harness.advance(to: 5)
        harness.open("c1", customer: "cust-1", queue: "chat-es")
        harness.send(.closeConversation("c1"))
        harness.advance(to: 6)
        harness.open("c-other", customer: "cust-2", queue: "chat-es")
        harness.advance(to: 10)
        harness.addAgent("ana", name: "Ana", skills: ["spanish": 3])
        harness.advance(to: 3 * 3600 + 5)
        harness.open("c2", customer: "cust-1", queue: "chat-es")
        #expect(harness.agent(of: "c2") == "priya")
        let decision = try #require(harness.decision(for: "c2"))
        #expect(decision.rule == .sticky)
        #expect(
            decision.reason.sentence
                == "Sticky: Priya handled this customer 3 h ago and is Available with 1 of 3 chats.")
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("owner at chat capacity: a skilled agent takes it and the reason names the owner's state")
    func ownerAtCapacityGoesToSkilledAgent() throws {
        let queue = Fixture.queue("chat-es", skills: [SkillRequirement("spanish", minimumLevel: 2)])
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("priya", name: "Priya", skills: ["spanish": 4], overrides: [.chat: 1])
        harness.advance(to: 1)
        harness.addAgent("ana", name: "Ana", skills: ["spanish": 3])
        harness.open("c1", customer: "cust-1", queue: "chat-es")
        #expect(harness.agent(of: "c1") == "priya")
        harness.advance(to: 2)
        harness.open("c2", customer: "cust-1", queue: "chat-es")
        #expect(harness.agent(of: "c2") == "ana")
        let decision = try #require(harness.decision(for: "c2"))
        #expect(decision.rule == .skills)
        #expect(decision.reason.stickyNote?.why == "was at chat capacity (1 of 1)")
        #expect(decision.reason.sentence.contains("sticky owner Priya was at chat capacity (1 of 1)"))
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("a live voice call blocks a new chat until the call ends")
    func voiceCallBlocksChat() throws {
        let voice = Fixture.queue("voice", channel: .voice)
        let chat = Fixture.queue("chat", channel: .chat)
        var harness = try RoutingHarness(Fixture.configuration(queues: [voice, chat]))
        harness.addAgent("a1")
        harness.open("v1", queue: "voice")
        #expect(harness.agent(of: "v1") == "a1")
        harness.advance(to: 1)
        harness.open("ch1", queue: "chat")
        #expect(harness.state(of: "ch1") == .queued)
        harness.advance(to: 2)
        harness.send(.closeConversation("v1"))
        #expect(harness.agent(of: "ch1") == "a1")
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("ladder step 2 after 30 s drops the product skill")
    func ladderStepTwoDropsProductSkill() throws {
        let queue = Fixture.queue(
            "cards-es",
            skills: [SkillRequirement("spanish", minimumLevel: 3), SkillRequirement("cards", minimumLevel: 3)],
            ladder: [
                FallbackStep(afterSeconds: 30, dropSkillKinds: [.product]),
                FallbackStep(afterSeconds: 90, anyAgentOfQueue: true),
            ])
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("maria", name: "Maria", skills: ["spanish": 4])
        harness.addAgent("john", name: "John", skills: ["english": 5, "cards": 5])
        harness.open("c1", queue: "cards-es")
        #expect(harness.state(of: "c1") == .queued)
        harness.advance(to: 29.9)
        #expect(harness.state(of: "c1") == .queued)
        harness.advance(to: 30)
        #expect(harness.agent(of: "c1") == "maria")
        let decision = try #require(harness.decision(for: "c1"))
        #expect(decision.rule == .fallbackStep(2))
        #expect(
            decision.reason.sentence.hasPrefix(
                "Fallback step 2 after 30 s: product skill dropped; no agent with Spanish 3, cards 3 had capacity"))
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test(
        "a ladder timer made moot by an assignment is seen by the deadline; a tick drops it, deciding nothing"
    )
    func mootTimerDroppedByTick() throws {
        let queue = Fixture.queue(
            "cards-es", skills: [SkillRequirement("spanish", minimumLevel: 3)],
            ladder: [FallbackStep(afterSeconds: 30, dropSkillKinds: [.product])])
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.open("c1", queue: "cards-es")
        #expect(harness.engine.earliestScheduledDeadline == .seconds(30), "the ladder step is scheduled")
        harness.addAgent("maria", name: "Maria", skills: ["spanish": 4])
        #expect(harness.agent(of: "c1") == "maria")
        // Reading changes nothing: the moot timer stays until an input at its instant.
        let before = harness.engine.snapshot()
        #expect(harness.engine.earliestScheduledDeadline == .seconds(30))
        var copy = harness.engine
        #expect(copy.nextDeadline == nil, "nextDeadline skips the moot timer")
        #expect(harness.engine.snapshot() == before)
        let actions = harness.advance(to: 30)
        #expect(actions.isEmpty, "the moot step decides nothing: \(actions)")
        #expect(harness.engine.earliestScheduledDeadline == nil)
        #expect(harness.agent(of: "c1") == "maria")
    }

    @Test("ladder step 3 after 90 s lets any agent of the queue take it")
    func ladderStepThreeAnyAgent() throws {
        let queue = Fixture.queue(
            "cards-es",
            skills: [SkillRequirement("spanish", minimumLevel: 3), SkillRequirement("cards", minimumLevel: 3)],
            ladder: [
                FallbackStep(afterSeconds: 30, dropSkillKinds: [.product]),
                FallbackStep(afterSeconds: 90, anyAgentOfQueue: true),
            ])
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("john", name: "John", skills: ["english": 5])
        harness.open("c1", queue: "cards-es")
        harness.advance(to: 89)
        #expect(harness.state(of: "c1") == .queued)
        harness.advance(to: 90)
        #expect(harness.agent(of: "c1") == "john")
        #expect(harness.decision(for: "c1")?.rule == .fallbackStep(3))
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("no Spanish speaker online raises skill-too-rare, cleared when one comes Available")
    func noSpanishSpeakerRaisesAlert() throws {
        var harness = try RoutingHarness(Fixture.configuration(queues: [Self.spanishChat]))
        harness.addAgent("john", skills: ["english": 5])
        harness.addAgent("maria", skills: ["spanish": 5], status: .offline)
        let actions = harness.open("c1", queue: "chat-es")
        let expected = RoutingAlert.skillTooRare(
            skill: "spanish", minimumLevel: 2, queue: "chat-es", conversation: "c1")
        #expect(actions.contains(.alertRaised(expected)))
        #expect(harness.engine.alerts == [expected])
        harness.open("c2", queue: "chat-es")
        #expect(harness.actions.filter { if case .alertRaised = $0 { true } else { false } }.count == 1)
        let back = harness.setPresence("maria", .available)
        #expect(back.contains(.alertCleared(expected.key)))
        #expect(harness.agent(of: "c1") == "maria")
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("agent removed: ownership cleared and open work requeued ahead of new work with the reason")
    func agentRemovedRequeuesWithReason() throws {
        let queue = Fixture.queue("chat")
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("a1", overrides: [.chat: 1])
        harness.open("c1", customer: "cust-1", queue: "chat")
        harness.advance(to: 1)
        harness.open("c2", queue: "chat")
        let actions = harness.send(.removeAgent("a1"))
        #expect(
            actions.contains {
                if case .requeued(let requeued) = $0 {
                    requeued.conversation == "c1" && requeued.reason == .agentRemoved && requeued.aheadOfNewWork
                        && requeued.previousAgent == "a1"
                } else {
                    false
                }
            })
        #expect(actions.contains(.stickyOwnerChanged("cust-1", owner: nil, reason: .agentRemoved)))
        #expect(harness.engine.stickyOwner(of: "cust-1") == nil)
        #expect(harness.engine.agent("a1") == nil)
        harness.advance(to: 2)
        harness.addAgent("a2", overrides: [.chat: 1])
        #expect(harness.agent(of: "c1") == "a2", "requeued work goes ahead of the older new conversation c2")
        #expect(harness.state(of: "c2") == .queued)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("a declined offer is never offered again to the same agent")
    func declinedOfferNeverReofferedToSameAgent() throws {
        let queue = Fixture.queue("chat", offer: .offer(timeoutSeconds: 20))
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("a1")
        harness.addAgent("a2")
        harness.open("c1", queue: "chat")
        let first = try #require(harness.agent(of: "c1"))
        harness.send(.declineOffer("c1", agent: first))
        let second = try #require(harness.agent(of: "c1"))
        #expect(second != first)
        harness.send(.declineOffer("c1", agent: second))
        #expect(harness.state(of: "c1") == .queued)
        harness.open("c2", queue: "chat")
        harness.send(.acceptOffer("c2", agent: try #require(harness.agent(of: "c2"))))
        harness.send(.closeConversation("c2"))
        harness.setPresence("a1", .away)
        harness.setPresence("a1", .available)
        #expect(harness.state(of: "c1") == .queued)
        harness.addAgent("a3")
        #expect(harness.agent(of: "c1") == "a3")
        #expect(harness.agentsGiven("c1") == [first, second, "a3"])
        #expect(harness.engine.conversation("c1")?.excludedAgents == [first, second])
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("oldest first across two queues when an agent frees capacity")
    func oldestFirstAcrossTwoQueues() throws {
        var harness = try RoutingHarness(Fixture.configuration(queues: [Fixture.queue("q1"), Fixture.queue("q2")]))
        harness.addAgent("a1", overrides: [.chat: 1])
        harness.open("c0", queue: "q1")
        harness.advance(to: 1)
        harness.open("older", queue: "q2")
        harness.advance(to: 2)
        harness.open("newer", queue: "q1")
        harness.advance(to: 3)
        harness.send(.closeConversation("c0"))
        #expect(harness.agent(of: "older") == "a1")
        #expect(harness.state(of: "newer") == .queued)
        let decision = try #require(harness.decision(for: "older"))
        #expect(decision.reason.sentence.contains("oldest waiting (2 s)"))
        harness.send(.closeConversation("older"))
        #expect(harness.agent(of: "newer") == "a1")
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("higher priority is served before older work")
    func higherPriorityFirst() throws {
        var harness = try RoutingHarness(
            Fixture.configuration(queues: [Fixture.queue("low"), Fixture.queue("vip", priority: 5)]))
        harness.addAgent("a1", overrides: [.chat: 1])
        harness.open("c0", queue: "low")
        harness.advance(to: 1)
        harness.open("old-low", queue: "low")
        harness.advance(to: 2)
        harness.open("new-vip", queue: "vip")
        harness.send(.closeConversation("c0"))
        #expect(harness.agent(of: "new-vip") == "a1")
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("a held sticky conversation goes to its owner before an older one")
    func heldStickyGoesToOwnerBeforeOlder() throws {
        let queue = Fixture.queue("chat", hold: 120)
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("priya", name: "Priya", overrides: [.chat: 1])
        harness.open("c1", customer: "cust-1", queue: "chat")
        harness.advance(to: 1)
        harness.send(.closeConversation("c1"))
        harness.open("c0", customer: "cust-0", queue: "chat")
        harness.advance(to: 10)
        harness.open("older", customer: "cust-9", queue: "chat")
        harness.advance(to: 20)
        harness.open("c2", customer: "cust-1", queue: "chat")
        #expect(harness.engine.conversation("c2")?.heldFor == "priya")
        harness.advance(to: 30)
        harness.send(.closeConversation("c0"))
        #expect(harness.agent(of: "c2") == "priya")
        #expect(harness.state(of: "older") == .queued)
        let decision = try #require(harness.decision(for: "c2"))
        #expect(decision.rule == .sticky)
        #expect(decision.reason.heldSeconds == 10)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("wrap-up holds capacity until a disposition ends it")
    func wrapUpHoldsCapacity() throws {
        let queue = Fixture.queue("chat", wrapUp: 30)
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("a1", overrides: [.chat: 1])
        harness.open("c1", queue: "chat")
        harness.advance(to: 5)
        let closing = harness.send(.closeConversation("c1"))
        #expect(closing.contains(.wrapUpStarted("c1", agent: "a1", endsAt: .seconds(35))))
        #expect(harness.state(of: "c1") == .wrapUp)
        harness.open("c2", queue: "chat")
        #expect(harness.state(of: "c2") == .queued)
        #expect(harness.engine.agentLoad("a1")?.load.chat == 1)
        harness.advance(to: 10)
        let ending = harness.send(.endWrapUp("c1", disposition: "resolved"))
        #expect(ending.contains(.wrapUpEnded("c1", agent: "a1", disposition: "resolved", timedOut: false)))
        #expect(harness.agent(of: "c2") == "a1")
        #expect(harness.state(of: "c1") == nil)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("wrap-up without a disposition times out and frees the capacity")
    func wrapUpTimesOut() throws {
        let queue = Fixture.queue("chat", wrapUp: 30)
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("a1", overrides: [.chat: 1])
        harness.open("c1", queue: "chat")
        harness.send(.closeConversation("c1"))
        harness.open("c2", queue: "chat")
        harness.advance(to: 29)
        #expect(harness.state(of: "c2") == .queued)
        harness.advance(to: 30)
        #expect(harness.actions.contains(.wrapUpEnded("c1", agent: "a1", disposition: nil, timedOut: true)))
        #expect(harness.agent(of: "c2") == "a1")
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("three missed offers in a row set the agent Away with the reason")
    func threeMissedOffersSetAway() throws {
        let queue = Fixture.queue("chat", offer: .offer(timeoutSeconds: 10, missedOffersBeforeAway: 3))
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("a1")
        for id in ["c1", "c2", "c3"] { harness.open(ConversationID(id), queue: "chat") }
        #expect(harness.agentsGiven("c3") == ["a1"])
        harness.advance(to: 10)
        #expect(harness.actions.contains(.agentSetAway("a1", reason: "Missed 3 offers in a row")))
        #expect(harness.actions.contains(.offerExpired("c3", agent: "a1", missedInARow: 3)))
        #expect(harness.engine.agent("a1")?.awayReason == "Missed 3 offers in a row")
        harness.advance(to: 11)
        harness.open("c4", queue: "chat")
        #expect(harness.state(of: "c4") == .queued)
        harness.setPresence("a1", .available)
        #expect(harness.agent(of: "c4") == "a1")
        #expect(harness.state(of: "c4") == .offered)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("an accepted offer resets the missed-offer count")
    func acceptResetsMissedOffers() throws {
        let queue = Fixture.queue("chat", offer: .offer(timeoutSeconds: 10, missedOffersBeforeAway: 2))
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("a1")
        harness.open("c1", queue: "chat")
        harness.advance(to: 10)
        harness.open("c2", queue: "chat")
        harness.send(.acceptOffer("c2", agent: "a1"))
        #expect(harness.engine.agent("a1")?.missedOffersInARow == 0)
        harness.open("c3", queue: "chat")
        harness.advance(to: 20)
        #expect(!harness.actions.contains { if case .agentSetAway = $0 { true } else { false } })
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("an abandoned conversation is never assigned")
    func abandonedNeverAssigned() throws {
        var harness = try RoutingHarness(Fixture.configuration(queues: [Fixture.queue("chat")]))
        harness.open("c1", queue: "chat")
        harness.advance(to: 15)
        let actions = harness.send(.abandonConversation("c1"))
        #expect(actions.contains(.abandoned("c1", queue: "chat", waitedSeconds: 15)))
        harness.addAgent("a1")
        #expect(harness.agentsGiven("c1").isEmpty)
        #expect(harness.engine.conversation("c1") == nil)
        #expect(harness.engine.statistics(of: "chat")?.abandoned == 1)
        let again = harness.engine.handle(.acceptOffer("c1", agent: "a1"), at: harness.now)
        #expect(again.rejection == .unknownConversation("c1"))
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }
}
