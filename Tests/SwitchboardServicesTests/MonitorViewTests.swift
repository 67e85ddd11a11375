import Foundation
import SwitchboardBus
import SwitchboardMonitor
import SwitchboardRouter
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardTopology
import SwitchboardWire
import SwitchboardWorkspace
import Testing

@Suite("The supervisor's view, computed from the router's stream")
struct MonitorViewTests {
    @Test("queue figures: waiting, oldest wait, over target and service level follow the router")
    func queueFigures() throws {
        var scenario = try MonitorScenario()
        scenario.open("c-1", customer: "cust-1", queue: "chat-en")
        scenario.open("c-2", customer: "cust-2", queue: "chat-en", after: 5)
        scenario.open("c-3", customer: "cust-3", queue: "chat-en", after: 5)
        var view = scenario.view(after: 20)
        var queue = try #require(view.queue("chat-en"))
        #expect(queue.waiting == 3)
        #expect(queue.waiting == Int(scenario.routerQueue("chat-en")?["waiting"]?.intValue ?? -1))
        #expect(queue.oldestWaitSeconds == 30)
        // Waits of 30, 25 and 20 s against a 20 s target: two are over it.
        #expect(queue.waitingOverTarget == 2)
        #expect(queue.estimatedWait.seconds == nil && queue.estimatedWait.method == "unknown")
        #expect(queue.readyAgents == 0)
        #expect(queue.serviceLevel.achievedPercent == nil)

        // Priya comes in: she takes the two oldest (a chat cap of 2), both answered late.
        scenario.presence("priya", .available, sequence: 1)
        view = scenario.view()
        queue = try #require(view.queue("chat-en"))
        #expect(queue.waiting == 1)
        #expect(queue.serviceLevel.assigned == 2 && queue.serviceLevel.assignedWithinTarget == 0)
        #expect(queue.serviceLevel.achievedPercent == 0 && queue.serviceLevel.met == false)
        #expect(view.agent("priya")?.channels.first { $0.channel == .chat }?.load == 2)

        // Tom takes the last one; Tom has room for one more chat, Priya none.
        scenario.presence("tom", .available, sequence: 2)
        view = scenario.view(after: 1)
        queue = try #require(view.queue("chat-en"))
        #expect(queue.waiting == 0 && queue.oldestWaitSeconds == nil)
        #expect(queue.readyAgents == 1)
        #expect(queue.estimatedWait.seconds == 0 && queue.estimatedWait.method == "agent-ready")
        #expect(queue.serviceLevel.assigned == 3)
        // The voice queue: a live chat does not block a call, so both agents are ready for one.
        #expect(view.queue("voice-en")?.readyAgents == 2)
    }

    @Test("estimated wait is (waiting + 1) divided by the queue's recent assignment rate")
    func estimatedWait() throws {
        var scenario = try MonitorScenario()
        scenario.presence("priya", .available, sequence: 1)
        scenario.presence("tom", .available, sequence: 2)
        for index in 1...6 {
            scenario.open(
                ConversationID("c-\(index)"), customer: CustomerID("cust-\(index)"), queue: "chat-en", after: 1)
        }
        let view = scenario.view(after: 4)
        let queue = try #require(view.queue("chat-en"))
        // Four assigned within the (shortest, 60 s) window; two wait.
        #expect(queue.waiting == 2)
        #expect(queue.estimatedWait.windowSeconds == 60)
        #expect(queue.estimatedWait.method == "recent-rate")
        #expect(queue.estimatedWait.assignmentsPerHour == 240)
        #expect(queue.estimatedWait.seconds == 45)  // 3 ÷ (4 per 60 s)
    }

    @Test("sticky share counts returning customers; skill match counts full skills against fallback steps")
    func routingRates() throws {
        var scenario = try MonitorScenario()
        scenario.presence("priya", .available, sequence: 1)
        scenario.open("c-1", customer: "cust-a", queue: "chat-en")
        scenario.apply(.close("c-1"), after: 5)
        // The same customer comes back: Priya owns them and is Available.
        scenario.open("c-2", customer: "cust-a", queue: "chat-en", after: 5)
        scenario.presence("tom", .available, sequence: 2)
        scenario.open("c-3", customer: "cust-b", queue: "chat-en", after: 1)
        let third = scenario.router.views["c-3"]?.agent
        scenario.apply(.close("c-3"), after: 5)
        // Customer b returns while their owner is Away: someone else takes them, by skills.
        scenario.presence(third ?? "tom", .away, sequence: 3)
        scenario.open("c-4", customer: "cust-b", queue: "chat-en", after: 5)

        var view = scenario.view()
        #expect(view.rates.assignments == 4)
        #expect(view.rates.byRule == ["skills": 3, "sticky": 1])
        #expect(view.rates.returningCustomers == 2)
        #expect(view.rates.stickyAssignments == 1)
        #expect(view.rates.stickyPercent == 50)
        #expect(view.rates.sameAgentAsBefore == 1)
        #expect(view.rates.skillMatchPercent == 100)

        // A Spanish chat with no Spanish speaker: after 30 s the ladder drops the language.
        scenario.apply(.close("c-2"), after: 1)
        scenario.apply(.close("c-4"), after: 1)
        scenario.open("c-5", customer: "cust-c", queue: "chat-es", after: 1)
        view = scenario.view(after: 31)
        #expect(scenario.router.views["c-5"]?.rule == "fallbackStep(2)")
        #expect(view.rates.fallback == 1 && view.rates.fullSkills == 3)
        #expect(view.rates.skillMatchPercent == 75)
    }

    @Test("health: negative words to watch, a long silence on top to intervene, a reply clears the silence")
    func sentimentAndSilence() throws {
        var scenario = try MonitorScenario()
        scenario.presence("priya", .available, sequence: 1)
        scenario.open("c-1", customer: "cust-1", queue: "chat-en", text: "This is ridiculous, I am furious")
        var line = try #require(scenario.view(after: 1).health("c-1"))
        #expect(line.flags.map(\.kind) == [.negativeSentiment])
        #expect(line.escalation?.level == .watch)

        line = try #require(scenario.view(after: 130).health("c-1"))
        #expect(line.flags.map(\.kind) == [.longSilence, .negativeSentiment])
        #expect(line.escalation?.level == .intervene)

        scenario.message("c-1", .agent, "I am sorry, let me look at it now.", after: 1)
        line = try #require(scenario.view().health("c-1"))
        #expect(line.flags.map(\.kind) == [.negativeSentiment])
    }

    @Test("the monitor drops an abandoned conversation's messages at once, and the conversation after the retention")
    func droppingWhatIsNoLongerNeeded() throws {
        var scenario = try MonitorScenario()
        scenario.open("c-1", customer: "cust-1", queue: "chat-en", text: "My card was declined twice today")
        scenario.open("c-2", customer: "cust-2", queue: "chat-en", text: "Where is my new card?")
        scenario.message("c-1", .customer, "It is urgent, please", after: 1)
        #expect(scenario.monitor.conversations["c-1"]?.messages.compactMap(\.text).count == 2)

        scenario.apply(.abandon("c-1"), after: 1)
        let ended = try #require(scenario.monitor.conversations["c-1"], "an ended conversation is kept a while")
        #expect(ended.messages.isEmpty, "nothing is supervised any more: its text goes at once")
        #expect(scenario.monitor.conversations["c-2"]?.messages.count == 1, "an open one keeps its messages")

        let retention = 60.0
        scenario.monitor.forgetEnded(nowMilliseconds: scenario.nowMilliseconds, retentionSeconds: retention)
        #expect(scenario.monitor.conversations["c-1"] != nil, "within the retention it stays")
        let later = scenario.nowMilliseconds + Int64(retention * 1_000) + 1
        scenario.monitor.forgetEnded(nowMilliseconds: later, retentionSeconds: retention)
        #expect(scenario.monitor.conversations["c-1"] == nil, "past the retention it is gone")
        #expect(scenario.monitor.conversations["c-2"] != nil, "an open conversation is never forgotten")
    }

    @Test("health: a long wait is flagged, and twice as long asks a supervisor to intervene")
    func longWait() throws {
        var scenario = try MonitorScenario()
        scenario.open("c-9", customer: "cust-9", queue: "chat-en")
        #expect(scenario.view(after: 60).health("c-9") == nil)
        var line = try #require(scenario.view(after: 65).health("c-9"))
        #expect(line.flags == [.longWait(seconds: 125)])
        #expect(line.escalation?.level == .watch)
        line = try #require(scenario.view(after: 120).health("c-9"))
        #expect(line.escalation?.level == .intervene)
        let alert = try #require(scenario.view().monitorAlerts.first { $0.conversationId == "c-9" })
        #expect(alert.kind == "escalation" && alert.level == "intervene")
    }

    @Test("health: repeated transfers are flagged")
    func repeatedTransfers() throws {
        var scenario = try MonitorScenario()
        scenario.presence("priya", .available, sequence: 1)
        scenario.presence("tom", .available, sequence: 2)
        scenario.open("c-1", customer: "cust-1", queue: "chat-en")
        scenario.apply(.transfer("c-1", to: .queue("chat-en")), after: 5)
        #expect(scenario.view(after: 1).health("c-1")?.flags.contains { $0.kind == .repeatedTransfers } != true)
        scenario.apply(.transfer("c-1", to: .queue("chat-en")), after: 5)
        let line = try #require(scenario.view(after: 1).health("c-1"))
        #expect(line.flags.contains(.repeatedTransfers(count: 2)))
    }

    @Test("agents: presence from the tracker, busy from the router, sessions from the desk")
    func agentFigures() throws {
        var scenario = try MonitorScenario()
        scenario.presence("priya", .available, sequence: 1)
        scenario.open("c-1", customer: "cust-1", queue: "chat-en")
        // A call on top of the chat: no room left anywhere (a live call blocks chats).
        scenario.open("c-2", customer: "cust-2", queue: "voice-en")
        let opened = RoutingInstant(millisecondsSinceEpoch: scenario.nowMilliseconds)
        let desk = SwitchboardWire.DeskItem(
            agentId: "priya", name: "Priya", role: "agent", signedIn: true, signedInAt: opened, updatedAt: opened,
            summary: .init(
                activeSession: "c-2", unreadTotal: 3, sessionsByChannel: [.chat: 1, .voice: 1],
                sessions: [
                    .init(
                        conversationId: "c-1", channel: .chat, customerId: "cust-1", queue: "chat-en", openedAt: opened,
                        unread: 3, activeTab: "conversation", tabs: 1),
                    .init(
                        conversationId: "c-2", channel: .voice, customerId: "cust-2", queue: "voice-en",
                        openedAt: opened, active: true, liveCall: true, activeTab: "conversation", tabs: 1),
                ]),
            offers: [], workspace: [:]
        ).json
        scenario.monitor.apply(
            .snapshot(.desk, items: [MonitorItem(key: "desk.priya", value: desk)]),
            nowMilliseconds: scenario.nowMilliseconds)
        let view = scenario.view()
        let priya = try #require(view.agent("priya"))
        #expect(priya.presence == "available")
        #expect(priya.routing == "busy")
        #expect(priya.channels.first { $0.channel == .chat } == .init(channel: .chat, load: 1, capacity: 2))
        #expect(priya.channels.first { $0.channel == .voice } == .init(channel: .voice, load: 1, capacity: 1))
        #expect(priya.sessions?.count == 2 && priya.sessions?.unread == 3 && priya.sessions?.active == "c-2")
        #expect(priya.sessions?.byChannel == [.chat: 1, .voice: 1])
        #expect(view.queue("chat-en")?.readyAgents == 0, "a live call blocks new chats")
        #expect(view.agent("tom")?.presence == "offline" || view.agent("tom")?.presence == "unknown")
        #expect(view.agent("tom")?.sessions == nil)
    }

    @Test("a late snapshot gives the same view as following the stream from the start")
    func lateSnapshotMatchesStream() throws {
        var scenario = try MonitorScenario()
        scenario.presence("priya", .available, sequence: 1)
        scenario.presence("lucia", .available, sequence: 2)
        for index in 1...5 {
            scenario.open(
                ConversationID("c-\(index)"), customer: CustomerID("cust-\(index % 3)"),
                queue: index % 2 == 0 ? "chat-es" : "chat-en", text: index == 3 ? "terrible service, a scam" : "hello",
                after: 2)
        }
        scenario.apply(.close("c-1"), after: 3)
        scenario.open("c-6", customer: "cust-1", queue: "chat-en", after: 1)
        scenario.open("c-7", customer: "cust-7", queue: "voice-en", after: 1)
        scenario.message("c-2", .customer, "still waiting, this is useless", after: 1)
        let followed = scenario.view(after: 130)

        var late = MonitorState(
            followed: [.router, .presence, .desk, .summariser], startedAtMilliseconds: scenario.nowMilliseconds)
        late.apply(
            .snapshot(.router, items: MonitorScenario.items(of: scenario.router)),
            nowMilliseconds: scenario.nowMilliseconds)
        late.apply(.status(.router, .live(epoch: 1)), nowMilliseconds: scenario.nowMilliseconds)
        let presence = scenario.monitor.presence.values.map { line in
            MonitorItem(
                key: "presence.\(line.agent)",
                value: ["agentId": .string(line.agent.rawValue), "status": .string(line.status)])
        }
        late.apply(.snapshot(.presence, items: presence), nowMilliseconds: scenario.nowMilliseconds)
        late.apply(.status(.presence, .live(epoch: 1)), nowMilliseconds: scenario.nowMilliseconds)
        let joined = MonitorView.compute(
            state: late, centre: scenario.centre, interventions: [], settings: scenario.settings,
            nowMilliseconds: scenario.nowMilliseconds)

        #expect(joined.queues == followed.queues)
        #expect(joined.agents == followed.agents)
        #expect(joined.rates == followed.rates)
        #expect(joined.conversations == followed.conversations)
        #expect(!followed.conversations.isEmpty, "the scenario has unhealthy conversations to compare")
    }

    @Test(
        "seeded traffic: a late snapshot and the stream give the same view", arguments: [1, 7, 42, 2_024] as [UInt64])
    func seededLateSnapshot(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var scenario = try MonitorScenario()
        let queues: [QueueID] = ["chat-en", "chat-es", "voice-en"]
        let texts = ["hello", "this is useless", "I want to complain", "thanks", "still waiting, fed up"]
        var presenceSequence: UInt64 = 0
        var opened = 0
        // Bounded: a fixed number of steps. No agent leaves and nothing is transferred, so no
        // conversation is re-queued (a re-queue's time is in the stream, not in the snapshot).
        for _ in 0..<120 {
            let after = Double(random.next() % 20)
            switch random.next() % 10 {
            case 0:
                presenceSequence += 1
                let agent: AgentID = ["priya", "tom", "lucia"][Int(random.next() % 3)]
                scenario.presence(agent, .available, sequence: presenceSequence)
            case 1, 2, 3, 4:
                opened += 1
                scenario.open(
                    ConversationID("c-\(opened)"), customer: CustomerID("cust-\(random.next() % 8)"),
                    queue: queues[Int(random.next() % 3)], text: texts[Int(random.next() % UInt64(texts.count))],
                    after: after)
            case 5, 6:
                let assigned = scenario.router.views.values.filter { $0.state == .assigned }.map(\.id).sorted()
                if let id = assigned.randomElement(using: &random) { scenario.apply(.close(id), after: after) }
            case 7:
                let waiting = scenario.router.views.values.filter { $0.state == .queued }.map(\.id).sorted()
                if let id = waiting.randomElement(using: &random) { scenario.apply(.abandon(id), after: after) }
            default:
                let open = scenario.router.views.values.filter { !$0.isEnded }.map(\.id).sorted()
                if let id = open.randomElement(using: &random) {
                    let role: SwitchboardWire.TranscriptMessage.Role = random.next() % 2 == 0 ? .customer : .agent
                    scenario.message(id, role, texts[Int(random.next() % UInt64(texts.count))], after: after)
                }
            }
        }
        let followed = scenario.view(after: 5)
        var late = MonitorState(
            followed: [.router, .presence, .desk, .summariser], startedAtMilliseconds: scenario.nowMilliseconds)
        late.apply(
            .snapshot(.router, items: MonitorScenario.items(of: scenario.router)),
            nowMilliseconds: scenario.nowMilliseconds)
        late.apply(.status(.router, .live(epoch: 1)), nowMilliseconds: scenario.nowMilliseconds)
        late.apply(
            .snapshot(
                .presence,
                items: scenario.monitor.presence.values.map { line in
                    MonitorItem(
                        key: "presence.\(line.agent)",
                        value: ["agentId": .string(line.agent.rawValue), "status": .string(line.status)])
                }), nowMilliseconds: scenario.nowMilliseconds)
        late.apply(.status(.presence, .live(epoch: 1)), nowMilliseconds: scenario.nowMilliseconds)
        let joined = MonitorView.compute(
            state: late, centre: scenario.centre, interventions: [], settings: scenario.settings,
            nowMilliseconds: scenario.nowMilliseconds)
        #expect(joined.queues == followed.queues, "seed \(seed)")
        #expect(joined.agents == followed.agents, "seed \(seed)")
        #expect(joined.rates == followed.rates, "seed \(seed)")
        #expect(joined.conversations == followed.conversations, "seed \(seed)")
        #expect(
            followed.rates.assignments > 0 && followed.queues.contains { $0.waiting > 0 || $0.abandoned > 0 },
            "seed \(seed): the traffic did something")
    }

    @Test("a service never heard from is shown, and alerted after the grace period")
    func servicesNotHeard() throws {
        var scenario = try MonitorScenario()
        var view = scenario.view(after: 1)
        #expect(view.sources.first { $0.service == .desk }?.status == .notHeard)
        #expect(view.sources.first { $0.service == .router }?.status == .live(epoch: 1))
        #expect(!view.monitorAlerts.contains { $0.kind == "service-not-heard" })
        view = scenario.view(after: 15)
        #expect(
            Set(view.monitorAlerts.filter { $0.kind == "service-not-heard" }.map(\.id)) == [
                "service-not-heard:desk", "service-not-heard:summariser",
            ])
        scenario.monitor.apply(.status(.desk, .live(epoch: 4)), nowMilliseconds: scenario.nowMilliseconds)
        view = scenario.view()
        #expect(view.monitorAlerts.map(\.id) == ["service-not-heard:summariser"])
    }
}

@Suite("Queue hours on the supervisor's view")
struct MonitorQueueHoursTests {
    @Test("a queue with hours shows open with its closing, or closed with its opening, in its time zone")
    func openAndClosed() throws {
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let calendar = QueueCalendar(timeZone: paris, weekly: [.monday: [try #require(OpeningPeriod("08:00-18:00"))]])
        // Monday 30 March 2026, 07:59:59 in Paris (05:59:59 UTC, summer time): closed, opens at 08:00 local.
        let before = MonitorView.hours(of: calendar, nowMilliseconds: 1_774_850_399_000)
        #expect(before == .init(open: false, opensAt: "2026-03-30T06:00:00Z", closesAt: nil, timeZone: "Europe/Paris"))
        let during = MonitorView.hours(of: calendar, nowMilliseconds: 1_774_850_400_000)
        #expect(during == .init(open: true, opensAt: nil, closesAt: "2026-03-30T16:00:00Z", timeZone: "Europe/Paris"))
        // The item carries it over the wire.
        var item = Self.emailQueue
        item.hours = before
        #expect(try MonitorQueueItem(json: JSON(parsing: item.json.text)) == item)
    }

    static var emailQueue: MonitorQueueItem {
        MonitorQueueItem(
            queue: "email-en", name: "Email", channel: .email, waiting: 0, held: 0, offered: 0, oldestWaitSeconds: nil,
            waitingOverTarget: 0,
            estimatedWait: .init(seconds: nil, method: .unknown, assignmentsPerHour: 0, windowSeconds: 600),
            readyAgents: 0,
            serviceLevel: .init(
                targetPercent: 80, withinSeconds: 3600, achievedPercent: nil, met: nil, assigned: 0,
                assignedWithinTarget: 0, abandoned: 0),
            abandoned: 0)
    }
}
