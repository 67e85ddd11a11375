import SwitchboardRouting
import Testing

@Suite("More routing rules")
struct MoreRuleTests {
    @Test("a transfer to an agent moves sticky ownership to them")
    func transferMovesOwnership() throws {
        var harness = try RoutingHarness(Fixture.configuration(queues: [Fixture.queue("chat")]))
        harness.addAgent("a1")
        harness.advance(to: 1)
        harness.addAgent("a2")
        harness.open("c1", customer: "cust-1", queue: "chat")
        #expect(harness.agent(of: "c1") == "a1")
        harness.send(.transferConversation("c1", to: .agent("a2")))
        #expect(harness.agent(of: "c1") == "a2")
        #expect(harness.decision(for: "c1")?.rule == .transfer)
        #expect(harness.engine.stickyOwner(of: "cust-1")?.agent == "a2")
        harness.send(.closeConversation("c1"))
        harness.advance(to: 60)
        harness.open("c2", customer: "cust-1", queue: "chat")
        #expect(harness.agent(of: "c2") == "a2")
        #expect(harness.decision(for: "c2")?.rule == .sticky)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("a transfer to a queue never returns it to the agent who passed it on")
    func transferToQueueExcludesSender() throws {
        var harness = try RoutingHarness(
            Fixture.configuration(queues: [Fixture.queue("chat"), Fixture.queue("chat-2")]))
        harness.addAgent("a1")
        harness.open("c1", customer: "cust-1", queue: "chat")
        let actions = harness.send(.transferConversation("c1", to: .queue("chat-2")))
        #expect(actions.contains(.stickyOwnerChanged("cust-1", owner: nil, reason: .transferred)))
        #expect(harness.state(of: "c1") == .queued)
        #expect(harness.engine.conversation("c1")?.aheadOfNewWork == true)
        harness.addAgent("a2")
        #expect(harness.agent(of: "c1") == "a2")
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("same-topic queues give a new topic to a new owner")
    func sameTopicRule() throws {
        let queue = Fixture.queue("chat", sticky: StickyPolicy(windowSeconds: 3600, sameTopicOnly: true))
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("a1")
        harness.advance(to: 1)
        harness.addAgent("a2")
        harness.open("c1", customer: "cust-1", queue: "chat", topic: "lost-card")
        #expect(harness.agent(of: "c1") == "a1")
        harness.advance(to: 5)
        harness.send(.closeConversation("c1"))
        harness.open("c2", customer: "cust-1", queue: "chat", topic: "mortgage")
        #expect(harness.agent(of: "c2") == "a2")
        #expect(harness.decision(for: "c2")?.rule == .skills)
        harness.open("c3", customer: "cust-1", queue: "chat", topic: "mortgage")
        #expect(harness.agent(of: "c3") == "a2")
        #expect(harness.decision(for: "c3")?.rule == .sticky)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("the sticky window expires")
    func stickyWindowExpires() throws {
        let queue = Fixture.queue("chat", sticky: StickyPolicy(windowSeconds: 60))
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("a1")
        harness.advance(to: 1)
        harness.addAgent("a2")
        harness.open("c1", customer: "cust-1", queue: "chat")
        harness.send(.closeConversation("c1"))
        harness.advance(to: 100)
        harness.open("c2", customer: "cust-1", queue: "chat")
        #expect(harness.decision(for: "c2")?.rule == .skills)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("Offline: offers are requeued at once, chats after the grace period, a live call stays")
    func offlineGrace() throws {
        let chat = Fixture.queue("chat")
        let voice = Fixture.queue("voice", channel: .voice)
        let offered = Fixture.queue("offered", offer: .offer(timeoutSeconds: 60))
        var harness = try RoutingHarness(
            Fixture.configuration(queues: [chat, voice, offered], offlineGraceSeconds: 30))
        harness.addAgent("a1")
        harness.addAgent("a2")
        harness.open("c1", queue: "chat")
        harness.open("o1", queue: "offered")
        harness.open("v1", queue: "voice")
        let chatAgent = try #require(harness.agent(of: "c1"))
        let offerAgent = try #require(harness.agent(of: "o1"))
        let voiceAgent = try #require(harness.agent(of: "v1"))
        harness.advance(to: 10)
        harness.setPresence("a1", .offline)
        harness.setPresence("a2", .offline)
        #expect(harness.state(of: "o1") == .queued || harness.agent(of: "o1") != offerAgent)
        harness.advance(to: 39)
        #expect(harness.agent(of: "c1") == chatAgent)
        harness.advance(to: 40)
        #expect(harness.state(of: "c1") == .queued)
        #expect(harness.engine.conversation("c1")?.aheadOfNewWork == true)
        #expect(harness.agent(of: "v1") == voiceAgent)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("round robin takes turns; ties go by agent id")
    func roundRobin() throws {
        var harness = try RoutingHarness(Fixture.configuration(queues: [Fixture.queue("chat", method: .roundRobin)]))
        for id in ["a3", "a1", "a2"] { harness.addAgent(AgentID(id)) }
        for index in 1...4 { harness.open(ConversationID("c\(index)"), queue: "chat") }
        #expect(["c1", "c2", "c3", "c4"].map { harness.agent(of: $0) } == ["a1", "a2", "a3", "a1"])
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("least loaded prefers the most free capacity, then the most idle")
    func leastLoaded() throws {
        var harness = try RoutingHarness(Fixture.configuration(queues: [Fixture.queue("chat", method: .leastLoaded)]))
        harness.addAgent("a1")
        harness.addAgent("a2")
        harness.open("c1", queue: "chat")
        harness.advance(to: 1)
        harness.open("c2", queue: "chat")
        harness.advance(to: 2)
        harness.open("c3", queue: "chat")
        #expect(["c1", "c2", "c3"].map { harness.agent(of: $0) } == ["a1", "a2", "a1"])
        #expect(
            harness.decision(for: "c3")?.reason.sentence.contains("least loaded of 2 eligible (3 chats free)") == false)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("best skill match prefers the higher level; equal levels go to the most idle")
    func bestSkillMatch() throws {
        let queue = Fixture.queue("es", skills: [SkillRequirement("spanish", minimumLevel: 2)], method: .bestSkillMatch)
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("a1", skills: ["spanish": 2])
        harness.addAgent("a2", skills: ["spanish": 5])
        harness.addAgent("a3", skills: ["spanish": 5])
        harness.advance(to: 1)
        harness.open("c1", queue: "es")
        #expect(harness.agent(of: "c1") == "a2")
        harness.advance(to: 2)
        harness.open("c2", queue: "es")
        #expect(harness.agent(of: "c2") == "a3")
        #expect(
            harness.decision(for: "c2")?.reason.sentence.contains("best skill match of 3 eligible (score 5)") == true)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("a queue past its waiting limit raises an overflow alert, cleared when it drains")
    func overflowAlert() throws {
        let queue = Fixture.queue("chat", overflow: OverflowLimits(maxWaiting: 2))
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.open("c1", queue: "chat")
        harness.open("c2", queue: "chat")
        #expect(harness.engine.alerts.isEmpty)
        let third = harness.open("c3", queue: "chat")
        #expect(
            third.contains {
                if case .alertRaised(.queueOverflow(queue: "chat", waiting: 3, _, _, _)) = $0 { true } else { false }
            })
        let drained = harness.addAgent("a1", overrides: [.chat: 1])
        #expect(drained.contains(.alertCleared(.queueOverflow(queue: "chat"))))
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("a queue whose oldest wait passes the limit raises an overflow alert")
    func overflowByWaitTime() throws {
        let queue = Fixture.queue("chat", overflow: OverflowLimits(maxWaitSeconds: 60))
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.open("c1", queue: "chat")
        harness.advance(to: 59)
        #expect(harness.engine.alerts.isEmpty)
        harness.advance(to: 60)
        #expect(harness.engine.alerts.count == 1)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("an older presence event is ignored")
    func stalePresenceIgnored() throws {
        var harness = try RoutingHarness(Fixture.configuration(queues: [Fixture.queue("chat")]))
        harness.addAgent("a1")
        let stale = harness.engine.handle(
            .presenceChanged("a1", .offline, stamp: PresenceStamp(epoch: 0, sequence: 9)), at: harness.now)
        #expect(stale.actions.isEmpty)
        #expect(harness.engine.agent("a1")?.presence.status == .available)
    }

    @Test("a refused input changes nothing and names the fault")
    func refusedInputChangesNothing() throws {
        var harness = try RoutingHarness(
            Fixture.configuration(queues: [Fixture.queue("chat", offer: .offer(timeoutSeconds: 30))]))
        harness.addAgent("a1")
        harness.addAgent("a2", status: .away)
        harness.open("c1", queue: "chat")
        let before = harness.engine.snapshot()
        let wrongAgent = harness.engine.handle(.acceptOffer("c1", agent: "a2"), at: harness.now)
        #expect(wrongAgent.rejection == .notOfferedTo("c1", agent: "a2"))
        let unknownQueue = harness.engine.handle(
            .openConversation(ConversationRequest(id: "c2", customer: "x", queue: "nope")), at: harness.now)
        #expect(unknownQueue.rejection == .unknownQueue("nope"))
        let badSkill = harness.engine.handle(
            .openConversation(
                ConversationRequest(id: "c3", customer: "x", queue: "chat",
                    extraSkills: [SkillRequirement("klingon")])),
            at: harness.now)
        #expect(badSkill.rejection?.code == "unknown-skill")
        #expect(harness.engine.snapshot() == before)
    }

    @Test("an engine rebuilt from its snapshot decides exactly like the original")
    func snapshotRebuildDecidesTheSame() throws {
        let queue = Fixture.queue(
            "chat", skills: [SkillRequirement("spanish", minimumLevel: 2)],
            ladder: [FallbackStep(afterSeconds: 30, anyAgentOfQueue: true)], hold: 20,
            offer: .offer(timeoutSeconds: 15), wrapUp: 10)
        var harness = try RoutingHarness(Fixture.configuration(queues: [queue]))
        harness.addAgent("a1", skills: ["spanish": 3], overrides: [.chat: 1])
        harness.addAgent("a2", skills: ["english": 3], overrides: [.chat: 1])
        for index in 1...5 {
            harness.open(ConversationID("c\(index)"), customer: CustomerID("u\(index % 3)"), queue: "chat")
        }
        harness.advance(to: 12)
        let snapshot = harness.engine.snapshot()
        let encoded = try JSONRoundTrip.roundTrip(snapshot)
        #expect(encoded == snapshot)
        var rebuilt = try RoutingEngine(snapshot: encoded)
        #expect(rebuilt.snapshot() == snapshot)
        var original = harness.engine
        for seconds in stride(from: 13.0, through: 120, by: 7) {
            let time = RoutingInstant.seconds(seconds)
            #expect(original.handle(.timeAdvanced, at: time) == rebuilt.handle(.timeAdvanced, at: time))
        }
        #expect(original.snapshot() == rebuilt.snapshot())
    }

    @Test("a held conversation transferred back to its queue in the same instant is decided once when the hold ends")
    func heldTransferredSameInstant() throws {
        var harness = try RoutingHarness(Fixture.configuration(queues: [Fixture.queue("chat", hold: 40)]))
        harness.addAgent("owner", overrides: [.chat: 1])
        harness.open("first", customer: "c", queue: "chat")
        harness.open("second", customer: "c", queue: "chat")
        harness.send(.transferConversation("second", to: .queue("chat")))
        #expect(harness.engine.conversation("second")?.heldFor == "owner")
        let released = harness.advance(to: 40)
        let announced = released.filter { action in
            if case .queued(let queued) = action { queued.conversation == "second" } else { false }
        }
        #expect(announced.count == 1)
        harness.addAgent("other")
        #expect(harness.agent(of: "second") == "other")
        harness.send(.closeConversation("second"))
        // Decided twice, it would have stood in its line twice, and the other entry would
        // outlive it.
        harness.open("third", customer: "d", queue: "chat")
        #expect(harness.agent(of: "third") == "other")
        #expect(harness.engine.statistics(of: "chat")?.waiting == 0)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }
}
